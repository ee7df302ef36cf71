"""Tests of the goemotions dataset: registry entry, reader, Ekman grouping, auxiliary files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from nlptut import datasets
from nlptut.datasets import (
    DATASETS,
    RemoteFile,
    cached_files,
    dataset_info,
    fetch,
    list_datasets,
    load_dataset,
)
from nlptut.errors import ChecksumMismatch, DataFormatError, DatasetNotAvailable

# Rows of each file, from the mirror's README.
ROWS = {"train": 43_410, "validation": 5_426, "test": 5_427}

# A tiny GoEmotions: nine emotions (neutral last) and a grouping of them.
EMOTIONS = [
    "admiration",
    "amusement",
    "anger",
    "disgust",
    "fear",
    "joy",
    "sadness",
    "surprise",
    "neutral",
]
MAPPING = {
    "anger": ["anger"],
    "disgust": ["disgust"],
    "fear": ["fear"],
    "joy": ["joy", "amusement", "admiration"],
    "sadness": ["sadness"],
    "surprise": ["surprise"],
}
TRAIN = (
    "I love this!\t5\tc1\n"
    '"She said ""hi"" to me, ha"\t0,1\tc2\n'  # CSV-quoted; two labels, one group
    "Whatever.\t8\tc3\n"  # neutral alone: kept
    "So angry and so sad\t2,6\tc4\n"  # two groups: left out
    "Nice, I guess \t5,8\tc5\n"  # an emotion and neutral: left out
    "[NAME] scared me\t4\tc6\n"
)
DEV = "Ugh, gross.\t3\td1\nOh wow\t7\td2\n"
TEST = "Why would you\t2\tt1\nOk\t8\tt2\nyay but sad\t5,6\tt3\n"


def write_tiny(
    folder: Path,
    name: str = "tinygo",
    *,
    train: str = TRAIN,
    mapping: dict[str, list[str]] | None = None,
    rows: dict[str, int] | None = None,
) -> dict[str, RemoteFile]:
    """Write a tiny GoEmotions under ``folder/name`` and return its RemoteFiles by key."""
    (folder / name).mkdir(parents=True)
    bodies = {
        ("train", "train.tsv"): train,
        ("validation", "dev.tsv"): DEV,
        ("test", "test.tsv"): TEST,
        (None, "emotions.txt"): "\n".join(EMOTIONS),  # no final newline, like the real one
        (None, "ekman_mapping.json"): json.dumps(MAPPING if mapping is None else mapping),
    }
    remotes = {}
    for (split, filename), body in bodies.items():
        data = body.encode("utf-8")
        (folder / name / filename).write_bytes(data)
        count = data.count(b"\n") if split else None
        if rows and split in rows:
            count = rows[split]
        remote = RemoteFile(
            split,
            filename,
            f"https://example.org/{filename}",
            hashlib.sha256(data).hexdigest(),
            count,
        )
        remotes[remote.key] = remote
    return remotes


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """Register ``tinygo``, a goemotions look-alike served from a tiny mirror.

    Returns a function that writes the files (arguments as :func:`write_tiny`),
    registers them and returns the mirror folder.
    """

    def make(**kwargs) -> Path:
        mirror = tmp_path / "mirror"
        remotes = write_tiny(mirror, **kwargs)
        info = dataclasses.replace(
            DATASETS["goemotions"],
            name="tinygo",
            files=tuple(remotes[split] for split in datasets.SPLITS),
            extra_files=(remotes["emotions.txt"], remotes["ekman_mapping.json"]),
        )
        monkeypatch.setitem(DATASETS, "tinygo", info)
        monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(mirror))
        return mirror

    return make


# %% Registry


def test_registry_entry():
    assert "goemotions" in [info.name for info in list_datasets()]
    info = dataset_info("goemotions")
    assert info.labels == ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
    assert (info.language, info.format, info.bibtex_key) == (
        "en",
        "goemotions",
        "demszky2020goemotions",
    )
    assert info.split_sizes() == ROWS
    assert [f.filename for f in info.files] == ["train.tsv", "dev.tsv", "test.tsv"]
    assert [f.filename for f in info.extra_files] == ["emotions.txt", "ekman_mapping.json"]
    assert all(f.split is None for f in info.extra_files)
    assert [f.key for f in info.all_files] == [
        *datasets.SPLITS,
        "emotions.txt",
        "ekman_mapping.json",
    ]
    for remote in info.all_files:
        assert re.fullmatch(r"[0-9a-f]{64}", remote.sha256)
        assert remote.url.startswith(
            "https://raw.githubusercontent.com/google-research/google-research/master/goemotions/data/"
        )
        assert remote.url.endswith("/" + remote.filename)
    assert "CC BY 4.0" in info.license and "Apache-2.0" in info.license
    assert "10.18653/v1/2020.acl-main.372" in info.citation
    assert info.published == ()  # the paper's 28-label score is not a score for our labels


def test_the_citation_is_in_the_bibliography():
    bib = (Path(__file__).parents[1] / "docs" / "references.bib").read_text(encoding="utf-8")
    assert "@inproceedings{demszky2020goemotions," in bib


def test_other_datasets_have_no_extra_files():
    for name in ("dair-emotion", "indonlu-emot"):
        info = dataset_info(name)
        assert info.extra_files == () and info.all_files == info.files


# %% The reader and the grouping, on tiny files


def test_tiny_dataset_is_grouped_and_counted(tiny):
    tiny()
    data = load_dataset("tinygo")
    train = data["train"]
    assert train.texts == [
        "I love this!",
        'She said "hi" to me, ha',  # unquoted
        "Whatever.",
        "[NAME] scared me",  # the mask is kept
    ]
    assert [data.labels[i] for i in train.labels] == ["joy", "joy", "neutral", "fear"]
    assert data.left_out == {"train": 2, "validation": 0, "test": 1}
    assert [data.labels[i] for i in data["validation"].labels] == ["disgust", "surprise"]
    assert [data.labels[i] for i in data["test"].labels] == ["anger", "neutral"]


def test_limit_applies_after_grouping(tiny):
    tiny()
    data = load_dataset("tinygo", limit=3)
    assert data["train"].texts == ["I love this!", 'She said "hi" to me, ha', "Whatever."]
    assert data.left_out["train"] == 2  # counted over the whole file


def test_auxiliary_files_are_fetched_verified_and_recorded(tiny, data_home):
    tiny()
    assert cached_files("tinygo") == dict.fromkeys(
        [*datasets.SPLITS, "emotions.txt", "ekman_mapping.json"]
    )
    paths = fetch("tinygo")
    assert paths["emotions.txt"] == data_home / "tinygo" / "emotions.txt"
    assert cached_files("tinygo") == paths and len(paths) == 5
    data = load_dataset("tinygo")
    path, digest = data.sources["ekman_mapping.json"]
    assert path == data_home / "tinygo" / "ekman_mapping.json"
    assert digest == dataset_info("tinygo").extra_files[1].sha256


def test_a_tampered_auxiliary_file_is_refused(tiny, data_home):
    mirror = tiny()
    mapping = mirror / "tinygo" / "ekman_mapping.json"
    mapping.write_text(json.dumps({**MAPPING, "joy": ["joy"]}), encoding="utf-8")
    with pytest.raises(ChecksumMismatch, match="ekman_mapping.json"):
        load_dataset("tinygo")
    assert not (data_home / "tinygo" / "ekman_mapping.json").exists()


def test_a_mirror_without_an_auxiliary_file(tiny):
    mirror = tiny()
    (mirror / "tinygo" / "emotions.txt").unlink()
    with pytest.raises(DatasetNotAvailable, match="mirror lacks .*emotions.txt"):
        fetch("tinygo")


def test_rows_counts_the_rows_read_before_grouping(tiny):
    tiny(rows={"train": 4})  # the kept count: wrong, the file has 6 rows
    with pytest.raises(DataFormatError, match=r"train\.tsv: expected 4 examples but read 6"):
        load_dataset("tinygo")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bad id\t99\tc7", r"label id '99' is not a number from 0 to 8"),
        ("bad id\tjoy\tc7", r"label id 'joy' is not a number from 0 to 8"),
        ("no labels\t\tc7", r"label id '' is not a number"),
        ("two fields\t5", r"expected 3 tab-separated fields .* found 2"),
        ("four\tfields\t5\tc7", r"expected 3 tab-separated fields .* found 4"),
        ('"never closed\t5\tc7', r"malformed TSV"),
    ],
    ids=["id-too-big", "id-not-a-number", "no-ids", "two-fields", "four-fields", "open-quote"],
)
def test_a_malformed_row_names_the_file_and_line(tiny, row, message):
    tiny(train=TRAIN + row + "\n", rows={"train": 7})
    with pytest.raises(DataFormatError, match=r"train\.tsv, line 7: " + message) as info:
        load_dataset("tinygo")
    assert "fix: delete" in str(info.value) and "nlptut fetch tinygo" in str(info.value)


def test_a_mapping_that_misses_an_emotion_is_refused(tiny):
    tiny(mapping={k: v for k, v in MAPPING.items() if k != "fear"})
    with pytest.raises(DataFormatError, match=r"ekman_mapping\.json: no group for fear"):
        load_dataset("tinygo")


# %% The real files


@pytest.fixture
def go_mirror(mirror):
    if not (mirror / "goemotions").is_dir():
        pytest.skip(f"the mirror at {mirror} has no goemotions folder")
    return mirror


def test_the_real_dataset(go_mirror):
    data = load_dataset("goemotions")
    assert (data.name, data.language) == ("goemotions", "en")
    assert data.labels == dataset_info("goemotions").labels
    for split, rows in ROWS.items():
        kept, left_out = len(data[split]), data.left_out[split]
        assert kept + left_out == rows  # the rows read match the README
        assert 0.05 < left_out / rows < 0.20
        assert all(count > 0 for count in data.label_counts(split).values())
    # the counts the README's dataset table gives (the mirror is byte-exact)
    assert [len(data[s]) for s in ("train", "validation", "test")] == [39_555, 4_946, 4_968]
    texts = data["train"].texts
    assert any("[NAME]" in text for text in texts)
    lines = (go_mirror / "goemotions" / "train.tsv").read_text(encoding="utf-8").splitlines()
    quoted = [line.split("\t") for line in lines if line.startswith('"')]
    assert len(quoted) > len(lines) / 60  # about 1 in 40 texts is CSV-quoted
    one_label = [raw for raw, ids, _ in quoted if "," not in ids]  # so never left out
    for raw in one_label[:20]:
        unquoted = raw[1:-1].replace('""', '"').strip()
        assert unquoted in texts and raw not in texts
    assert set(data.sources) == {*datasets.SPLITS, "emotions.txt", "ekman_mapping.json"}
