"""The tutorial datasets: a registry, a verified download cache and loaders.

Three public emotion-classification datasets are known by name:

* ``dair-emotion``: English tweets, 6 emotions (CARER; Saravia et al., 2018);
* ``indonlu-emot``: Indonesian tweets, 5 emotions (EmoT; Saputri et al., 2018),
  as distributed in the IndoNLU benchmark (Wilie et al., 2020);
* ``goemotions``: English Reddit comments labelled by human raters with 27
  emotions and neutral (GoEmotions; Demszky et al., 2020), grouped into Ekman's
  six emotions plus neutral (see "GoEmotions: the Ekman grouping" below).

:func:`load_dataset` returns any of them, or a user's own labelled data, as a
:class:`LabelledData` with ``train``, ``validation`` and ``test`` splits.

Where the files come from
-------------------------
:func:`fetch` keeps one verified copy of each file in ``cache_dir(name)``
(``$NLPTUT_DATA/<name>/``, see :mod:`nlptut.config`). A file missing from the
cache is copied from the offline mirror when ``NLPTUT_DATA_MIRROR`` is set (a
folder laid out ``<name>/<filename>``; it is only ever read), and downloaded
from its public URL otherwise. Every file is streamed into a temporary file in
the cache folder, its sha256 is checked against the registry, and only then is
it moved into place with :func:`os.replace`; a failed check, an error or an
interrupt leaves no partial file behind.

Besides one file per split, a dataset may need auxiliary files (GoEmotions: its
list of emotion names and its Ekman grouping); they are listed in
:attr:`DatasetInfo.extra_files` and fetched and verified the same way.

After a file is verified, a sidecar ``<filename>.sha256`` records its sha256,
size and modification time, so that later calls can trust the file without
hashing it again; if the file changes, it is hashed again.

GoEmotions: the Ekman grouping
------------------------------
GoEmotions gives each comment one or more of 27 emotions or ``neutral``.
nlptut maps each label to its group among Ekman's six emotions (anger,
disgust, fear, joy, sadness, surprise) with the dataset's
``ekman_mapping.json``; ``neutral`` is a group of its own. A comment whose labels
all fall in one group gets that group as its single label; a comment whose
labels fall in several groups (also an emotion together with ``neutral``;
about 9% of the comments) is left out, because a single-label classifier
cannot be scored on it. :attr:`LabelledData.left_out` counts them per split.
Texts keep their ``[NAME]`` masks; CSV-quoted texts are unquoted.

Your own data
-------------
``load_dataset(path)`` also accepts

* a ``.csv`` file with a header naming a text column (``text``, ``tweet`` or
  ``sentence``) and a label column (``label`` or ``emotion``); RFC 4180 quoting,
  so a quoted field may hold commas, doubled quotes and line breaks;
* a ``.tsv`` file with the same header, tab-separated, read without quote
  processing (a field cannot hold a tab or a line break);
* a ``.txt`` file of ``text;label`` lines (split on the *last* ``;``, so the text
  may contain semicolons); blank lines are skipped, and so is a first line
  that names the columns as the header above does (``text;label``);
* a folder holding one file of those kinds per split: ``train``, ``valid`` /
  ``validation`` / ``val`` / ``dev`` and ``test`` (a name such as
  ``train_preprocess.csv`` also counts). Without a validation file, a
  stratified 10% of the training file becomes the validation split.

A single file is split 80/10/10 into train/validation/test with
:func:`sklearn.model_selection.train_test_split` (``random_state=seed``),
stratified by label; if a class is too small to stratify, that split falls back
to an unstratified one. It needs at least 10 examples. Label names of user data
are the sorted unique label strings. All files are read as UTF-8 (a leading
byte-order mark is ignored).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import errno
import hashlib
import io
import json
import os
import stat
import time
import unicodedata
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from nlptut import __version__, config
from nlptut.errors import (
    ChecksumMismatch,
    DataFormatError,
    DatasetNotAvailable,
    DataWarning,
    UnknownName,
)
from nlptut.fileio import name_as_text as readable_name
from nlptut.fileio import replacing, sweep_stale, write_text_atomic
from nlptut.fileio import sha256_file as sha256sum

__all__ = [
    "RemoteFile",
    "PublishedResult",
    "DatasetInfo",
    "DATASETS",
    "SPLITS",
    "list_datasets",
    "dataset_info",
    "sha256sum",
    "cache_dir",
    "cached_files",
    "fetch",
    "Split",
    "LabelledData",
    "load_dataset",
    "read_labelled_file",
    "LoadedFile",
    "loaded_files",
    "readable_name",
    "fetch_with_origins",
]

#: The split names, in order, of every :class:`LabelledData`.
SPLITS: tuple[str, ...] = ("train", "validation", "test")

_CHUNK = 1 << 16
_TIMEOUT_S = 30.0
_TRIES = 3
_BACKOFF_S = 1.0  # wait 1 s, then 2 s, between tries
_MIN_EXAMPLES = 10
_TEXT_COLUMNS = ("text", "tweet", "sentence")
_LABEL_COLUMNS = ("label", "emotion")
_FORMATS = ("csv", "tsv", "semicolon")
_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "semicolon"}
_EMPTY_FIX = (
    "add examples: for .csv/.tsv a header line (text,label) then one example per row, "
    "for .txt one `text;label` per line"
)
_SPLIT_ALIASES = {
    "train": ("train",),
    "validation": ("validation", "valid", "val", "dev"),
    "test": ("test",),
}


# %% The registry ------------------------------------------------------------


@dataclass(frozen=True)
class RemoteFile:
    """One file of a known dataset.

    Attributes
    ----------
    split : str or None
        ``"train"``, ``"validation"`` or ``"test"``; ``None`` for an auxiliary
        file that is not a split (one of :attr:`DatasetInfo.extra_files`).
    filename : str
        The file's name in the mirror and in the cache, e.g. ``"train.txt"``.
    url : str
        Where the file is downloaded from.
    sha256 : str
        The expected sha256 of the file's bytes (hex).
    rows : int or None
        The number of examples in the file (the rows read from it, before any
        rule of the dataset leaves some out); for an auxiliary file, its number
        of lines, or ``None`` where lines are not a count of anything.
    """

    split: str | None
    filename: str
    url: str
    sha256: str
    rows: int | None

    @property
    def key(self) -> str:
        """The file's key in :func:`fetch` and :func:`cached_files`: its split, or
        its file name for an auxiliary file."""
        return self.split if self.split is not None else self.filename


@dataclass(frozen=True)
class PublishedResult:
    """A test score that a paper or model card reports for a dataset (cited, not computed).

    Attributes
    ----------
    system : str
        The model as the source names it, e.g. ``"IndoBERT base"``.
    metric : str
        ``"accuracy"``, ``"macro_f1"`` or, for tagging, ``"tag_f1"`` (the F1 of
        each tag type, averaged over the types, as IndoNLU reports it; see
        :mod:`nlptut.tag_metrics`).
    percent : float
        The score, in percent, as published.
    source : str
        Where it is published (a BibTeX key of the docs, or a model card).
    """

    system: str
    metric: str
    percent: float
    source: str


@dataclass(frozen=True)
class DatasetInfo:
    """Everything nlptut knows about a dataset before downloading it.

    Attributes
    ----------
    name : str
        The short name, e.g. ``"dair-emotion"``.
    title : str
        A human-readable title.
    language : str
        ISO 639-1 code of the texts' language (``"en"``, ``"id"``).
    labels : tuple of str
        Label names in canonical order: label index ``i`` is ``labels[i]``.
    files : tuple of RemoteFile
        One file per split, in the order train, validation, test.
    format : str
        ``"semicolon"`` (``text;label`` lines), ``"csv"`` (header ``label,tweet``),
        ``"tsv-plain"`` (``text<TAB>label`` lines, no header), ``"conll"``
        (``token<TAB>tag`` lines, a blank line between sentences) or
        ``"goemotions"`` (``text<TAB>label ids<TAB>comment id`` lines, labels
        grouped as described in the module docstring).
    license : str
        The terms under which the data may be used.
    citation : str
        Plain-text citation(s) of the paper(s) to cite when using the data.
    bibtex_key : str
        The key of the main citation in the documentation's BibTeX file.
    homepage : str
        The dataset's home page.
    description : str
        A few sentences about the data.
    published : tuple of PublishedResult
        Test scores published for the dataset, to cite beside our own.
    extra_files : tuple of RemoteFile
        Auxiliary files the loader needs besides the splits (``split`` is
        ``None``), fetched and verified like them; empty for most datasets.
    task : str
        ``"classification"`` (one label per text, loaded by :func:`load_dataset`)
        or ``"tagging"`` (one tag per word, ``format="conll"``, loaded by
        :func:`nlptut.conll.load_tagged`). For a tagging dataset ``labels`` are
        the tags and :attr:`RemoteFile.rows` counts sentences.
    """

    name: str
    title: str
    language: str
    labels: tuple[str, ...]
    files: tuple[RemoteFile, ...]
    format: str
    license: str
    citation: str
    bibtex_key: str
    homepage: str
    description: str
    published: tuple[PublishedResult, ...] = ()
    extra_files: tuple[RemoteFile, ...] = ()
    task: str = "classification"

    @property
    def all_files(self) -> tuple[RemoteFile, ...]:
        """The split files followed by the auxiliary files: everything :func:`fetch` gets."""
        return self.files + self.extra_files

    def published_scores(self, metric: str) -> dict[str, float]:
        """Return the published test scores for ``metric``, in percent, by system.

        Parameters
        ----------
        metric : str
            ``"accuracy"`` or ``"macro_f1"``.
        """
        return {r.system: r.percent for r in self.published if r.metric == metric}

    def split_sizes(self) -> dict[str, int]:
        """Return the number of examples in each split.

        Returns
        -------
        dict of str to int
            ``{"train": ..., "validation": ..., "test": ...}``.
        """
        return {f.split: f.rows for f in self.files}

    def file(self, split: str) -> RemoteFile:
        """Return the :class:`RemoteFile` of ``split``.

        Raises
        ------
        UnknownName
            If the dataset has no such split.
        """
        for remote in self.files:
            if remote.split == split:
                return remote
        raise UnknownName(f"{self.name} has no split {split!r}; use one of {', '.join(SPLITS)}")


_DAIR_URL = "https://www.dropbox.com/s/{key}/{filename}?dl=1"
_INDONLU_URL = (
    "https://raw.githubusercontent.com/IndoNLP/indonlu/master/dataset/"
    "emot_emotion-twitter/{filename}"
)
_INDONLU_DATA = (
    "https://raw.githubusercontent.com/IndoNLP/indonlu/master/dataset/{folder}/{filename}"
)
_INDONLU_CITATION = (
    "Bryan Wilie, Karissa Vincentio, Genta Indra Winata, Samuel Cahyawijaya, "
    "Xiaohong Li, Zhi Yuan Lim, Sidik Soleman, Rahmad Mahendra, Pascale Fung, "
    "Syafri Bahar, and Ayu Purwarianti. 2020. IndoNLU: Benchmark and Resources "
    "for Evaluating Indonesian Natural Language Understanding. In Proceedings of "
    "the 1st Conference of the Asia-Pacific Chapter of the Association for "
    "Computational Linguistics and the 10th International Joint Conference on "
    "Natural Language Processing (AACL-IJCNLP 2020)."
)
_INDONLU_LICENSE = "Apache-2.0 (the IndoNLU repository's LICENSE; MIT before June 2022)"


def _indonlu_files(folder: str, suffix: str, sha: tuple[str, str, str], rows: tuple[int, int, int]):
    return tuple(
        RemoteFile(
            split,
            f"{stem}_preprocess.{suffix}",
            _INDONLU_DATA.format(folder=folder, filename=f"{stem}_preprocess.{suffix}"),
            digest,
            count,
        )
        for split, stem, digest, count in zip(
            SPLITS, ("train", "valid", "test"), sha, rows, strict=True
        )
    )


_HOESEN_CITATION = (
    "Devin Hoesen and Ayu Purwarianti. 2018. Investigating Bi-LSTM and CRF with POS Tag "
    "Embedding for Indonesian Named Entity Tagger. In Proceedings of the 2018 International "
    "Conference on Asian Language Processing (IALP), pages 35-38. IEEE."
)


def _indonlu_tagging(
    name: str,
    title: str,
    folder: str,
    tags: tuple[str, ...],
    sha: tuple[str, str, str],
    what: str,
    scores: tuple[tuple[str, float], ...],
):
    return DatasetInfo(
        name=name,
        title=title,
        language="id",
        labels=tags,
        files=_indonlu_files(folder, "txt", sha, (6_720, 840, 840)),
        format="conll",
        license=_INDONLU_LICENSE,
        citation=_HOESEN_CITATION + "\n" + _INDONLU_CITATION,
        bibtex_key="hoesen2018investigating",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "8,400 Indonesian news sentences (lower-cased, split into words), split "
            f"6,720 / 840 / 840 sentences (156,409 / 19,629 / 19,952 words), {what} "
            "IndoNLU's POSP and NERP tasks tag the same sentences."
        ),
        # Wilie et al. (2020), Table 5: test F1 of the tag types, averaged over types.
        published=tuple(
            PublishedResult(system, "tag_f1", percent, "wilie2020indonlu")
            for system, percent in scores
        ),
        task="tagging",
    )


# the 26 parts of speech of IndoNLU POSP, alphabetical; its files write each as B-TAG
_POSP_TAGS = (
    "$$$",
    "ADJ",
    "ADK",
    "ADV",
    "ART",
    "CCN",
    "CSN",
    "INT",
    "KUA",
    "NEG",
    "NNO",
    "NNP",
    "NUM",
    "PAR",
    "PPO",
    "PRI",
    "PRK",
    "PRN",
    "PRR",
    "SYM",
    "UNS",
    "VBE",
    "VBI",
    "VBL",
    "VBP",
    "VBT",
)

_GOEMOTIONS_URL = (
    "https://raw.githubusercontent.com/google-research/google-research/master/goemotions/data/"
    "{filename}"
)

DATASETS: dict[str, DatasetInfo] = {
    "dair-emotion": DatasetInfo(
        name="dair-emotion",
        title="dair-ai emotion: English tweets, 6 emotions (CARER)",
        language="en",
        labels=("sadness", "joy", "love", "anger", "fear", "surprise"),
        files=(
            RemoteFile(
                "train",
                "train.txt",
                _DAIR_URL.format(key="1pzkadrvffbqw6o", filename="train.txt"),
                "3ab03d945a6cb783d818ccd06dafd52d2ed8b4f62f0f85a09d7d11870865b190",
                16_000,
            ),
            RemoteFile(
                "validation",
                "val.txt",
                _DAIR_URL.format(key="2mzialpsgf9k5l3", filename="val.txt"),
                "34faaa31962fe63cdf5dbf6c132ef8ab166c640254ab991af78f3aea375e79ef",
                2_000,
            ),
            RemoteFile(
                "test",
                "test.txt",
                _DAIR_URL.format(key="ikkqxfdbdec3fuj", filename="test.txt"),
                "60f531690d20127339e7f054edc299a82c627b5ec0dd5d552d53d544e0cfcc17",
                2_000,
            ),
        ),
        format="semicolon",
        license="educational and research purposes (per the dataset card)",
        citation=(
            "Elvis Saravia, Hsien-Chi Toby Liu, Yen-Hao Huang, Junlin Wu, and Yi-Shin Chen. "
            "2018. CARER: Contextualized Affect Representations for Emotion Recognition. "
            "In Proceedings of the 2018 Conference on Empirical Methods in Natural Language "
            "Processing (EMNLP), pages 3687-3697, Brussels, Belgium. Association for "
            "Computational Linguistics. https://doi.org/10.18653/v1/D18-1404"
        ),
        bibtex_key="saravia2018carer",
        homepage="https://github.com/dair-ai/emotion_dataset",
        description=(
            "20,000 lower-cased English tweets, each labelled with one of six emotions "
            "(sadness, joy, love, anger, fear, surprise), split 16,000 / 2,000 / 2,000. "
            "The classes are imbalanced: joy and sadness make up over 60% of the "
            "training set, surprise under 4%."
        ),
        # The comparison table on the model cards of three fine-tuned models
        # (bhadresh-savani on the Hugging Face hub): test accuracy.
        published=tuple(
            PublishedResult(system, "accuracy", percent, "savaniemotioncards")
            for system, percent in (
                ("BERT-base", 94.05),
                ("DistilBERT", 93.8),
                ("RoBERTa-base", 93.95),
            )
        ),
    ),
    "indonlu-emot": DatasetInfo(
        name="indonlu-emot",
        title="IndoNLU EmoT: Indonesian tweets, 5 emotions",
        language="id",
        labels=("sadness", "anger", "love", "fear", "happy"),
        files=(
            RemoteFile(
                "train",
                "train_preprocess.csv",
                _INDONLU_URL.format(filename="train_preprocess.csv"),
                "51bb4e77d989004d0ca49c158f404d7eda956015a18b805401f7dee9b4d85fc1",
                3_521,
            ),
            RemoteFile(
                "validation",
                "valid_preprocess.csv",
                _INDONLU_URL.format(filename="valid_preprocess.csv"),
                "3cba3d7b2cc3afa5cdd452a13df2498ff8a32b420f59ed10a48e41a452c98f50",
                440,
            ),
            RemoteFile(
                "test",
                "test_preprocess.csv",
                _INDONLU_URL.format(filename="test_preprocess.csv"),
                "e983b8e4b079a3b76f299cc801305f1098e35281f5b95636432981a2f2a1b461",
                440,
            ),
        ),
        format="csv",
        license=(
            "CC BY-NC-SA 4.0 (original dataset); distributed in the IndoNLU repository (Apache-2.0)"
        ),
        citation=(
            "Mei Silviana Saputri, Rahmad Mahendra, and Mirna Adriani. 2018. Emotion "
            "Classification on Indonesian Twitter Dataset. In Proceedings of the 2018 "
            "International Conference on Asian Language Processing (IALP), pages 90-95. "
            "IEEE.\n" + _INDONLU_CITATION
        ),
        bibtex_key="saputri2018emotion",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "4,401 Indonesian tweets, each labelled with one of five emotions (sadness, "
            "anger, love, fear, happy), split 3,521 / 440 / 440: the EmoT task of the "
            "IndoNLU benchmark. User names are masked as [USERNAME]; a few tweets span "
            "several lines."
        ),
        # Wilie et al. (2020), Table 5: EmoT test macro-F1.
        published=tuple(
            PublishedResult(system, "macro_f1", percent, "wilie2020indonlu")
            for system, percent in (
                ("Scratch", 57.31),
                ("fastText-cc-id", 65.36),
                ("fastText-indo4b", 69.23),
                ("mBERT", 67.30),
                ("XLM-R base", 71.15),
                ("XLM-R large", 78.51),
                ("IndoBERT base", 75.48),
                ("IndoBERT base, phase 2", 76.28),
                ("IndoBERT large", 77.08),
                ("IndoBERT large, phase 2", 79.47),
            )
        ),
    ),
    "goemotions": DatasetInfo(
        name="goemotions",
        title="GoEmotions: English Reddit comments, Ekman's 6 emotions + neutral",
        language="en",
        # Ekman's six in the order of ekman_mapping.json (alphabetical), then
        # neutral, which is also last in the dataset's emotions.txt.
        labels=("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"),
        files=(
            RemoteFile(
                "train",
                "train.tsv",
                _GOEMOTIONS_URL.format(filename="train.tsv"),
                "1c254a142be5c00e80d819b9ae1bbd36d94b2eeb8f4b1271846508d57e57d9c5",
                43_410,
            ),
            RemoteFile(
                "validation",
                "dev.tsv",
                _GOEMOTIONS_URL.format(filename="dev.tsv"),
                "575489c079c9de1097062a01738f998590d6b7ead66dd1c9fd1d2ba01fd8bc62",
                5_426,
            ),
            RemoteFile(
                "test",
                "test.tsv",
                _GOEMOTIONS_URL.format(filename="test.tsv"),
                "0587b2dd8b27b97352adbfc3fb083d46005c8946657fdc2b1ca8b1cc7f1f8be4",
                5_427,
            ),
        ),
        extra_files=(
            RemoteFile(
                None,
                "emotions.txt",
                _GOEMOTIONS_URL.format(filename="emotions.txt"),
                "45c3ef86782d2a4d7fedcd6d8c111aa0d0e94720689bd164fac94fefb4495a89",
                28,
            ),
            RemoteFile(
                None,
                "ekman_mapping.json",
                _GOEMOTIONS_URL.format(filename="ekman_mapping.json"),
                "d6b1fea382917c1685c42e1324a0344106be9390f52a3850ce032656d103a328",
                None,
            ),
        ),
        format="goemotions",
        license=(
            "CC BY 4.0 (google-research repository README); the Hugging Face copy's card "
            "says Apache-2.0"
        ),
        citation=(
            "Dorottya Demszky, Dana Movshovitz-Attias, Jeongwoo Ko, Alan Cowen, Gaurav "
            "Nemade, and Sujith Ravi. 2020. GoEmotions: A Dataset of Fine-Grained Emotions. "
            "In Proceedings of the 58th Annual Meeting of the Association for Computational "
            "Linguistics (ACL), pages 4040-4054. Association for Computational Linguistics. "
            "https://doi.org/10.18653/v1/2020.acl-main.372"
        ),
        bibtex_key="demszky2020goemotions",
        homepage="https://github.com/google-research/google-research/tree/master/goemotions",
        description=(
            "54,263 English Reddit comments, split 43,410 / 5,426 / 5,427, each labelled "
            "by 3 to 5 human raters with one or more of 27 emotions or neutral; user names "
            "are masked as [NAME]. Unlike dair-emotion, whose labels were derived from "
            "hashtags, the labels are people's judgements, and the texts keep their "
            "capitals, punctuation and emoji. nlptut groups the 27 emotions into Ekman's six "
            "(anger, disgust, fear, joy, sadness, surprise) with the dataset's "
            "ekman_mapping.json, plus neutral: a comment whose labels all fall in one group "
            "gets that group; a comment whose labels fall in several groups (also an "
            "emotion together with neutral; about 9% of the comments) is left out, because "
            "a single-label classifier cannot be scored on it. LabelledData.left_out "
            "counts them per split."
        ),
    ),
    "indonlu-smsa": DatasetInfo(
        name="indonlu-smsa",
        title="IndoNLU SmSA: Indonesian review sentiment, 3 labels",
        language="id",
        labels=("positive", "neutral", "negative"),
        files=_indonlu_files(
            "smsa_doc-sentiment-prosa",
            "tsv",
            (
                "50f38ceed9b31521bf1581e126620532cc9b790712938159a2cdcf6906977a9b",
                "6ab41ddc9d58a35086f05ebd2e209c74cb03d87d4f51d6abdfba674eafbefa74",
                "4e8016daa8e4e1b193f2a28a79d3a7804dd4e3f926a3ab7e8a64264f5f416a6f",
            ),
            (11_000, 1_260, 500),
        ),
        format="tsv-plain",
        license=_INDONLU_LICENSE,
        citation=(
            "Ayu Purwarianti and Ida Ayu Putu Ari Crisdayanti. 2019. Improving Bi-LSTM "
            "Performance for Indonesian Sentiment Analysis Using Paragraph Vector. In "
            "Proceedings of the 2019 International Conference of Advanced Informatics: Concepts, "
            "Theory and Applications (ICAICTA), pages 1-5. IEEE.\n" + _INDONLU_CITATION
        ),
        bibtex_key="purwarianti2019improving",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "12,760 Indonesian comments and reviews (lower-cased, split into words), each "
            "labelled positive, neutral or negative, split 11,000 / 1,260 / 500: the SmSA "
            "task of the IndoNLU benchmark. Positive is over half of the training set, "
            "neutral about a tenth."
        ),
        # Wilie et al. (2020), Table 5: SmSA test macro-F1.
        published=tuple(
            PublishedResult(system, "macro_f1", percent, "wilie2020indonlu")
            for system, percent in (
                ("Scratch", 67.35),
                ("fastText-cc-id", 76.92),
                ("fastText-indo4b", 82.13),
                ("IndoBERT base", 87.73),
                ("IndoBERT large", 92.72),
            )
        ),
    ),
    "indonlu-posp": _indonlu_tagging(
        "indonlu-posp",
        "IndoNLU POSP: Indonesian news, a part-of-speech tag per word (26 tags)",
        "posp_pos-prosa",
        tuple(f"B-{t}" for t in _POSP_TAGS),
        (
            "667d16f7e3e424fc1bf3d1aff8d99a0045ff07ca382c467f612d9ddc420803a1",
            "9af8289324391466c282132a8b47323b38e84daa3f0dd9b0d972da0a9f0970a9",
            "bc3f87f79d3753598f3d83218405c29468d9cc8aab02482710110657f5dd36b6",
        ),
        "each word tagged with one of 26 parts of speech (written B-NNO, B-VBI, ...: "
        "each word is a chunk of its own).",
        (
            ("Scratch", 86.78),
            ("fastText-cc-id", 94.35),
            ("fastText-indo4b", 94.94),
            ("IndoBERT base", 95.26),
            ("IndoBERT base, phase 2", 95.23),
            ("IndoBERT large", 95.71),
            ("IndoBERT large, phase 2", 95.34),
        ),
    ),
    "indonlu-nerp": _indonlu_tagging(
        "indonlu-nerp",
        "IndoNLU NERP: Indonesian news, named entities of five types (BIO tags)",
        "nerp_ner-prosa",
        (
            "O",
            "B-PPL",
            "I-PPL",
            "B-PLC",
            "I-PLC",
            "B-IND",
            "I-IND",
            "B-EVT",
            "I-EVT",
            "B-FNB",
            "I-FNB",
        ),
        (
            "0361c2b4a40298f00c027ad80b3c29a1f2a14c3d6fea91ec292820af25821a2d",
            "5e08679148ada73a809a52fbe9695ac8d9b0acfe4e3e8f686fa6ab16048b4863",
            "c262b1bfd339e58ee347e1f7fd8fbc4584c61ed6e36e5da4786539611c80aa03",
        ),
        "each word tagged O (outside any name) or B-/I- (beginning or inside) a name of "
        "one of five types: PPL person, PLC place, IND product or brand, EVT event, FNB "
        "food and beverage.",
        (
            ("Scratch", 30.66),
            ("fastText-cc-id", 46.46),
            ("fastText-indo4b", 46.79),
            ("IndoBERT base", 75.52),
            ("IndoBERT base, phase 2", 75.68),
            ("IndoBERT large", 79.25),
            ("IndoBERT large, phase 2", 77.99),
        ),
    ),
}


def list_datasets() -> list[DatasetInfo]:
    """Return the known datasets, in registry order.

    Returns
    -------
    list of DatasetInfo
    """
    return list(DATASETS.values())


def _unknown_dataset(name: str, *, paths_accepted: bool = False) -> UnknownName:
    known = ", ".join(DATASETS)
    close = difflib.get_close_matches(name, DATASETS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    also = (
        " A path to a .csv, .tsv or .txt file, or to a folder of them, is also accepted."
        if paths_accepted
        else ""
    )
    return UnknownName(f"unknown dataset {name!r}; known datasets: {known}.{hint}{also}")


def dataset_info(name: str) -> DatasetInfo:
    """Return the registry entry of a known dataset.

    Parameters
    ----------
    name : str
        A dataset name such as ``"dair-emotion"``.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset (the message lists the known ones).
    """
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise _unknown_dataset(str(name)) from None


# %% Files, hashes and the cache ---------------------------------------------


def cache_dir(name: str) -> Path:
    """Return the cache folder of a known dataset, ``config.data_home() / name``.

    The folder is not created.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    """
    home = config.data_home()
    if home.exists() and not home.is_dir():
        raise DatasetNotAvailable(
            f"the dataset cache {home} is a file, not a folder; point NLPTUT_DATA at a folder"
        )
    return home / dataset_info(name).name


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp(st: os.stat_result) -> list[str]:
    """What the sidecar remembers of a file besides its hash. The change time (ctime)
    cannot be set back by a program, so a file edited in place with its size and
    modification time restored is still noticed and hashed again."""
    return [str(st.st_size), str(st.st_mtime_ns), str(st.st_ctime_ns), str(st.st_ino)]


def _record_verified(path: Path, sha256: str) -> None:
    """Write the sidecar of a verified file (best effort: the cache may be read-only)."""
    try:
        st = path.stat()
        write_text_atomic(_sidecar(path), " ".join([sha256, *_stamp(st)]) + "\n", encoding="ascii")
    except OSError:
        pass


def _is_verified(path: Path, sha256: str, *, rehash: bool = False) -> bool:
    """Return whether ``path`` exists and has the expected sha256.

    Cheaply, via the sidecar, when the file is unchanged since it was last
    hashed; ``rehash`` hashes it again whatever the sidecar says.
    """
    try:
        st = path.stat()
    except OSError:
        return False
    if not path.is_file():
        return False
    try:
        recorded = _sidecar(path).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        recorded = []
    if not rehash and recorded == [sha256, *_stamp(st)]:
        return True
    try:
        if sha256sum(path) != sha256:
            return False
    except OSError:
        return False
    _record_verified(path, sha256)
    return True


def cached_files(name: str) -> dict[str, Path | None]:
    """Return where each file of a known dataset is in the cache, if it is there and intact.

    Parameters
    ----------
    name : str
        A known dataset name.

    Returns
    -------
    dict of str to Path or None
        Split name to the cached file, or to ``None`` where the file is missing or
        its sha256 is wrong; an auxiliary file (:attr:`DatasetInfo.extra_files`)
        is keyed by its file name.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    """
    info = dataset_info(name)
    folder = cache_dir(name)
    found: dict[str, Path | None] = {}
    for remote in info.all_files:
        path = folder / remote.filename
        found[remote.key] = path if _is_verified(path, remote.sha256) else None
    return found


def _sweep_partial(dest: Path) -> None:
    """Remove ``.part`` files of ``dest`` left by a killed run (older than 15 minutes,
    so never the file of a download still running in another process)."""
    sweep_stale(dest.parent, f".{dest.name}.*.part")


def _install(
    chunks: Iterable[bytes],
    dest: Path,
    remote: RemoteFile,
    *,
    source: str,
    fix: str,
) -> None:
    """Stream ``chunks`` into a temporary file beside ``dest``, verify it, move it in place."""
    _sweep_partial(dest)
    with replacing(dest, suffix=".part") as tmp:
        digest = hashlib.sha256()
        with open(tmp, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        actual = digest.hexdigest()
        if actual != remote.sha256:
            raise ChecksumMismatch(
                f"{remote.filename} from {source} has sha256 {actual}, expected "
                f"{remote.sha256}; the copy is corrupt or not the published file. {fix}"
            )
        _sidecar(dest).unlink(missing_ok=True)
    _record_verified(dest, remote.sha256)


def _read_chunks(f: IO[bytes], progress: Any = None) -> Iterator[bytes]:
    while chunk := f.read(_CHUNK):
        if progress is not None:
            progress.update(len(chunk))
        yield chunk


def _copy_from_mirror(info: DatasetInfo, remote: RemoteFile, mirror: Path, dest: Path) -> None:
    source = mirror / info.name / remote.filename
    if not source.is_file():
        where = "" if mirror.is_dir() else f" (the folder {mirror} does not exist)"
        raise DatasetNotAvailable(
            f"{info.name} is not cached and the mirror lacks {source}{where}. Fix: put "
            f"{remote.filename} (from {remote.url}) there, or point NLPTUT_DATA_MIRROR at "
            f"a folder holding {info.name}/{remote.filename}, or unset it to download."
        )
    with open(source, "rb") as f:
        _install(
            _read_chunks(f),
            dest,
            remote,
            source=f"the mirror ({source})",
            fix=f"Fix: replace the mirror's copy with a fresh download from {remote.url}.",
        )


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code in (408, 429)
    return True


def _download(info: DatasetInfo, remote: RemoteFile, dest: Path, *, progress: bool | None) -> None:
    from http.client import HTTPException

    from tqdm.auto import tqdm

    request = urllib.request.Request(remote.url, headers={"User-Agent": f"nlptut/{__version__}"})
    show = config.show_progress(progress)
    for attempt in range(1, _TRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
                length = response.headers.get("Content-Length") if response.headers else None
                total = int(length) if length and length.isdigit() else None
                with tqdm(
                    total=total,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=f"{info.name}/{remote.filename}",
                    disable=not show,
                    leave=False,
                ) as bar:
                    _install(
                        _read_chunks(response, bar),
                        dest,
                        remote,
                        source=remote.url,
                        fix=(
                            "Fix: try again later; if it persists, the file changed upstream: "
                            f"report it, and meanwhile set NLPTUT_DATA_MIRROR to a folder "
                            f"holding a good copy as {info.name}/{remote.filename}."
                        ),
                    )
            return
        except (OSError, HTTPException) as exc:  # URLError, HTTPError, timeouts, resets
            if attempt < _TRIES and _retryable(exc):
                time.sleep(_BACKOFF_S * 2 ** (attempt - 1))
                continue
            reason = getattr(exc, "reason", None) or exc
            raise DatasetNotAvailable(
                f"{info.name} is not cached and downloading {remote.filename} from "
                f"{remote.url} failed after {attempt} tr{'y' if attempt == 1 else 'ies'} "
                f"({type(exc).__name__}: {reason}). Fix: if this machine is offline, set "
                f"NLPTUT_DATA_MIRROR to a folder holding {info.name}/{remote.filename} "
                f"(and the dataset's other files); otherwise check the connection and "
                f"try again."
            ) from exc


def fetch_with_origins(
    name: str, *, progress: bool | None = None, verify: bool = False
) -> dict[str, tuple[Path, str]]:
    """Like :func:`fetch`, also saying where each file came from this time:
    ``"cache"`` (verified in place), ``"mirror"`` (copied) or ``"network"`` (downloaded)."""
    info = dataset_info(name)
    folder = cache_dir(name)
    mirror = config.data_mirror()
    result: dict[str, tuple[Path, str]] = {}
    for remote in info.all_files:
        dest = folder / remote.filename
        if _is_verified(dest, remote.sha256, rehash=verify):
            result[remote.key] = (dest, "cache")
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if mirror is not None:
                _copy_from_mirror(info, remote, mirror, dest)
                result[remote.key] = (dest, "mirror")
            else:
                _download(info, remote, dest, progress=progress)
                result[remote.key] = (dest, "network")
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            raise DatasetNotAvailable(
                f"{exc.filename or folder}: cannot write the dataset cache (no permission, or "
                "a read-only disk); set NLPTUT_DATA to a folder you can write"
            ) from None
    return result


def fetch(name: str, *, progress: bool | None = None, verify: bool = False) -> dict[str, Path]:
    """Make sure every file of a known dataset is in the cache, verified.

    A file already in the cache with the right sha256 is used as it is (its
    sha256 is computed again when the file changed since it was last hashed,
    by its size, modification and change times, or always with ``verify``). Otherwise it
    is copied from the mirror (``NLPTUT_DATA_MIRROR``) when one is set, or downloaded
    from its URL (timeout 30 s, 3 tries). The new copy's sha256 is checked before it
    is moved into the cache; nothing partial is ever left there.

    Parameters
    ----------
    name : str
        A known dataset name.
    progress : bool, optional
        Show a download progress bar. By default, only when standard error is a
        terminal.
    verify : bool, default False
        Hash every cached file again instead of trusting its unchanged sidecar.

    Returns
    -------
    dict of str to Path
        Split name to the verified cached file; an auxiliary file
        (:attr:`DatasetInfo.extra_files`) is keyed by its file name.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    DatasetNotAvailable
        If the mirror lacks a file, or the download failed.
    ChecksumMismatch
        If the mirror's or the server's copy has the wrong sha256.
    """
    fetched = fetch_with_origins(name, progress=progress, verify=verify)
    return {split: path for split, (path, _) in fetched.items()}


# %% Reading labelled files --------------------------------------------------


@dataclass
class _Record:
    line: int
    text: str
    label: str


_fail = DataFormatError.at  # "FILE, line N: problem; fix: ..."


def _read_source(path: Path) -> bytes:
    """Return the bytes of ``path``, read once; only a regular file is read."""
    if not stat.S_ISREG(path.stat().st_mode):  # follows links to a regular file
        raise _fail(
            path,
            None,
            "not a regular file (a folder, a FIFO or a device)",
            "give a plain text file saved on disk",
        )
    return path.read_bytes()


def _clean_label(label: str) -> str:
    """A label in Unicode NFC, without invisible format characters or surrounding spaces."""
    label = unicodedata.normalize("NFC", label)
    return "".join(ch for ch in label if unicodedata.category(ch) != "Cf").strip()


def _decode(path: Path, data: bytes, empty_fix: str = _EMPTY_FIX) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.end]
        raise _fail(
            path,
            line,
            f"byte {bad!r} at column {column} is not valid UTF-8",
            "save the file with UTF-8 encoding",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _fail(path, None, "the file is empty", empty_fix)
    return text


def _read_semicolon(path: Path, data: bytes) -> list[_Record]:
    records = []
    for number, line in enumerate(_decode(path, data).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        text, sep, label = line.rpartition(";")
        if not sep:
            raise _fail(
                path,
                number,
                "expected `text;label` but the line has no `;`",
                "end each line with `;` and its label",
            )
        if not records and _is_header(text, label):
            continue  # a first line such as `text;label` names the columns: not an example
        text, label = text.strip(), _clean_label(label)
        if not text:
            raise _fail(
                path, number, "the text before `;` is empty", "add the text or drop the line"
            )
        if not label:
            raise _fail(
                path, number, "the label after `;` is empty", "add the label or drop the line"
            )
        records.append(_Record(number, text, label))
    if not records:
        raise _fail(path, None, "the file has no examples", "add `text;label` lines")
    return records


def _is_header(text: str, label: str) -> bool:
    """True for a first line that names the columns (``text;label``, ``tweet;emotion``)."""
    return (
        text.strip().lstrip("\ufeff").lower() in _TEXT_COLUMNS
        and label.strip().lower() in _LABEL_COLUMNS
    )


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _rows(path: Path, reader: Any, kind: str, fix: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, row)`` for each row of a csv ``reader`` that is not blank,
    ``line`` being the row's first line in the file; a malformed row raises a
    one-line error naming that line."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _fail(path, start, f"malformed {kind} ({exc})", fix) from None
        line, start = start, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield line, row


def _read_table(path: Path, delimiter: str, data: bytes) -> list[_Record]:
    text = _decode(path, data)
    if delimiter == ",":
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    else:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE
        )
    kind = "CSV" if delimiter == "," else "TSV"
    header: list[str] | None = None
    text_col = label_col = 0
    records = []
    quoting_fix = (
        "put double quotes around fields that hold commas, quotes or line breaks, "
        'and double any quote inside them ("")'
    )
    for line, row in _rows(path, reader, kind, quoting_fix):
        if header is None:
            header = row
            found_text = _find_column(header, _TEXT_COLUMNS)
            found_label = _find_column(header, _LABEL_COLUMNS)
            columns = ", ".join(repr(h) for h in header)
            if found_text is None:
                raise _fail(
                    path,
                    line,
                    f"expected a text column ({' or '.join(_TEXT_COLUMNS)}) in the header, "
                    f"found {columns}",
                    "name the column that holds the texts `text`",
                )
            if found_label is None:
                raise _fail(
                    path,
                    line,
                    f"expected a label column ({' or '.join(_LABEL_COLUMNS)}) in the header, "
                    f"found {columns}",
                    "name the column that holds the labels `label`",
                )
            text_col, label_col = found_text, found_label
            continue
        if len(row) != len(header):
            raise _fail(
                path,
                line,
                f"expected {len(header)} fields ({', '.join(header)}) but found {len(row)}",
                "quote fields that contain commas"
                if delimiter == ","
                else "remove tabs inside the text",
            )
        item_text, item_label = row[text_col].strip(), _clean_label(row[label_col])
        if (item_text.lower(), item_label.lower()) == (
            header[text_col].strip().lower(),
            header[label_col].strip().lower(),
        ):
            raise _fail(
                path,
                line,
                "this row repeats the header",
                "delete the repeated header line (were two files joined together?)",
            )
        if not item_text:
            raise _fail(
                path,
                line,
                f"the {header[text_col]!r} field is empty",
                "add the text or drop the row",
            )
        if not item_label:
            raise _fail(
                path,
                line,
                f"the {header[label_col]!r} field is empty",
                "add the label or drop the row",
            )
        records.append(_Record(line, item_text, item_label))
    if header is None:
        raise _fail(path, None, "the file is empty", _EMPTY_FIX)
    if not records:
        raise _fail(path, None, "the file has a header but no rows", "add one example per row")
    return records


def _read_plain_tsv(path: Path, data: bytes) -> list[_Record]:
    """``text<TAB>label`` lines without a header (IndoNLU SmSA): the label follows the
    last tab; blank lines are skipped."""
    records = []
    for number, line in enumerate(_decode(path, data).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        text, sep, label = line.rpartition("\t")
        text, label = text.strip(), _clean_label(label)
        if not sep or not text or not label:
            raise _fail(
                path,
                number,
                "expected `text<TAB>label` with both parts non-empty",
                "write the text, one tab, then the label",
            )
        records.append(_Record(number, text, label))
    if not records:
        raise _fail(path, None, "the file has no examples", "add `text<TAB>label` lines")
    return records


def _resolve_format(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in _FORMATS and fmt != "tsv-plain":  # the latter only for known datasets
            raise UnknownName(f"unknown format {fmt!r}; use one of {', '.join(_FORMATS)}")
        return fmt
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        raise _fail(
            path,
            None,
            f"cannot tell the format from the suffix {path.suffix!r}",
            "name the file .csv, .tsv or .txt (`text;label` lines), or pass fmt=",
        ) from None


def _read_records(path: Path, fmt: str | None) -> tuple[list[_Record], str]:
    """Return the file's records and the sha256 of its bytes (the file is read once)."""
    fmt = _resolve_format(path, fmt)
    data = _read_source(path)
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "semicolon":
        records = _read_semicolon(path, data)
    elif fmt == "tsv-plain":
        records = _read_plain_tsv(path, data)
    else:
        records = _read_table(path, "," if fmt == "csv" else "\t", data)
    _check_printable_labels(path, records)
    return records, digest


