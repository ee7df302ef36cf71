"""Train once per site build: reuse a model that another page trained the same way.

Two tutorial pages sometimes train exactly the same model on exactly the same
data with the same seed: a lesson and the deep dive that compares it with
others, say. Training is deterministic on a CPU for a given seed, so the
second page would spend its time computing the same weights again. When the
environment variable ``NLPTUT_BUILD_CACHE`` names a folder (the docs build sets
it to a fresh folder each time it starts), :meth:`nlptut.classifier.TextClassifier.fit`
stores every model it trains there and hands a later identical request the
stored model and its training history instead of training again.

"Identical" is decided by a key: the sha256 of the data (every text and label
of every split, and the label names), the model kind, every training setting
but the progress bar, the text length, and the versions of nlptut and torch.
A page run on its own, without the variable, always trains its models itself,
and so does a process of a run on several processes (``torchrun``). A page
that times its training should train without the variable.
A stored model is read back with :meth:`~nlptut.classifier.TextClassifier.load`,
which verifies every file; one that fails is trained again, never trusted.

The times in a reused history are those of the run that trained it, in the
same build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import torch

import nlptut
from nlptut.fileio import write_text_atomic

__all__ = ["ENV", "folder", "key"]

ENV = "NLPTUT_BUILD_CACHE"
"""The environment variable naming the build's cache folder (unset: no reuse)."""


def folder() -> Path | None:
    """The cache folder named by ``NLPTUT_BUILD_CACHE``, or ``None`` when it is unset.

    Also ``None`` in a process that ``torchrun`` started as one of several
    (``WORLD_SIZE`` above 1): a run on several processes computes other
    weights than one process (each drops other features, and the batches are
    split), so it neither reuses a stored model nor stores its own.
    """
    value = os.environ.get(ENV, "").strip()
    if not value or _several_processes():
        return None
    return Path(value)


def _several_processes() -> bool:
    try:
        return int(os.environ.get("WORLD_SIZE", "1") or 1) > 1
    except ValueError:
        return False


def _data_digest(data: Any) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(list(data.labels)).encode())
    for name in ("train", "validation", "test"):
        split = data[name]
        digest.update(f"\x00{name}\x00{len(split)}\x00".encode())
        for text, label in zip(split.texts, split.labels, strict=True):
            digest.update(f"{label}\x1f{text}\x1e".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def key(data: Any, model: str, recipe: Any) -> str:
    """The cache key of training ``model`` with ``recipe`` on ``data``.

    Parameters
    ----------
    data : LabelledData
        The data, hashed whole (texts, labels, splits and label names).
    model : str
        The model kind.
    recipe : ModelRecipe
        Every setting; the training settings' ``progress`` is left out (it only
        draws bars).
    """
    settings = dataclasses.asdict(recipe)
    settings["train"].pop("progress", None)
    described = {
        "data": _data_digest(data),
        "model": model,
        "recipe": settings,
        "nlptut": nlptut.__version__,
        "torch": torch.__version__,
    }
    text = json.dumps(described, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def result_path(cache: Path, name: str) -> Path:
    """Where the training history of the model stored under ``name`` is kept."""
    return cache / f"{name}.result.json"


def write_result(cache: Path, name: str, result: dict[str, Any]) -> None:
    """Write a training history beside its model, atomically (write, then rename)."""
    write_text_atomic(result_path(cache, name), json.dumps(result))
