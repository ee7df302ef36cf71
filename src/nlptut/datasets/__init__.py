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
from its public URL otherwise (timeout 30 s, 3 tries). Both go through `pooch
<https://www.fatiando.org/pooch/>`_: the file is written into a temporary file
in the cache folder, its sha256 is checked against the registry, and only then
is it moved into place; a failed check, an error or an interrupt leaves no
partial file behind, and a temporary file left by a killed run is removed
15 minutes later.

Besides one file per split, a dataset may need auxiliary files (GoEmotions: its
list of emotion names and its Ekman grouping); they are listed in
:attr:`DatasetInfo.extra_files` and fetched and verified the same way.

After a file is verified, a sidecar ``<filename>.sha256`` records its sha256,
size, modification and change times, so that later calls can trust the file
without hashing it again (checking the sidecars of all six datasets takes a few
milliseconds; hashing their 14 MB again, ``fetch(name, verify=True)``, about
0.04 s on a laptop); if the file changes, it is hashed again.

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

How the package is laid out
---------------------------
One module per job, each importing only those above it in this list:
``registry`` (what a dataset is),
``catalogue`` (the known datasets),
``cache`` (fetching and verifying their files),
``readers`` (reading labelled files),
``goemotions`` (the Ekman grouping),
``labelled`` (:class:`Split`, :class:`LabelledData`),
``provenance`` (which files were loaded) and
``loading`` (:func:`load_dataset`). Import the public names
from ``nlptut.datasets`` itself.
"""

from nlptut.datasets.cache import cache_dir, cached_files, fetch, fetch_with_origins, sha256sum
from nlptut.datasets.catalogue import DATASETS, dataset_info, list_datasets
from nlptut.datasets.labelled import LabelledData, Split, SplitsByName
from nlptut.datasets.loading import load_dataset, split_files
from nlptut.datasets.provenance import PROVENANCE_LOG_ENV, LoadedFile, loaded_files
from nlptut.datasets.readers import read_labelled_file
from nlptut.datasets.registry import SPLITS, DatasetInfo, PublishedResult, RemoteFile
from nlptut.fileio import name_as_text as readable_name

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
    "fetch_with_origins",
    "Split",
    "SplitsByName",
    "LabelledData",
    "load_dataset",
    "split_files",
    "read_labelled_file",
    "LoadedFile",
    "loaded_files",
    "PROVENANCE_LOG_ENV",
    "readable_name",
]
