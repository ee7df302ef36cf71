"""One way to open any trained model: :func:`load`, and what a classifier answers.

Every kind of model nlptut trains is saved as a checkpoint folder (``nlptut
train``, or a ``save`` method) whose ``config.json`` names the model, and a
classifier can also be exported as one ``.onnx`` file (``nlptut export``).
:func:`kind` reads which one a path holds, without loading or verifying it,
and :func:`load` opens it with the class that verifies and runs it:

=========================== ============== =============================================
what the path holds         :func:`kind`   :func:`load` returns
=========================== ============== =============================================
an ``.onnx`` file           ``"onnx"``     :class:`~nlptut.deploy.OnnxClassifier`
keywords, nbow, cnn, lstm,  ``"network"``  :class:`~nlptut.classifier.TextClassifier`
transformer
minilm (fine-tuned)         ``"minilm"``   :class:`~nlptut.finetuned.FinetunedClassifier`
tagger                      ``"tagger"``   :class:`~nlptut.tagging.tagger.Tagger`
=========================== ============== =============================================

Every classifier among them answers the same four questions, the
:class:`Predictor` protocol: ``labels``, ``predict``, ``predict_proba`` and
``score``, so code that only classifies (the command line, an application)
needs no branch per kind: :func:`load_classifier` returns a :class:`Predictor`
and refuses a tagger with a one-line error. A tagger labels every word instead
(``Tagger.predict`` takes sentences and returns a tag per word).

The command line asks this module which kind a path holds; no other module
decides it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from nlptut.errors import CheckpointError

if TYPE_CHECKING:
    import numpy as np

    from nlptut.prediction import Prediction

__all__ = ["KINDS", "Predictor", "kind", "load", "load_classifier"]

KINDS = ("onnx", "network", "minilm", "tagger")
"""What :func:`kind` can answer."""


@runtime_checkable
class Predictor(Protocol):
    """What every trained classifier answers, whatever its kind.

    :class:`~nlptut.classifier.TextClassifier` (keyword rules included),
    :class:`~nlptut.finetuned.FinetunedClassifier` and
    :class:`~nlptut.deploy.OnnxClassifier` satisfy it.
    """

    labels: Sequence[str]
    """The label names, in the order of the columns of :meth:`predict_proba`."""

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Each text's label, with every label's probability."""
        ...

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The probabilities, one row per text and one column per label."""
        ...

    def score(self, texts: Sequence[str], labels: Sequence[str]) -> Any:
        """Accuracy, macro-F1 and the per-label report on labelled texts."""
        ...


def kind(path: str | os.PathLike) -> str:
    """Which kind of model ``path`` holds, read without loading or verifying it.

    Returns
    -------
    str
        One of :data:`KINDS`: ``"onnx"`` for a file ending in ``.onnx``;
        ``"minilm"`` or ``"tagger"`` for a checkpoint folder whose manifest
        names that model; ``"network"`` for any other folder (its loader
        verifies it and names what is wrong, a missing manifest included).
    """
    from nlptut.checkpoint import model_name

    where = Path(path)
    if where.suffix == ".onnx" and not where.is_dir():
        return "onnx"
    name = model_name(where)
    if name in ("minilm", "tagger"):
        return name
    return "network"


def load(path: str | os.PathLike) -> Any:
    """Open any model nlptut saved: a checkpoint folder or an exported ``.onnx`` file.

    Every file is verified before it is used (its sha256 against the
    manifest, or the ``.onnx`` file's own); an ``.onnx`` file is run with
    ONNX Runtime and does not import PyTorch.

    Parameters
    ----------
    path : str or os.PathLike
        A folder written by ``nlptut train`` or a ``save`` method, or a file
        written by ``nlptut export``.

    Returns
    -------
    Predictor or Tagger
        The class of the model's kind (see the table of the module docstring).

    Raises
    ------
    CheckpointError
        With a one-line message for a missing, damaged or edited folder.
    """
    which = kind(path)
    if which == "onnx":
        from nlptut.deploy import OnnxClassifier

        return OnnxClassifier(path)
    if which == "minilm":
        from nlptut.finetuned import FinetunedClassifier

        return FinetunedClassifier.load(path)
    if which == "tagger":
        from nlptut.tagging.tagger import Tagger

        return Tagger.load(path)
    from nlptut.classifier import TextClassifier

    return TextClassifier.load(path)


def load_classifier(path: str | os.PathLike) -> Predictor:
    """Like :func:`load`, for code that classifies whole texts: a tagger is refused.

    Raises
    ------
    CheckpointError
        If ``path`` holds a tagger, or is missing, damaged or edited.
    """
    if kind(path) == "tagger":
        raise CheckpointError(
            f"{Path(path)}: a tagger (a tag per word), not a classifier of whole texts; "
            "open it with nlptut.predictor.load (or nlptut.tagging.tagger.Tagger.load)"
        )
    return load(path)
