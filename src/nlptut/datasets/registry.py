"""What nlptut knows about a dataset before downloading it: its files, labels,
licence and published results."""

from __future__ import annotations

from dataclasses import dataclass

from nlptut.errors import UnknownName

#: The split names, in order, of every :class:`LabelledData`.
SPLITS: tuple[str, ...] = ("train", "validation", "test")


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
        :mod:`nlptut.tagging.metrics`).
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
