"""Where a run computes, how it repeats, and which epoch it keeps.

Every training loop of nlptut (``training``, ``finetuned``, ``tagging``,
``generation``) starts with :func:`choose_device` and :func:`seed_everything`
and keeps its best epoch with :class:`BestEpoch`, so they live here, beside
:mod:`nlptut.hardware` (what the machine can do), rather than in one of the
loops. :mod:`nlptut.training` still offers both names.
"""

from __future__ import annotations

import copy
import math
import os
import random
from typing import Any

import numpy as np
import torch

__all__ = ["seed_everything", "choose_device", "BestEpoch"]


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch so that a run on the CPU repeats exactly.

    "Exactly" holds on the same machine with the same number of torch threads
    (:func:`torch.get_num_threads`): more threads add floating-point sums in
    another order, and the tiny rounding differences grow into a different
    training run. Fix the threads too (``OMP_NUM_THREADS``) to compare runs.
    """
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - seeds the legacy global generator code may use
    torch.manual_seed(seed)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")


def choose_device(device: str | torch.device = "auto") -> torch.device:
    """Return ``device``, or for ``"auto"`` CUDA when available and the CPU otherwise."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for but CUDA is not available; use 'cpu'")
    return device


class BestEpoch:
    """The epoch with the best validation score so far, and a copy of its weights.

    Every training loop of nlptut keeps its best epoch with one of these: it
    offers each epoch's score (:meth:`offer`); a strictly better one (higher,
    or lower with ``lower_is_better``) replaces the kept copy of the weights,
    and :meth:`restore` puts the kept weights back into the model at the end.
    A score that is not a number (nan) is never better.

    Parameters
    ----------
    lower_is_better : bool, default False
        True for a loss or a perplexity.
    start : float, optional
        The score an epoch must beat: by default minus infinity (plus
        infinity when lower is better).
    """

    def __init__(self, *, lower_is_better: bool = False, start: float | None = None) -> None:
        self.lower_is_better = lower_is_better
        self.score = start if start is not None else (math.inf if lower_is_better else -math.inf)
        self.epoch = 0
        self.state: dict[str, Any] | None = None

    def offer(
        self, epoch: int, score: float, model: torch.nn.Module, *, always: bool = False
    ) -> bool:
        """Keep ``model``'s weights if ``score`` beats the best so far (or ``always``);
        return whether it did."""
        better = score < self.score if self.lower_is_better else score > self.score
        if always or better:
            self.score, self.epoch = score, epoch
            self.state = copy.deepcopy(model.state_dict())
        return always or better

    def restore(self, model: torch.nn.Module) -> bool:
        """Load the kept weights into ``model``; ``False`` if no epoch was kept."""
        if self.state is None:
            return False
        model.load_state_dict(self.state)
        return True
