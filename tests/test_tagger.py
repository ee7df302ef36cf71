"""The BiLSTM tagger: padding, masks, learning, BIO output, checkpoints read in a new process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from nlptut.conll import TaggedData, TaggedSplit
from nlptut.errors import CheckpointError
from nlptut.models import reverse_within
from nlptut.tagging.tagger import (
    BiLSTMTagger,
    Tagger,
    TaggerConfig,
    TagTrainConfig,
    is_tagger_checkpoint,
)

_NAMES = ["amos", "kenda", "budi", "siti", "joko"]
_PLACES = ["manado", "bandung", "jakarta", "medan"]


def _toy(n: int = 60) -> TaggedData:
    """Sentences in which a name follows "kata" and a place follows "di"."""
    tokens, tags = [], []
    for i in range(n):
        name, place = _NAMES[i % len(_NAMES)], _PLACES[i % len(_PLACES)]
        words = ["kata", name, "pak", "di", place, "."][: 3 + i % 4]
        marks = ["O", "B-PPL", "I-PPL", "O", "B-PLC", "O"][: len(words)]
        tokens.append(words)
        tags.append(marks)
    split = TaggedSplit(tokens, tags)
    return TaggedData(
        "toy",
        ("O", "B-PPL", "I-PPL", "B-PLC"),
        dict.fromkeys(("train", "validation", "test"), split),
    )


_SMALL = TaggerConfig(word_dim=16, char_dim=8, char_filters=8, hidden=16)


@pytest.fixture(scope="module")
def trained() -> Tagger:
    return Tagger.fit(
        _toy(), _SMALL, TagTrainConfig(epochs=25, batch_size=8, lr=1e-2), progress=False
    )


def test_reverse_within_reverses_each_sentence_and_keeps_padding():
    order = reverse_within(torch.tensor([3, 1, 4]), 4)
    assert order.tolist() == [[2, 1, 0, 3], [0, 1, 2, 3], [3, 2, 1, 0]]
    x = torch.arange(12).view(3, 4)
    assert x.gather(1, order).gather(1, order).tolist() == x.tolist()


@pytest.mark.parametrize("crf", [False, True])
def test_padding_does_not_change_a_sentence_s_scores(crf: bool):
    torch.manual_seed(0)
    model = BiLSTMTagger(
        20, 10, 4, TaggerConfig(word_dim=8, char_dim=4, char_filters=4, hidden=8, crf=crf)
    ).eval()
    words = torch.tensor([[3, 4, 5, 0, 0]])
    chars = torch.tensor([[[2, 3, 0], [4, 0, 0], [5, 6, 7], [0, 0, 0], [0, 0, 0]]])
    padded = model(words, chars, torch.tensor([3]))[0, :3]
    alone = model(words[:, :3], chars[:, :3], torch.tensor([3]))[0]
    assert torch.allclose(padded, alone, atol=1e-6)


def test_a_tiny_tagger_learns_the_toy_data(trained: Tagger):
    scores = trained.evaluate(_toy())
    assert scores.f1 == 1.0
    assert trained.history[-1].train_loss < trained.history[0].train_loss
    assert trained.info["precision"] == "float32"
    assert 1 <= trained.info["best_epoch"] <= 25


def test_unseen_words_still_get_tags_and_output_is_valid_bio(trained: Tagger):
    tags = trained.predict(["kata zulkifli pak di surabaya .", ["kata", "budi"]])
    assert len(tags[0]) == 6 and len(tags[1]) == 2
    for row in tags:
        for i, tag in enumerate(row):
            if tag.startswith("I-"):
                assert i > 0 and row[i - 1][2:] == tag[2:]
    assert trained.predict([""]) == [[]]
    with pytest.raises(TypeError, match="list of sentences"):
        trained.predict("kata budi")


def test_predictions_do_not_depend_on_the_batch(trained: Tagger):
    sentences = [s for s in _toy()["test"].tokens[:12]]
    one_by_one = [trained.predict([s])[0] for s in sentences]
    assert trained.predict(sentences) == one_by_one


def test_a_checkpoint_predicts_the_same_in_a_new_process(trained: Tagger, tmp_path: Path):
    folder = trained.save(tmp_path / "ckpt")
    assert is_tagger_checkpoint(folder)
    sentences = ["kata siti pak di medan .", "kata joko"]
    expected = trained.predict(sentences)
    code = (
        "import json, sys; from nlptut.tagging.tagger import Tagger; "
        f"print(json.dumps(Tagger.load(sys.argv[1]).predict({sentences!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == expected
    loaded = Tagger.load(folder)
    assert loaded.tags == trained.tags and loaded.info == json.loads(json.dumps(trained.info))


def test_an_edited_checkpoint_is_refused(trained: Tagger, tmp_path: Path):
    folder = trained.save(tmp_path / "ckpt")
    (folder / "vocab.json").write_text("{}", "utf-8")
    with pytest.raises(CheckpointError, match="sha256"):
        Tagger.load(folder)
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        Tagger.load(tmp_path / "nothing")


def test_config_values_are_checked():
    with pytest.raises(ValueError, match="hidden"):
        TaggerConfig(hidden=0)
    with pytest.raises(ValueError, match="char_width"):
        TaggerConfig(char_width=2)
    with pytest.raises(ValueError, match="word_dropout"):
        TagTrainConfig(word_dropout=1.0)
