"""Which number format to compute in: one mixed-precision policy, chosen from the hardware.

*Mixed precision* runs the big matrix multiplies of a model in a 16-bit
format (bfloat16 or float16) and keeps the rest in 32-bit float32. It pays only
where the hardware multiplies 16-bit numbers natively: on a CPU with bfloat16
instructions (AVX-512 BF16, AMX) or on a recent GPU. Elsewhere PyTorch falls
back to slow kernels, and the "faster" format is several times slower.

Every function of nlptut that can use mixed precision takes the same ``amp``
argument:

``"auto"`` (the default)
    Decide from the hardware (:func:`nlptut.hardware.bf16_is_native`): on the
    CPU, bfloat16 only where it is native, and only for the models whose
    training (or inference) it made faster when measured on such a CPU
    (:data:`MEASURED_BF16_SPEEDUP`: native bfloat16 is not faster for every
    model); on CUDA, bfloat16 where the GPU has it natively, else float16 with
    a :class:`torch.amp.GradScaler`; otherwise float32.
``True``
    Mixed precision even where it is slow (to compare, as the mixed-precision
    tutorial does): bfloat16 on the CPU; on CUDA as ``"auto"``.
``False``
    float32 throughout.

:func:`choose_precision` turns the setting into a :class:`Precision`, which
carries the format, whether a gradient scaler is needed, and a one-line
reason that training histories, checkpoints and the tutorials print.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

import torch

from nlptut.hardware import bf16_is_native

__all__ = ["AmpSetting", "MEASURED_BF16_SPEEDUP", "Precision", "check_amp", "choose_precision"]

MEASURED_BF16_SPEEDUP: dict[str, dict[str, float]] = {
    # float32 time / bfloat16-autocast time on a 2-core CPU with native bfloat16
    # (AVX-512 BF16), torch 2.13: benchmarks/results/precision.md, 2026-12-01.
    # Above 1 bfloat16 is faster. Training: one step on 32 tweets (MiniLM 16);
    # inference: a forward pass on 256 tweets.
    "training": {"nbow": 0.87, "cnn": 0.90, "lstm": 1.13, "transformer": 0.95, "minilm": 1.70},
    "inference": {"nbow": 1.20, "cnn": 1.72, "lstm": 1.55, "transformer": 0.93, "minilm": 1.74},
}
"""How much faster bfloat16 autocast ran than float32, per phase and model, where native.

``amp="auto"`` keeps float32 on a CPU with native bfloat16 for a model and
phase measured below 1 (slower); models not listed get bfloat16 there.
Re-run ``benchmarks/bench_precision.py`` and update these after a change of
PyTorch or of the models."""

AmpSetting = bool | Literal["auto"]
"""The type of every ``amp`` argument: ``"auto"``, ``True`` or ``False``."""


def check_amp(amp: object) -> AmpSetting:
    """Return ``amp`` if it is ``"auto"``, ``True`` or ``False``; else raise ``ValueError``."""
    if amp is True or amp is False or amp == "auto":
        return amp  # type: ignore[return-value]
    raise ValueError(f"amp must be 'auto', True or False, got {amp!r}")


@dataclass(frozen=True)
class Precision:
    """The number format chosen for one device.

    Attributes
    ----------
    dtype : torch.dtype or None
        The autocast format (``torch.bfloat16`` or ``torch.float16``), or
        ``None`` for float32 throughout.
    device_type : str
        ``"cpu"``, ``"cuda"``, ...: what :func:`torch.autocast` is given.
    reason : str
        Why this format, in one line (e.g. ``"float32: PyTorch has no native
        bfloat16 on this CPU, where autocast was slower for 4 of 5 models"``).
    """

    dtype: torch.dtype | None
    device_type: str
    reason: str

    @property
    def enabled(self) -> bool:
        """Whether autocast is on."""
        return self.dtype is not None

    @property
    def name(self) -> str:
        """``"bfloat16"``, ``"float16"`` or ``"float32"``."""
        return str(self.dtype or torch.float32).removeprefix("torch.")

    @property
    def needs_scaler(self) -> bool:
        """float16 needs a gradient scaler (its small range loses tiny gradients)."""
        return self.dtype == torch.float16

    def autocast(self) -> contextlib.AbstractContextManager:
        """Return the :func:`torch.autocast` context for this choice (a no-op for float32)."""
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device_type, dtype=self.dtype)

    def __str__(self) -> str:
        return self.reason


def choose_precision(
    amp: AmpSetting,
    device: str | torch.device,
    *,
    model: str | None = None,
    phase: str = "training",
) -> Precision:
    """Turn an ``amp`` setting into the format used on ``device``.

    Parameters
    ----------
    amp : {"auto", True, False}
        See the module's description.
    device : str or torch.device
        Where the model runs.
    model : str, optional
        The kind of model (``"nbow"``, ..., ``"minilm"``): with ``amp="auto"``
        on a CPU with native bfloat16, float32 is kept where
        :data:`MEASURED_BF16_SPEEDUP` says bfloat16 was slower for it.
    phase : {"training", "inference"}
        Which measurement applies.

    Returns
    -------
    Precision

    Examples
    --------
    >>> choose_precision(False, "cpu").name
    'float32'
    >>> choose_precision("auto", "cpu").reason[:52]  # doctest: +SKIP
    'float32: PyTorch has no native bfloat16 on this CPU,'
    """
    amp = check_amp(amp)
    if phase not in MEASURED_BF16_SPEEDUP:
        raise ValueError(f"phase must be 'training' or 'inference', got {phase!r}")
    device = torch.device(device)
    kind = device.type
    if amp is False:
        return Precision(None, kind, "float32: mixed precision turned off (amp=False)")
    if kind == "cpu":
        native = bf16_is_native("cpu")
        speedup = MEASURED_BF16_SPEEDUP[phase].get(model or "")
        if native and amp == "auto" and speedup is not None and speedup < 1:
            return Precision(
                None,
                kind,
                f"float32: bfloat16 is native on this CPU, but it ran {phase} of the "
                f"{model} {1 / speedup:.2f}x slower when measured "
                "(benchmarks/results/precision.md)",
            )
        if native:
            measured = f", measured {speedup:.2f}x faster for {model} {phase}" if speedup else ""
            return Precision(
                torch.bfloat16, kind, f"bfloat16 autocast: native on this CPU{measured}"
            )
        if amp is True:
            return Precision(
                torch.bfloat16,
                kind,
                "bfloat16 autocast, forced (amp=True): not native on this CPU, so slower",
            )
        return Precision(
            None,
            kind,
            "float32: PyTorch has no native bfloat16 on this CPU, where autocast was slower "
            "for 4 of 5 models when measured (benchmarks/results/precision-avx2.md)",
        )
    if kind == "cuda":
        if bf16_is_native(device):
            return Precision(torch.bfloat16, kind, "bfloat16 autocast: native on this GPU")
        return Precision(
            torch.float16,
            kind,
            "float16 autocast with a gradient scaler: this GPU has no native bfloat16",
        )
    if amp is True:
        raise ValueError(f"mixed precision is not supported on {kind!r} by nlptut; use amp=False")
    return Precision(None, kind, f"float32: nlptut uses no mixed precision on {kind!r}")