def _check_printable_labels(path: Path, records: list[_Record]) -> None:
    """Refuse a label with a control character: a line break, or a terminal escape that
    would recolour (or rewrite) the output of every command that prints it."""
    for record in records:
        if any(unicodedata.category(ch) == "Cc" for ch in record.label):
            raise _fail(
                path,
                record.line,
                f"the label {record.label!r} contains a control character "
                "(a line break, a tab or a terminal escape code)",
                "write the label as plain text",
            )


def _check_labels(where: Path, records: list[_Record]) -> None:
    """Refuse label sets no classifier can use; warn about labels that differ only in case."""
    labels = [r.label for r in records]
    distinct = sorted(set(labels))
    if len(distinct) < 2:
        raise _fail(
            where,
            None,
            f"every example has the label {distinct[0]!r}",
            "a classifier needs examples of at least two labels",
        )
    if len(labels) >= 20 and len(distinct) > len(labels) / 2:
        raise _fail(
            where,
            None,
            f"the label column has {len(distinct)} different values in {len(labels)} rows, "
            "so it looks like text",
            "check that the text and label columns are not swapped",
        )
    by_case: dict[str, list[str]] = {}
    for label in distinct:
        by_case.setdefault(label.casefold(), []).append(label)
    near = [group for group in by_case.values() if len(group) > 1]
    if near:
        shown = "; ".join(", ".join(repr(label) for label in group) for group in near)
        warnings.warn(
            DataWarning(
                f"{where.name}: labels that differ only in upper and lower case are different "
                f"classes: {shown}; fix the file if each group is one label"
            ),
            stacklevel=3,
        )


