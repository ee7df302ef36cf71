"""Where a run computes and how it repeats: :func:`choose_device` and :func:`seed_everything`.

Every training loop of nlptut (``training``, ``hf``, ``tagging``,
``generation``) starts with these two, so they live here, beside
:mod:`nlptut.hardware` (what the machine can do), rather than in one of the
loops. :mod:`nlptut.training` still offers both names.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

__all__ = ["seed_everything", "choose_device"]


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
