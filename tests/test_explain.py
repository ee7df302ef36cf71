"""Word attributions (nlptut.explain) on made-up models whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("captum")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from nlptut.explain import draw_word_attributions, word_attributions  # noqa: E402


def negation_model(texts: list[str]) -> np.ndarray:
    """P(label 1) = 0.9 when the text has the word 'not', else 0.2."""
    p = np.array([0.9 if "not" in t.split() else 0.2 for t in texts])
    return np.stack([1 - p, p], axis=1)


def either_model(texts: list[str]) -> np.ndarray:
    """Label 1 (certain) when 'great' or 'fantastic' is in the text, else label 0 (certain)."""
    p = np.array([1.0 if {"great", "fantastic"} & set(t.split()) else 0.0 for t in texts])
    return np.stack([1 - p, p], axis=1)


def test_the_word_that_decides_gets_the_whole_change():
    result = word_attributions(negation_model, "i am not happy")
    assert result.words == ["i", "am", "not", "happy"]
    assert result.target == 1 and result.probability == pytest.approx(0.9)
    assert result.scores == pytest.approx([0.0, 0.0, 0.7, 0.0])


def test_a_given_target_is_explained_instead_of_the_answer():
    result = word_attributions(negation_model, "i am not happy", target=0)
    assert result.target == 0 and result.probability == pytest.approx(0.1)
    assert result.scores == pytest.approx([0.0, 0.0, -0.7, 0.0])  # 'not' lowered P(label 0)


def test_the_strongest_word_is_the_largest_change_in_either_direction():
    raised = word_attributions(negation_model, "i am not happy")
    assert raised.strongest == ("not", pytest.approx(0.7))
    lowered = word_attributions(negation_model, "i am not happy", target=0)
    assert lowered.strongest == ("not", pytest.approx(-0.7))  # the size counts, not the sign
    flat = word_attributions(either_model, "it was great and fantastic")
    assert flat.strongest == ("it", 0.0)  # a tie: the first word


def test_words_that_matter_together_need_a_group():
    alone = word_attributions(either_model, "it was great and fantastic")
    assert alone.scores == pytest.approx([0.0] * 5)  # either word alone keeps the answer
    together = word_attributions(either_model, "it was great and fantastic", groups=[0, 1, 2, 3, 2])
    assert together.scores == pytest.approx([0.0, 0.0, 1.0, 0.0, 1.0])


def test_bad_input_is_refused_in_one_line():
    with pytest.raises(ValueError, match="empty text"):
        word_attributions(negation_model, "   ")
    with pytest.raises(ValueError, match="groups has 2 numbers but the text has 3 words"):
        word_attributions(negation_model, "a b c", groups=[0, 1])
    with pytest.raises(ValueError, match="target 2 is not a label index"):
        word_attributions(negation_model, "a b c", target=2)


def test_drawing_colours_each_word_by_its_score():
    rows = [
        word_attributions(negation_model, "i am not happy"),
        word_attributions(negation_model, "i am happy"),
    ]
    fig, ax = plt.subplots(figsize=(6, 1.5))
    draw_word_attributions(ax, rows, ["happy", "not happy"])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["not happy", "happy", "i", "am", "not", "happy", "i", "am", "happy"]
    not_box = ax.texts[4].get_bbox_patch().get_facecolor()
    neutral = ax.texts[2].get_bbox_patch().get_facecolor()
    assert not_box[0] > not_box[2]  # red: raised the answer's probability
    assert neutral[0] == pytest.approx(neutral[2], abs=0.1)  # the middle of the scale
    # words follow each other without overlapping
    renderer = fig.canvas.get_renderer()
    boxes = [ax.texts[i].get_window_extent(renderer) for i in (2, 3, 4, 5)]
    assert all(a.x1 <= b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    with pytest.raises(ValueError, match="no texts to draw"):
        draw_word_attributions(ax, [], ["a"])
    plt.close(fig)