def read_labelled_file(
    path: str | os.PathLike[str], *, fmt: str | None = None
) -> tuple[list[str], list[str]]:
    """Read a file of labelled texts.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    fmt : {"csv", "tsv", "semicolon"}, optional
        The format; by default it follows from the suffix (``.csv``, ``.tsv``,
        ``.txt`` for ``text;label`` lines). See the module docstring for the rules.

    Returns
    -------
    texts : list of str
        The texts, in file order, with surrounding whitespace stripped.
    labels : list of str
        The label of each text, as written in the file.

    Raises
    ------
    DataFormatError
        If the file is empty, malformed or not UTF-8; the message names the file,
        the line, and how to fix it.
    """
    records, _ = _read_records(Path(path), fmt)
    return [r.text for r in records], [r.label for r in records]


# %% GoEmotions: the Ekman grouping ------------------------------------------
#
# GoEmotions gives each comment one or more of 27 emotions or "neutral", as
# comma-separated label ids (0-based lines of emotions.txt). nlptut makes a
# single-label task of it, with Ekman's six emotions plus neutral:
#
# 1. each of a comment's labels is mapped to its Ekman group with the dataset's
#    ekman_mapping.json; "neutral", which the mapping lacks, is its own group;
# 2. if all the labels fall in ONE group, that group is the comment's label
#    (joy + amusement -> joy; neutral alone -> neutral);
# 3. if they fall in several groups (anger + sadness; also joy + neutral), the
#    comment is left out, because a single-label classifier cannot be scored on
#    it. LabelledData.left_out counts them per split (about 9% of each).
#
# RemoteFile.rows is the number of rows in the file, so it is compared with the
# rows read, before step 3.

