"""Tagging: a tag for every word (parts of speech, named entities).

One module per job, each importing only those before it in this list:
``crf`` (a conditional random field: tags that fit their neighbours),
``metrics`` (the F1 of each tag type, seqeval's and IndoNLU's) and
``tagger`` (a BiLSTM-CRF tagger: training, prediction, checkpoints). The
tagged sentences themselves are :mod:`nlptut.conll`, and the ``nlptut``
command runs a tagger through ``nlptut.cli.tagging``.

The old module names ``nlptut.crf``, ``nlptut.tag_metrics`` and
``nlptut.tagger`` still import, with a DeprecationWarning, for one release.
"""

from nlptut.tagging.crf import CRF
from nlptut.tagging.metrics import TagScores, TypeScore, tag_scores
from nlptut.tagging.tagger import Tagger, TaggerConfig, TagTrainConfig

__all__ = [
    "CRF",
    "TagScores",
    "TypeScore",
    "tag_scores",
    "Tagger",
    "TaggerConfig",
    "TagTrainConfig",
]
