"""Counterfactual training pairs (nlptut.counterfactual): the data file, its loader, the
rule that keeps them apart from the evaluation pairs, and a reader's own augment files."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from nlptut.contrast import LABELS, SEED_SENTENCES, load_pairs
from nlptut.counterfactual import (
    EDITS,
    STYLES,
    as_texts,
    load_counterfactuals,
    near_copies,
    read_augment_file,
    read_builtin_augment_file,
)
from nlptut.errors import DataFormatError

HEADER = "pair\tedit\tstyle\ttext_a\tlabel_a\ttext_b\tlabel_b\n"


@pytest.fixture(scope="module")
def pairs():
    return load_counterfactuals()


def _words(text: str) -> set[str]:
    import re

    return set(re.findall(r"[a-z0-9']+", text.lower()))


def test_the_file_ships_with_the_package():
    data = (files("nlptut") / "data" / "counterfactual_pairs.tsv").read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    assert data.decode("utf-8").startswith(HEADER)


def test_at_least_400_pairs_numbered_in_order(pairs):
    assert len(pairs) >= 400
    assert [p.pair for p in pairs] == list(range(1, len(pairs) + 1))


def test_every_kind_of_edit_and_both_styles(pairs):
    edits = Counter(p.edit for p in pairs)
    assert set(edits) == set(EDITS) and min(edits.values()) >= 30
    for edit in EDITS:
        styles = Counter(p.style for p in pairs if p.edit == edit)
        assert set(styles) == set(STYLES) and min(styles.values()) >= 10, edit


def test_every_label_is_used_and_each_pair_changes_it(pairs):
    labels = Counter(y for p in pairs for y in p.labels)
    assert set(labels) == set(LABELS) and min(labels.values()) >= 50
    assert all(p.label_a != p.label_b for p in pairs)


def test_texts_are_unique_and_edits_are_minimal(pairs):
    texts = [t for p in pairs for t in p.texts]
    assert len(set(texts)) == len(texts)
    for p in pairs:
        a, b = _words(p.text_a), _words(p.text_b)
        assert len(a & b) / len(a | b) >= 0.4, p  # most words shared: a small edit


def test_tweet_style_is_lower_case_without_punctuation(pairs):
    for p in pairs:
        if p.style == "tweet":
            for text in p.texts:
                assert text == text.lower() and all(c.isalnum() or c == " " for c in text), text


def test_far_from_every_evaluation_pair_and_seed_sentence(pairs):
    evaluation = [t for p in load_pairs() for t in p.texts] + list(SEED_SENTENCES)
    training = [t for p in pairs for t in p.texts]
    assert near_copies(training, evaluation) == []
    banned = {"jackpot", "lottery", "lotto", "raffle", "bali"}
    assert not [t for t in training if _words(t) & banned]


def test_near_copies_finds_shared_words_and_shared_runs():
    evaluation = ["I passed my driving test first time!"]
    assert near_copies(["so i passed my driving test today"], evaluation)  # a run of five words
    assert near_copies(["Passed the driving test, first time"], evaluation)  # content words
    assert not near_copies(["the cat slept all day in the sun"], evaluation)


def test_as_texts_gives_both_texts_of_every_pair(pairs):
    texts, labels = as_texts(pairs[:3])
    assert texts == [t for p in pairs[:3] for t in p.texts]
    assert labels == [y for p in pairs[:3] for y in p.labels]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("pair\tedit\n", "the header is not"),
        (HEADER + "1\tnegation\ttweet\tok\tjoy\n", "expected 7 tab-separated columns, found 5"),
        (HEADER + "1\tnegation\ttweet\ta\tjoy\tb\tlove\n", "label_b 'love' is not one of"),
        (HEADER + "1\tsarcasm\tnews\ta\tjoy\tb\tanger\n", "style 'news' is not one of"),
        (HEADER + "x\tnegation\ttweet\ta\tjoy\tb\tanger\n", "pair id 'x'"),
        (HEADER, "the file has no pairs"),
    ],
)
def test_a_bad_pairs_file_is_refused_in_one_line(tmp_path: Path, content: str, message: str):
    path = tmp_path / "mine.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError, match=message) as info:
        load_counterfactuals(path)
    assert "\n" not in str(info.value) and "mine.tsv" in str(info.value)


def test_read_augment_file_reads_pairs_and_texts(tmp_path: Path):
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "text_a\tlabel_a\ttext_b\tlabel_b\ngood\tpos\tnot good\tneg\n", encoding="utf-8"
    )
    extra = read_augment_file(mine)
    assert (extra.kind, extra.texts, extra.labels) == (
        "pairs",
        ["good", "not good"],
        ["pos", "neg"],
    )
    assert extra.record()["texts"] == 2 and len(extra.record()["sha256"]) == 64
    texts = tmp_path / "texts.csv"
    texts.write_text("text,label\nlovely day,pos\nawful day,neg\n", encoding="utf-8")
    assert read_augment_file(texts).kind == "texts"
    assert len(read_builtin_augment_file().texts) == 2 * len(load_counterfactuals())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.tsv", None, "no such file"),
        ("bad.tsv", "text_a\tlabel_a\ttext_b\tlabel_b\ngood\tpos\tnot good\n", "found 3"),
        ("empty.tsv", "text_a\tlabel_a\ttext_b\tlabel_b\n", "no pairs"),
        ("blank.tsv", "text_a\tlabel_a\ttext_b\tlabel_b\ngood\tpos\t\tneg\n", "text_b or label_b"),
    ],
)
def test_a_bad_augment_file_is_refused_in_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError, match=message) as info:
        read_augment_file(path)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path):
    path = tmp_path / "latin.tsv"
    path.write_bytes("text_a\tlabel_a\ttext_b\tlabel_b\ncaf\xe9\tpos\tno\tneg\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match="not UTF-8"):
        read_augment_file(path)