_NEUTRAL = "neutral"


def _goemotions_groups(emotions: Path, mapping: Path, fix: str) -> tuple[str, ...]:
    """Return the group of each label id: ``groups[i]`` is the Ekman group (or
    ``"neutral"``) of the emotion on line ``i + 1`` of ``emotions``."""
    names = [line.strip() for line in _decode(emotions, _read_source(emotions)).split("\n")]
    while names and not names[-1]:  # the file may or may not end with a newline
        names.pop()
    for number, name in enumerate(names, start=1):
        if not name:
            raise _fail(emotions, number, "the line is empty", fix)
        if names.index(name) != number - 1:
            raise _fail(emotions, number, f"{name!r} is listed twice", fix)
    try:
        grouping = json.loads(_decode(mapping, _read_source(mapping)))
    except ValueError as exc:
        raise _fail(mapping, None, f"not valid JSON ({exc})", fix) from None
    if not isinstance(grouping, dict) or not all(
        isinstance(members, list) and all(isinstance(m, str) for m in members)
        for members in grouping.values()
    ):
        raise _fail(mapping, None, "expected an object of group name to list of emotions", fix)
    group_of = {_NEUTRAL: _NEUTRAL}
    for group, members in grouping.items():
        for member in members:
            if member in group_of:
                raise _fail(mapping, None, f"{member!r} is in two groups", fix)
            if member not in names:
                raise _fail(mapping, None, f"{member!r} is not in {emotions.name}", fix)
            group_of[member] = group
    missing = [name for name in names if name not in group_of]
    if missing:
        raise _fail(mapping, None, f"no group for {', '.join(missing)}", fix)
    return tuple(group_of[name] for name in names)


