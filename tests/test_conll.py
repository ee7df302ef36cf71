"""Tagged sentences: the CoNLL reader, its one-line errors, the known datasets, BIO repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlptut import datasets
from nlptut.conll import TaggedSplit, chunks, load_tagged, read_conll, repair_bio
from nlptut.errors import DataFormatError, DatasetNotAvailable, UnknownName


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _sentences(n: int) -> str:
    return "".join(f"amos\tB-PPL\nkenda\tI-PPL\nke\tO\nmanado\tB-PLC\n{i}\tO\n\n" for i in range(n))


def test_reads_sentences_separated_by_blank_lines(tmp_path: Path):
    path = _write(tmp_path / "a.txt", "\ufeffamos\tB-PPL\r\nkenda\tI-PPL\r\n\r\n\r\nke\tO\nsini\tO")
    split = read_conll(path)
    assert split.tokens == [["amos", "kenda"], ["ke", "sini"]]
    assert split.tags == [["B-PPL", "I-PPL"], ["O", "O"]]
    assert split.num_words == 4


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("amos\tB-PPL\nkenda I-PPL\n", 2, "one tab, not spaces"),
        ("amos\tB-PPL\n\tO\n", 2, "word before the tab is empty"),
        ("amos\t\n", 1, "tag after the tab is empty"),
        ("amos\tNOUN\n", 1, "written B-NOUN"),
        ("amos\tX-PPL\n", 1, "not O, B-TYPE or I-TYPE"),
        ("just words here\n", 1, "no tab"),
        ("amos\tB-PPL\nkenda\tNNP\tI-PPL\n", 2, "found 3"),  # a third column: not read as a word
        ("new\tB-NEW YORK\n", 1, "contains a space"),  # not the type "NEW YORK"
    ],
)
def test_malformed_lines_name_the_line_and_the_fix(tmp_path: Path, text, line, words):
    path = _write(tmp_path / "bad.txt", text)
    with pytest.raises(DataFormatError) as err:
        read_conll(path)
    message = str(err.value)
    assert f"bad.txt, line {line}:" in message and words in message and "fix:" in message
    assert "\n" not in message


def test_empty_and_non_utf8_files_are_refused(tmp_path: Path):
    with pytest.raises(DataFormatError, match="empty") as err:
        read_conll(_write(tmp_path / "e.txt", "\n\n"))
    assert "word<TAB>tag" in str(err.value) and "text,label" not in str(err.value)
    (tmp_path / "latin.txt").write_bytes("caf\xe9\tO\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match="latin.txt, line 1: .*UTF-8"):
        read_conll(tmp_path / "latin.txt")


def test_split_checks_one_tag_per_word():
    with pytest.raises(ValueError, match="one tag per word"):
        TaggedSplit([["a", "b"]], [["O"]])


def test_one_file_is_split_80_10_10_by_sentence(tmp_path: Path):
    data = load_tagged(_write(tmp_path / "mine.txt", _sentences(50)), seed=3)
    sizes = {name: len(part) for name, part in data.splits.items()}
    assert sizes == {"train": 40, "validation": 5, "test": 5}
    assert data.name == "mine"
    assert data.tags == ("O", "B-PLC", "B-PPL", "I-PPL")
    assert data.types == ("PLC", "PPL")
    again = load_tagged(tmp_path / "mine.txt", seed=3)
    assert again["test"].tokens == data["test"].tokens


def test_a_folder_of_split_files(tmp_path: Path):
    _write(tmp_path / "train.conll", _sentences(20))
    _write(tmp_path / "test.conll", _sentences(3))
    data = load_tagged(tmp_path)
    assert [len(data[s]) for s in ("train", "validation", "test")] == [18, 2, 3]
    (tmp_path / "train.conll").unlink()
    with pytest.raises(DataFormatError, match="no train file"):
        load_tagged(tmp_path)


def test_too_few_sentences_and_unknown_names(tmp_path: Path):
    with pytest.raises(DataFormatError, match="only 3 sentences"):
        load_tagged(_write(tmp_path / "small.txt", _sentences(3)))
    with pytest.raises(DatasetNotAvailable, match="no such file"):
        load_tagged(tmp_path / "missing.txt")
    with pytest.raises(UnknownName, match="indonlu-nerp"):
        load_tagged("indonlu-nerpp")
    with pytest.raises(UnknownName, match="load_dataset"):
        load_tagged("dair-emotion")
    with pytest.raises(UnknownName, match="load_tagged"):
        datasets.load_dataset("indonlu-posp")


def test_the_known_tagging_datasets(mirror):
    for name, tags, types in (("indonlu-posp", 26, 26), ("indonlu-nerp", 11, 5)):
        data = load_tagged(name)
        info = datasets.dataset_info(name)
        assert info.task == "tagging"
        assert {k: len(v) for k, v in data.splits.items()} == info.split_sizes()
        assert [data[s].num_words for s in ("train", "validation", "test")] == [
            156_409,
            19_629,
            19_952,
        ]
        assert len(data.tags) == tags and len(data.types) == types
        # the same sentences tagged two ways
    pos, ner = load_tagged("indonlu-posp"), load_tagged("indonlu-nerp")
    assert pos["test"].tokens == ner["test"].tokens
    assert ner["train"].tokens[0][4:7] == ["manado", "amos", "kenda"]
    assert ner["train"].tags[0][4:7] == ["B-PLC", "B-PPL", "I-PPL"]
    assert set(ner.tag_counts("train")) == set(ner.tags)
    assert len(load_tagged("indonlu-nerp", limit=5)["test"]) == 5


def test_smsa_is_a_classification_dataset(mirror):
    data = datasets.load_dataset("indonlu-smsa")
    assert {k: len(v) for k, v in data.splits.items()} == {
        "train": 11_000,
        "validation": 1_260,
        "test": 500,
    }
    assert data.label_counts("train") == {"positive": 6416, "neutral": 1148, "negative": 3436}


def test_repair_bio_reads_as_conlleval_does():
    assert repair_bio(["I-PPL", "I-PPL", "O", "I-PLC", "B-PLC", "I-PPL"]) == [
        "B-PPL",
        "I-PPL",
        "O",
        "B-PLC",
        "B-PLC",
        "B-PPL",
    ]
    assert repair_bio(["B-NNO", "B-VBI"]) == ["B-NNO", "B-VBI"]
    assert repair_bio([]) == []


def test_chunks():
    assert chunks(["B-PPL", "I-PPL", "O", "B-PLC", "B-PLC", "I-PLC"]) == [
        ("PPL", 0, 2),
        ("PLC", 3, 4),
        ("PLC", 4, 6),
    ]
    assert chunks(["O", "I-EVT"]) == [("EVT", 1, 2)]
