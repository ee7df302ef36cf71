"""Tests for nlptut.contrast: the hand-written minimal pairs and their scores."""

from __future__ import annotations

import difflib
import re
from importlib.resources import files
from pathlib import Path

import pytest

from nlptut.contrast import (
    EDITS,
    LABELS,
    SEED_SENTENCES,
    MinimalPair,
    PairScores,
    load_pairs,
    score_classifier,
    score_pairs,
)
from nlptut.errors import DataFormatError, UnknownName

HEADER = "pair\tsplit\tedit\ttext_a\tlabel_a\ttext_b\tlabel_b\n"
# Words that name an emotion outright; the pairs should mostly do without them.
EMOTION_WORDS = set(
    re.findall(
        r"\w+",
        """happy happiness unhappy sad sadness angry anger furious mad annoyed scared afraid
    fear frightened terrified worried worry nervous surprised surprise shocked amazed
    glad delighted thrilled excited joy joyful upset disappointed miserable heartbroken
    devastated proud ashamed jealous love hate""",
    )
)


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def edit_size(a: str, b: str) -> int:
    """Words inserted, deleted or replaced to turn ``a`` into ``b``."""
    matcher = difflib.SequenceMatcher(a=words(a), b=words(b), autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


def changed_words(a: str, b: str) -> set[str]:
    wa, wb = words(a), words(b)
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    changed: set[str] = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changed.update(wa[i1:i2], wb[j1:j2])
    return changed


@pytest.fixture(scope="module")
def pairs() -> list[MinimalPair]:
    return load_pairs()


def all_texts(pairs: list[MinimalPair]) -> list[str]:
    return [text for p in pairs for text in p.texts]


# --- the data ---------------------------------------------------------------------


def test_enough_pairs_numbered_in_order(pairs):
    assert len(pairs) >= 84
    assert [p.pair for p in pairs] == list(range(1, len(pairs) + 1))


def test_the_file_ships_with_the_package():
    resource = files("nlptut") / "data" / "minimal_pairs.tsv"
    assert resource.is_file()
    data = resource.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    data.decode("utf-8")
    assert data.decode("utf-8").startswith(HEADER)


def test_package_data_is_declared():
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("no source checkout")
    assert 'nlptut = ["py.typed", "data/*.tsv"]' in pyproject.read_text(encoding="utf-8")


def test_halves_are_disjoint_and_balanced(pairs):
    dev, test = load_pairs("dev"), load_pairs("test")
    assert len(dev) + len(test) == len(pairs)
    assert abs(len(dev) - len(test)) <= 2
    assert not {p.pair for p in dev} & {p.pair for p in test}
    assert not set(all_texts(dev)) & set(all_texts(test))
    assert all(p.split == "dev" for p in dev) and all(p.split == "test" for p in test)


def test_every_edit_kind_is_in_both_halves(pairs):
    for edit in EDITS:
        dev = sum(p.edit == edit and p.split == "dev" for p in pairs)
        test = sum(p.edit == edit and p.split == "test" for p in pairs)
        assert dev >= 4 and test >= 4, edit
        assert abs(dev - test) <= 1, edit


def test_edit_kinds_have_at_least_eight_pairs(pairs):
    for edit in EDITS:
        assert sum(p.edit == edit for p in pairs) >= 8, edit


def test_every_label_is_used(pairs):
    used = {label for p in pairs for label in p.labels}
    assert used == set(LABELS)


def test_no_seed_sentence_nor_anything_close(pairs):
    for text in all_texts(pairs):
        assert text not in SEED_SENTENCES
        assert not {"jackpot", "bali"} & set(words(text)), text
        for seed in SEED_SENTENCES:
            ratio = difflib.SequenceMatcher(a=words(text), b=words(seed)).ratio()
            assert ratio < 0.6, (text, seed)


def test_sentences_are_unique(pairs):
    texts = all_texts(pairs)
    assert len(set(texts)) == len(texts)
    lowered = [" ".join(words(t)) for t in texts]
    assert len(set(lowered)) == len(lowered)


def test_labels_differ_within_each_pair(pairs):
    for p in pairs:
        assert p.label_a != p.label_b, p


def test_the_edit_is_small(pairs):
    sizes = [edit_size(p.text_a, p.text_b) for p in pairs]
    for p, size in zip(pairs, sizes, strict=True):
        assert 1 <= size <= 6, (p.pair, size)
    assert sorted(sizes)[len(sizes) // 2] <= 4  # most pairs change four words or fewer


def test_edit_size_counts_words():
    assert edit_size("I got the job.", "I didn't get the job.") == 2
    assert edit_size("Our offer was accepted!", "Our offer was rejected.") == 1
    assert edit_size("The bus came.", "The bus came, but not me.") == 3


def test_sentences_look_written_by_a_person(pairs):
    for text in all_texts(pairs):
        assert "\t" not in text and "\n" not in text
        assert text == text.strip()
        assert text[0].isupper(), text
        assert text[-1] in ".!?", text
        assert 5 <= len(words(text)) <= 25, text


def test_emotion_words_do_not_do_the_work(pairs):
    for p in pairs:
        assert not changed_words(p.text_a, p.text_b) & EMOTION_WORDS, p.pair
    without = [p for p in pairs if not EMOTION_WORDS & set(words(p.text_a + " " + p.text_b))]
    assert len(without) >= len(pairs) * 3 // 4


# --- loading ----------------------------------------------------------------------


def test_pair_properties(pairs):
    p = pairs[0]
    assert p.texts == (p.text_a, p.text_b)
    assert p.labels == (p.label_a, p.label_b)
    with pytest.raises(AttributeError):
        p.label_a = "fear"  # frozen


def test_unknown_split():
    with pytest.raises(UnknownName, match="'nope'") as info:
        load_pairs("nope")
    assert "dev" in str(info.value) and "test" in str(info.value)
    assert "\n" not in str(info.value)


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text(header + body, encoding="utf-8")
    return path


GOOD = "1\tdev\tnegation\tI got the job!\tjoy\tI did not get the job.\tsadness\n"


def test_load_from_path(tmp_path):
    path = write(tmp_path, GOOD + "\n")
    (pair,) = load_pairs(path=path)
    assert pair == MinimalPair(
        1, "dev", "negation", "I got the job!", "joy", "I did not get the job.", "sadness"
    )
    assert load_pairs("test", path=path) == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("2\tdev\tnegation\tOnly three\tjoy\n", "columns"),
        ("2\tdev\tnegation\tI won.\tjoy\tI lost.\tlove\n", "label_b 'love'"),
        ("2\tdev\tnegation\tI won.\thappy\tI lost.\tsadness\n", "label_a 'happy'"),
        ("2\ttrain\tnegation\tI won.\tjoy\tI lost.\tsadness\n", "split 'train'"),
        ("2\tdev\tsarcasm\tI won.\tjoy\tI lost.\tsadness\n", "edit 'sarcasm'"),
        ("two\tdev\tnegation\tI won.\tjoy\tI lost.\tsadness\n", "pair id"),
        ("1\tdev\tnegation\tI won.\tjoy\tI lost.\tsadness\n", "appears twice"),
        ("2\tdev\tnegation\t \tjoy\tI lost.\tsadness\n", "empty"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, line, problem):
    path = write(tmp_path, GOOD + line)
    with pytest.raises(DataFormatError, match="pairs.tsv, line 3") as info:
        load_pairs(path=path)
    assert problem in str(info.value)


def test_bad_header(tmp_path):
    path = write(tmp_path, GOOD, header="id\ttext\tlabel\n")
    with pytest.raises(DataFormatError, match="line 1"):
        load_pairs(path=path)


def test_no_pairs(tmp_path):
    with pytest.raises(DataFormatError, match="no pairs"):
        load_pairs(path=write(tmp_path, "\n"))


def test_not_utf8(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_bytes(HEADER.encode() + b"1\tdev\tnegation\tCaf\xe9 shut.\tsadness\tX.\tjoy\n")
    with pytest.raises(DataFormatError, match="UTF-8"):
        load_pairs(path=path)


# --- scoring ----------------------------------------------------------------------


def pair(n: int, edit: str, label_a: str, label_b: str) -> MinimalPair:
    return MinimalPair(n, "dev", edit, f"Text {n} a.", label_a, f"Text {n} b.", label_b)


THREE = [
    pair(1, "negation", "joy", "sadness"),
    pair(2, "negation", "joy", "anger"),
    pair(3, "cause", "sadness", "anger"),
]


def test_score_pairs_by_hand():
    # pair 1: both right; pair 2: a right, b wrong but flipped; pair 3: both "joy".
    scores = score_pairs(THREE, ["joy", "joy", "joy"], ["sadness", "fear", "joy"])
    assert isinstance(scores, PairScores)
    assert scores.sentences == 6 and scores.pairs == 3
    assert scores.sentence_accuracy == pytest.approx(3 / 6)
    assert scores.pair_accuracy == pytest.approx(1 / 3)
    assert scores.flip_rate == pytest.approx(2 / 3)
    assert scores.by_edit == {"negation": 0.5, "cause": 0.0}


def test_score_pairs_all_right_and_all_same():
    right = score_pairs(THREE, [p.label_a for p in THREE], [p.label_b for p in THREE])
    assert (right.sentence_accuracy, right.pair_accuracy, right.flip_rate) == (1.0, 1.0, 1.0)
    same = score_pairs(THREE, ["joy"] * 3, ["joy"] * 3)
    assert same.sentence_accuracy == pytest.approx(2 / 6)
    assert (same.pair_accuracy, same.flip_rate) == (0.0, 0.0)


def test_labels_outside_the_set_are_wrong():
    scores = score_pairs(THREE[:1], ["love"], ["neutral"])
    assert (scores.sentence_accuracy, scores.pair_accuracy, scores.flip_rate) == (0.0, 0.0, 1.0)


def test_score_pairs_length_mismatch():
    with pytest.raises(ValueError, match="one prediction per pair"):
        score_pairs(THREE, ["joy"] * 3, ["joy"] * 2)
    with pytest.raises(ValueError, match="no pairs"):
        score_pairs([], [], [])


def test_score_classifier_calls_predict_once_a_then_b():
    calls = []

    def predict(texts: list[str]) -> list[str]:
        calls.append(list(texts))
        return ["joy" if text.endswith("a.") else "anger" for text in texts]

    scores = score_classifier(predict, THREE)
    assert calls == [[p.text_a for p in THREE] + [p.text_b for p in THREE]]
    # a: joy, joy, joy (2 right); b: anger x3 (2 right)
    assert scores.sentence_accuracy == pytest.approx(4 / 6)
    assert scores.pair_accuracy == pytest.approx(1 / 3)
    assert scores.flip_rate == 1.0


def test_score_classifier_wrong_count():
    with pytest.raises(ValueError, match="returned 1 labels"):
        score_classifier(lambda texts: ["joy"], THREE)


def test_keyword_rules_on_the_contrast_set(pairs):
    # The bag-of-words baseline rarely tells the two texts of a pair apart.
    from nlptut.keywords import for_labels

    clf = for_labels(["sadness", "joy", "love", "anger", "fear", "surprise"])
    scores = score_classifier(lambda texts: [p.label for p in clf.predict(texts)], pairs)
    assert scores.pairs == len(pairs)
    assert 0.0 <= scores.pair_accuracy <= scores.flip_rate <= 1.0
    assert set(scores.by_edit) == set(EDITS)


def test_contrast_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, nlptut.contrast; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