def _read_goemotions(path: Path, groups: tuple[str, ...], fix: str) -> tuple[list[_Record], int]:
    """Read a GoEmotions split: ``text<TAB>label ids<TAB>comment id`` rows, no header.

    Texts that are CSV-quoted (doubled ``""`` inside) are unquoted; surrounding
    whitespace is stripped. Returns the records whose labels fall in one group,
    labelled with that group, and the number of rows read (kept or not).
    """
    reader = csv.reader(
        io.StringIO(_decode(path, _read_source(path)), newline=""), delimiter="\t", strict=True
    )
    records = []
    read = 0
    for line, row in _rows(path, reader, "TSV", fix):
        if len(row) != 3:
            raise _fail(
                path,
                line,
                f"expected 3 tab-separated fields (text, label ids, comment id) but found "
                f"{len(row)}",
                fix,
            )
        text = row[0].strip()
        if not text:
            raise _fail(path, line, "the text is empty", fix)
        found = set()
        for label_id in row[1].split(","):
            label_id = label_id.strip()
            if not (label_id.isascii() and label_id.isdigit() and int(label_id) < len(groups)):
                raise _fail(
                    path,
                    line,
                    f"label id {label_id!r} is not a number from 0 to {len(groups) - 1} "
                    "(a line of emotions.txt, counted from 0)",
                    fix,
                )
            found.add(groups[int(label_id)])
        read += 1
        if len(found) == 1:
            records.append(_Record(line, text, found.pop()))
    if not read:
        raise _fail(path, None, "the file has no examples", fix)
    return records, read


# %% Loaded data -------------------------------------------------------------


@dataclass
class Split:
    """The texts of one split and their label indices.

    Attributes
    ----------
    texts : list of str
    labels : list of int
        Indices into the label names of the :class:`LabelledData` it belongs to.
    """

    texts: list[str]
    labels: list[int]

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise ValueError(
                f"Split has {len(self.texts)} texts but {len(self.labels)} labels; "
                "give one label per text"
            )

    def __len__(self) -> int:
        return len(self.texts)

    def sample(self, n: int, seed: int) -> Split:
        """A random sample of ``n`` examples (all of them if there are fewer), in their order.

        The same ``seed`` always draws the same sample.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        import numpy as np

        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(len(self), size=min(n, len(self)), replace=False))
        return Split([self.texts[i] for i in keep], [self.labels[i] for i in keep])


@dataclass
class LabelledData:
    """A labelled dataset with train, validation and test splits.

    Attributes
    ----------
    name : str
        The dataset's name, or the stem of the user's file or folder.
    labels : tuple of str
        Label names: label index ``i`` is ``labels[i]``.
    splits : dict of str to Split
        Always the keys ``"train"``, ``"validation"`` and ``"test"``.
    language : str or None
        The texts' language, if known.
    sources : dict of str to (Path, str)
        For each split, the file it was read from and that file's sha256; for a
        known dataset with auxiliary files (:attr:`DatasetInfo.extra_files`), also
        each of those, keyed by its file name.
    left_out : dict of str to int
        For each split, how many rows of its file the dataset's labelling rule
        left out (counted over the whole file, before ``limit``); empty where no
        rule leaves any out. For ``goemotions``: the comments whose labels fall in
        more than one Ekman group.
    """

    name: str
    labels: tuple[str, ...]
    splits: dict[str, Split]
    language: str | None = None
    sources: dict[str, tuple[Path, str]] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, split: str) -> Split:
        """Return a split by name.

        Raises
        ------
        UnknownName
            If there is no such split.
        """
        try:
            return self.splits[split]
        except (KeyError, TypeError):
            raise UnknownName(
                f"{self.name} has no split {split!r}; use one of {', '.join(self.splits)}"
            ) from None

    def label_counts(self, split: str) -> dict[str, int]:
        """Return how many examples of ``split`` carry each label.

        Parameters
        ----------
        split : str
            ``"train"``, ``"validation"`` or ``"test"``.

        Returns
        -------
        dict of str to int
            Label name to count, in label order (labels that never occur count 0).
        """
        counts = dict.fromkeys(self.labels, 0)
        for index in self[split].labels:
            counts[self.labels[index]] += 1
        return counts

    def labels_of(self, split: str) -> list[str]:
        """The label name of every example of ``split``, in order."""
        return [self.labels[i] for i in self[split].labels]

    def first(self, n: int, split: str = "train") -> LabelledData:
        """Return a copy in which ``split`` keeps only its first ``n`` examples.

        The other splits stay whole, so a model trained on a subset of the
        training examples is still scored on the complete validation and test
        splits (``load_dataset(..., limit=n)`` cuts every split).

        Parameters
        ----------
        n : int
            How many examples to keep (at least 1).
        split : str
            ``"train"`` (the default), ``"validation"`` or ``"test"``.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        part = self[split]
        splits = {**self.splits, split: Split(part.texts[:n], part.labels[:n])}
        return dataclasses.replace(self, splits=splits)

    def sampled(self, n: int, seed: int, split: str = "train") -> LabelledData:
        """Return a copy in which ``split`` keeps a random sample of ``n`` examples.

        Like :meth:`first`, but drawn at random (:meth:`Split.sample`): the
        same ``seed`` draws the same sample, another seed another one. The
        other splits stay whole.
        """
        return dataclasses.replace(self, splits={**self.splits, split: self[split].sample(n, seed)})

    def with_extra_training(
        self, texts: Sequence[str], labels: Sequence[str], *, source: str = "extra texts"
    ) -> LabelledData:
        """Return a copy whose training split also holds ``texts`` with ``labels`` (names).

        Only the training split grows: the validation and test splits stay as
        they are, so a model trained on the copy is scored on the same texts
        as one trained without the extra ones. Counterfactual pairs
        (:mod:`nlptut.counterfactual`) are added this way.

        Raises
        ------
        UnknownName
            If a label is not one of this dataset's labels (naming it, and
            ``source``).
        """
        texts, labels = list(texts), list(labels)
        if len(texts) != len(labels):
            raise ValueError(f"{source}: {len(texts)} texts but {len(labels)} labels")
        index = {name: i for i, name in enumerate(self.labels)}
        for position, label in enumerate(labels):
            if label not in index:
                raise UnknownName(
                    f"{source}: label {label!r} of text {position + 1} is not one of "
                    f"{self.name}'s labels ({', '.join(self.labels)}); use only those, or "
                    "restrict both to shared labels"
                )
        train = self["train"]
        grown = Split(train.texts + texts, train.labels + [index[y] for y in labels])
        return dataclasses.replace(self, splits={**self.splits, "train": grown})

    def only(self, labels: Sequence[str]) -> LabelledData:
        """Return a copy that keeps only the examples of ``labels``, in every split.

        The copy's labels are ``labels``, in the order given (so that two
        datasets restricted to the same emotions number them the same way).

        Raises
        ------
        UnknownName
            If a name is not one of this dataset's labels.
        """
        unknown = [name for name in labels if name not in self.labels]
        if unknown or len(set(labels)) != len(labels) or len(labels) < 2:
            raise UnknownName(
                f"{self.name}: cannot keep labels {list(labels)}; name two or more "
                f"different labels of {', '.join(self.labels)}"
            )
        new_index = {self.labels.index(name): i for i, name in enumerate(labels)}
        splits = {
            name: Split(
                [t for t, y in zip(part.texts, part.labels, strict=True) if y in new_index],
                [new_index[y] for y in part.labels if y in new_index],
            )
            for name, part in self.splits.items()
        }
        return dataclasses.replace(self, labels=tuple(labels), splits=splits)

    def combined(self, other: LabelledData, name: str | None = None) -> LabelledData:
        """Return one dataset holding both datasets' examples, split by split.

        Both must have the same labels in the same order (see :meth:`only`).
        """
        if self.labels != other.labels:
            raise ValueError(
                f"cannot combine {self.name} ({', '.join(self.labels)}) with {other.name} "
                f"({', '.join(other.labels)}): restrict both to the same labels with only()"
            )
        splits = {
            key: Split(
                self.splits[key].texts + other.splits[key].texts,
                self.splits[key].labels + other.splits[key].labels,
            )
            for key in self.splits
        }
        language = self.language if self.language == other.language else None
        return LabelledData(
            name or f"{self.name}+{other.name}",
            self.labels,
            splits,
            language,
            sources={
                f"{data.name}/{key}": value
                for data in (self, other)
                for key, value in data.sources.items()
            },
        )


def _limited(split: Split, limit: int | None) -> Split:
    if limit is None:
        return split
    return Split(split.texts[:limit], split.labels[:limit])


def _load_known(info: DatasetInfo, limit: int | None) -> LabelledData:
    paths = fetch(info.name)
    index = {label: i for i, label in enumerate(info.labels)}
    groups = None
    if info.format == "goemotions":
        emotions, mapping = paths["emotions.txt"], paths["ekman_mapping.json"]
        groups = _goemotions_groups(
            emotions, mapping, f"delete {mapping.parent} and run `nlptut fetch {info.name}`"
        )
    splits: dict[str, Split] = {}
    sources: dict[str, tuple[Path, str]] = {}
    left_out: dict[str, int] = {}
    for remote in info.files:
        path = paths[remote.split]
        if groups is None:
            records, _ = _read_records(path, info.format)
            read = len(records)
        else:
            records, read = _read_goemotions(
                path, groups, f"delete {path} and run `nlptut fetch {info.name}`"
            )
            left_out[remote.split] = read - len(records)
        if read != remote.rows:
            raise _fail(
                path,
                None,
                f"expected {remote.rows} examples but read {read}",
                f"delete {path} and run `nlptut fetch {info.name}`",
            )
        labels = []
        for record in records:
            if record.label not in index:
                raise _fail(
                    path,
                    record.line,
                    f"unknown label {record.label!r} for {info.name} "
                    f"(expected one of {', '.join(info.labels)})",
                    f"delete {path} and run `nlptut fetch {info.name}`",
                )
            labels.append(index[record.label])
        splits[remote.split] = _limited(Split([r.text for r in records], labels), limit)
        sources[remote.split] = (path, remote.sha256)
    for remote in info.extra_files:
        sources[remote.key] = (paths[remote.key], remote.sha256)
    return LabelledData(info.name, info.labels, splits, info.language, sources, left_out)


def _split_indices(labels: list[str], test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """Split ``range(len(labels))`` in two, stratified when every class allows it."""
    from sklearn.model_selection import train_test_split

    indices = list(range(len(labels)))
    try:
        first, second = train_test_split(
            indices, test_size=test_size, random_state=seed, stratify=labels
        )
    except ValueError:  # a class too small to stratify
        first, second = train_test_split(indices, test_size=test_size, random_state=seed)
    return list(first), list(second)


def _too_few(path: Path, count: int, what: str) -> DataFormatError:
    return _fail(
        path,
        None,
        f"only {count} example{'s' if count != 1 else ''}; at least {_MIN_EXAMPLES} are "
        f"needed to split off {what}",
        "add examples, or provide a folder with separate train, validation and test files",
    )


def _load_user_file(
    path: Path, seed: int
) -> tuple[dict[str, list[_Record]], dict[str, tuple[Path, str]]]:
    records, digest = _read_records(path, None)
    if len(records) < _MIN_EXAMPLES:
        raise _too_few(path, len(records), "validation and test sets (80/10/10)")
    _check_labels(path, records)
    labels = [r.label for r in records]
    train, held_out = _split_indices(labels, 0.2, seed)
    rel_val, rel_test = _split_indices([labels[i] for i in held_out], 0.5, seed)
    parts = {
        "train": train,
        "validation": [held_out[i] for i in rel_val],
        "test": [held_out[i] for i in rel_test],
    }
    source = (path, digest)
    return (
        {split: [records[i] for i in idx] for split, idx in parts.items()},
        dict.fromkeys(SPLITS, source),
    )


def _split_of(file: Path) -> str | None:
    stem = file.stem.lower()
    for split, aliases in _SPLIT_ALIASES.items():
        for alias in aliases:
            if stem == alias or (stem.startswith(alias) and stem[len(alias)] in "_-."):
                return split
    return None


def split_files(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path | None]:
    """The file of each split in a reader's folder (``None`` for a missing validation file).

    A file counts for a split when its suffix is one of ``suffixes`` and its name
    starts with one of the split's names (``train``, ``valid``, ``validation``,
    ``val``, ``dev``, ``test``, followed by the end of the name or ``_-.``).
    Raises :class:`DataFormatError` when several files could be one split, or
    there is no train or no test file.
    """
    found: dict[str, list[Path]] = {split: [] for split in SPLITS}
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() in suffixes:
            split = _split_of(file)
            if split is not None:
                found[split].append(file)
    for split, files in found.items():
        if len(files) > 1:
            names = ", ".join(f.name for f in files)
            raise DataFormatError(
                f"{folder}: several files could be the {split} split ({names}); fix: keep one"
            )
    expected = ", ".join(f"{{split}}{suffix}" for suffix in suffixes[:-1])
    expected += f" or {{split}}{suffixes[-1]}"
    for split in ("train", "test"):
        if not found[split]:
            raise DataFormatError(
                f"{folder}: no {split} file (expected {expected.format(split=split)}); "
                "fix: add one, or pass a single file to have it split 80/10/10"
            )
    return {split: files[0] if files else None for split, files in found.items()}


def _load_user_folder(
    folder: Path, seed: int
) -> tuple[dict[str, list[_Record]], dict[str, tuple[Path, str]]]:
    found = split_files(folder, tuple(_SUFFIX_FORMATS))
    records, sources = {}, {}
    for split, file in found.items():
        if file is not None:
            records[split], digest = _read_records(file, None)
            sources[split] = (file, digest)
    _check_labels(folder, [r for split_records in records.values() for r in split_records])
    trained_on = {r.label for r in records["train"]}
    if len(trained_on) < 2:  # other labels only in validation or test: nothing to learn
        raise _fail(
            found["train"],
            None,
            f"every training example has the label {trained_on.pop()!r}",
            "a classifier needs training examples of at least two labels",
        )
    if found["validation"] is None:
        train_path = found["train"]
        train = records["train"]
        if len(train) < _MIN_EXAMPLES:
            raise _too_few(train_path, len(train), "a validation set")
        kept, held_out = _split_indices([r.label for r in train], 0.1, seed)
        records["train"] = [train[i] for i in kept]
        records["validation"] = [train[i] for i in held_out]
        sources["validation"] = sources["train"]
    return {split: records[split] for split in SPLITS}, {split: sources[split] for split in SPLITS}


def _looks_like_path(value: str | os.PathLike[str]) -> bool:
    if not isinstance(value, str):
        return True
    return (
        os.sep in value
        or "/" in value
        or value.startswith(("~", "."))
        or Path(value).suffix.lower() in _SUFFIX_FORMATS
    )


def load_dataset(
    name_or_path: str | os.PathLike[str], *, limit: int | None = None, seed: int = 0
) -> LabelledData:
    """Load a known dataset by name, or a user's labelled data from a file or folder.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A known dataset name (``"dair-emotion"``, ``"indonlu-emot"``,
        ``"goemotions"``), fetched into the cache as needed, or a path to a
        ``.csv``/``.tsv``/``.txt`` file or to a folder of per-split files (see the
        module docstring for the formats).
        A string that is a known name is always taken as the name.
    limit : int, optional
        Keep only the first ``limit`` examples of each split (for quick runs).
    seed : int, default 0
        Random state of the 80/10/10 split of a single user file.

    Returns
    -------
    LabelledData
        With splits ``"train"``, ``"validation"`` and ``"test"``. Label indices
        follow the dataset's canonical label order, or the sorted label strings of
        user data.

    Raises
    ------
    UnknownName
        If ``name_or_path`` is neither a known name nor an existing path.
    DatasetNotAvailable
        If the path does not exist, or a known dataset cannot be fetched.
    DataFormatError
        If a file is malformed (the message names file and line).
    ChecksumMismatch
        If a fetched file has the wrong sha256.

    Examples
    --------
    >>> data = load_dataset("dair-emotion", limit=100)  # doctest: +SKIP
    >>> data.labels[data["train"].labels[0]]  # doctest: +SKIP
    'sadness'
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None, not {limit!r}")
    if isinstance(name_or_path, str) and name_or_path in DATASETS:
        info = DATASETS[name_or_path]
        if info.task != "classification":
            raise UnknownName(
                f"{info.name} tags every word rather than labelling whole texts; load it "
                f"with nlptut.conll.load_tagged({info.name!r}), or train on it with "
                f"`nlptut train --dataset {info.name} --model tagger`"
            )
        return _record_loaded(_load_known(info, limit))
    if isinstance(name_or_path, str) and not name_or_path.strip():
        raise _unknown_dataset(name_or_path, paths_accepted=True)

    path = Path(name_or_path).expanduser()
    if not path.exists():
        if _looks_like_path(name_or_path):
            raise DatasetNotAvailable(
                f"no such file or folder: {path}; fix: check the path, or use one of the "
                f"known datasets ({', '.join(DATASETS)})"
            )
        raise _unknown_dataset(str(name_or_path), paths_accepted=True)
    if path.is_dir():
        records, sources = _load_user_folder(path, seed)
        name = readable_name(path.resolve().name)
    else:
        records, sources = _load_user_file(path, seed)
        name = readable_name(path.stem)
    labels = tuple(sorted({r.label for split in records.values() for r in split}))
    index = {label: i for i, label in enumerate(labels)}
    splits = {
        split: _limited(Split([r.text for r in rs], [index[r.label] for r in rs]), limit)
        for split, rs in records.items()
    }
    return _record_loaded(LabelledData(name, labels, splits, None, sources))


# %% Provenance: which files this process loaded -------------------------------

#: Environment variable naming a file to which every loaded file is appended as one
#: JSON line, so that a process can learn what its subprocesses (for example the
#: ``nlptut`` command line run by a tutorial) loaded. Unset: nothing is written.
PROVENANCE_LOG_ENV = "NLPTUT_PROVENANCE_LOG"


@dataclass(frozen=True)
class LoadedFile:
    """A data file that :func:`load_dataset` read, recorded for provenance.

    Attributes
    ----------
    dataset : str
        The dataset's name (or the stem of the user's file or folder).
    split : str
        The split read from the file.
    path : Path
        Where the file was read from.
    sha256 : str
        The file's sha256 (verified against the registry for known datasets).
    """

    dataset: str
    split: str
    path: Path
    sha256: str


_LOADED: list[LoadedFile] = []


def loaded_files() -> list[LoadedFile]:
    """Return every data file that :func:`load_dataset` has read in this process.

    Oldest first, one entry per split per call (a file loaded twice is listed
    twice). The documentation uses it to show on each executed page the sha256
    of the data the page was computed from.

    Returns
    -------
    list of LoadedFile
    """
    return list(_LOADED)


def _record_loaded(data: LabelledData) -> LabelledData:
    """Note the files behind ``data`` in :func:`loaded_files` (and the log, if set)."""
    log = os.environ.get(PROVENANCE_LOG_ENV)
    for split, (path, sha256) in data.sources.items():
        item = LoadedFile(data.name, split, Path(path), sha256)
        _LOADED.append(item)
        if log:
            line = {"dataset": item.dataset, "split": split, "path": str(path), "sha256": sha256}
            try:
                with open(log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")
            except OSError:  # best effort: provenance must never break loading
                pass
    return data
