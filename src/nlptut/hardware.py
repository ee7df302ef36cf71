"""What machine is this? The facts a speed measurement depends on.

A timing means little without the hardware it ran on. The performance
tutorials print :func:`hardware_summary` in their first cell, so that every
number on the page can be read against the CPU (or GPU), the number of
threads and the PyTorch version that produced it.

:func:`describe_hardware` returns the same facts as a dict;
:func:`cpu_has_native_bf16` says whether the CPU has instructions for
bfloat16 arithmetic, and :func:`bf16_is_native` whether PyTorch will use such
instructions on a device: that decides whether mixed precision speeds a model
up or slows it down there (see :mod:`nlptut.precision`).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

import torch

__all__ = [
    "BF16_FLAGS",
    "bf16_is_native",
    "cpu_bf16_kernels_enabled",
    "cpu_flags",
    "cpu_model_name",
    "cpu_has_native_bf16",
    "describe_hardware",
    "hardware_summary",
]

_CPUINFO = Path("/proc/cpuinfo")

BF16_FLAGS: tuple[str, ...] = ("avx512_bf16", "amx_bf16")
"""The x86 CPU flags (as Linux names them in ``/proc/cpuinfo``) of instructions
that compute with bfloat16 numbers: AVX-512 BF16 (dot products of bfloat16
pairs) and AMX (Advanced Matrix Extensions, tile matrix multiplies)."""


def _read_cpuinfo(path: Path = _CPUINFO) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _first_field(cpuinfo: str, names: tuple[str, ...]) -> str | None:
    """Return the first non-empty value of the first of ``names`` that has one."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and value.strip() and key not in fields:
            fields[key] = value.strip()
    return next((fields[name] for name in names if name in fields), None)


def cpu_model_name(cpuinfo: str | None = None) -> str:
    """Return the CPU's model name, e.g. ``"AMD EPYC 9454 48-Core Processor"``.

    Parameters
    ----------
    cpuinfo : str, optional
        The text of ``/proc/cpuinfo``; read from the system when omitted.

    Returns
    -------
    str
        The ``model name`` of ``/proc/cpuinfo`` on Linux (``Hardware`` or
        ``cpu model`` on some other boards), else :func:`platform.processor`, else
        :func:`platform.machine`, else ``"unknown CPU"``.
    """
    text = _read_cpuinfo() if cpuinfo is None else cpuinfo
    name = _first_field(text, ("model name", "hardware", "cpu model"))
    return name or platform.processor() or platform.machine() or "unknown CPU"


def cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """Return the CPU feature flags of ``/proc/cpuinfo`` (empty where there is none).

    Parameters
    ----------
    cpuinfo : str, optional
        The text of ``/proc/cpuinfo``; read from the system when omitted.
    """
    text = _read_cpuinfo() if cpuinfo is None else cpuinfo
    flags = _first_field(text, ("flags", "features"))
    return frozenset(flags.split()) if flags else frozenset()


def cpu_has_native_bf16(cpuinfo: str | None = None) -> bool | None:
    """Say whether the CPU has bfloat16 arithmetic instructions.

    Parameters
    ----------
    cpuinfo : str, optional
        The text of ``/proc/cpuinfo``; read from the system when omitted.

    Returns
    -------
    bool or None
        ``True`` when a flag of :data:`BF16_FLAGS` is present, or the Arm flag
        ``bf16``; ``False`` when the CPU lists its flags but none of these;
        ``None`` when the flags cannot be read (not Linux, say) and PyTorch
        cannot tell either.
    """
    flags = cpu_flags(cpuinfo)
    if flags:
        return any(flag in flags for flag in (*BF16_FLAGS, "bf16"))
    if cpuinfo is not None:
        return None
    # No /proc/cpuinfo: ask PyTorch's own CPU feature detection (x86 only).
    probe = getattr(getattr(torch, "cpu", None), "_is_avx512_bf16_supported", None)
    if probe is not None and platform.machine().lower() in {"x86_64", "amd64"}:
        try:
            return bool(probe())
        except Exception:  # a private function: its absence or failure means "unknown"
            return None
    return None


_SLOW_BF16_CAPABILITIES = frozenset({"DEFAULT", "NO AVX", "AVX", "AVX2"})
"""Values of :func:`torch.backends.cpu.get_cpu_capability` whose kernels have no
bfloat16 instructions (the environment variable ``ATEN_CPU_CAPABILITY`` can
hold PyTorch to these even on a CPU that has them)."""


def cpu_bf16_kernels_enabled() -> bool:
    """Say whether PyTorch's CPU kernels are allowed to use bfloat16 instructions.

    A CPU may have the instructions while PyTorch is told not to use them:
    ``ATEN_CPU_CAPABILITY=avx2`` limits PyTorch's own kernels, and
    ``ONEDNN_MAX_CPU_ISA=AVX2`` limits oneDNN, the library behind its matrix
    multiplies on the CPU. Both make bfloat16 as slow as on a CPU without it.

    Returns
    -------
    bool
        ``False`` when PyTorch's vector unit is AVX2 or lower on x86, or oneDNN
        reports no bfloat16 support; ``True`` otherwise.
    """
    try:
        capability = torch.backends.cpu.get_cpu_capability()
    except Exception:  # very old PyTorch: nothing to say against it
        capability = None
    if capability in _SLOW_BF16_CAPABILITIES:
        return False
    probe = getattr(getattr(torch.ops, "mkldnn", None), "_is_mkldnn_bf16_supported", None)
    if probe is not None and torch.backends.mkldnn.is_available():
        try:
            return bool(probe())
        except Exception:  # a private operator: its absence or failure says nothing
            return True
    return True


def bf16_is_native(device: str | torch.device = "cpu") -> bool:
    """Say whether bfloat16 matrix multiplies run natively (fast) on ``device``.

    Parameters
    ----------
    device : str or torch.device
        ``"cpu"``, or a CUDA device such as ``"cuda"`` or ``"cuda:1"``.

    Returns
    -------
    bool
        On the CPU: it has bfloat16 instructions (:func:`cpu_has_native_bf16`)
        and PyTorch may use them (:func:`cpu_bf16_kernels_enabled`). On CUDA:
        ``torch.cuda.is_bf16_supported(including_emulation=False)``, which is
        true from the Ampere generation on (older GPUs emulate bfloat16,
        slowly). ``False`` for any other device and when CUDA is not available.
    """
    device = torch.device(device)
    if device.type == "cpu":
        return bool(cpu_has_native_bf16()) and cpu_bf16_kernels_enabled()
    if device.type == "cuda":
        return torch.cuda.is_available() and _cuda_bf16_native(device)
    return False


def _cuda_bf16_native(device: torch.device) -> bool:
    with torch.cuda.device(device):
        try:
            return bool(torch.cuda.is_bf16_supported(including_emulation=False))
        except TypeError:  # PyTorch before 2.3 had no including_emulation (and no emulation)
            return bool(torch.cuda.is_bf16_supported())


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def describe_hardware() -> dict[str, Any]:
    """Return the facts about this machine that speed measurements depend on.

    Returns
    -------
    dict
        ``cpu``: the CPU model name; ``cpu_cores``: the cores this process may
        use; ``torch_threads``: :func:`torch.get_num_threads`;
        ``cpu_capability``: the vector instruction set PyTorch's CPU kernels
        use (e.g. ``"AVX512"``); ``cpu_native_bf16``: see
        :func:`cpu_has_native_bf16`; ``cpu_bf16_flags``: which of
        :data:`BF16_FLAGS` the CPU has; ``torch``: the PyTorch version;
        ``cuda``: the CUDA version PyTorch was built with, or ``None``;
        ``gpu``: the name of CUDA device 0, or ``None`` without CUDA;
        ``gpu_bf16``: whether that GPU computes in bfloat16 natively
        (:func:`bf16_is_native`; ``None`` without CUDA); ``python``: the Python version.
    """
    flags = cpu_flags()
    try:
        capability = torch.backends.cpu.get_cpu_capability()
    except Exception:  # very old PyTorch
        capability = None
    gpu = gpu_bf16 = None
    if torch.cuda.is_available():
        gpu = torch.cuda.get_device_name(0)
        gpu_bf16 = _cuda_bf16_native(torch.device("cuda", 0))
    return {
        "cpu": cpu_model_name(),
        "cpu_cores": _usable_cores(),
        "torch_threads": torch.get_num_threads(),
        "cpu_capability": capability,
        "cpu_native_bf16": cpu_has_native_bf16(),
        "cpu_bf16_flags": sorted(flag for flag in BF16_FLAGS if flag in flags),
        "cpu_bf16_kernels": cpu_bf16_kernels_enabled(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "gpu": gpu,
        "gpu_bf16": gpu_bf16,
        "python": platform.python_version(),
    }


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def hardware_summary(info: dict[str, Any] | None = None) -> str:
    """Return :func:`describe_hardware` as a few readable lines.

    Parameters
    ----------
    info : dict, optional
        A dict from :func:`describe_hardware`; measured now when omitted.

    Examples
    --------
    >>> print(hardware_summary())  # doctest: +SKIP
    CPU:     AMD EPYC 9454 48-Core Processor (2 cores usable, vector unit AVX512)
    threads: 2 (torch.get_num_threads)
    bf16:    native on this CPU (avx512_bf16): amp="auto" trains in bfloat16
    GPU:     none (CUDA is not available)
    torch:   2.13.0+cpu, Python 3.11.9
    """
    info = describe_hardware() if info is None else info
    vector = f", vector unit {info['cpu_capability']}" if info.get("cpu_capability") else ""
    native = info.get("cpu_native_bf16")
    kernels = info.get("cpu_bf16_kernels", True)
    if native and kernels:
        flags = ", ".join(info.get("cpu_bf16_flags") or ["bf16"])
        bf16 = f'native on this CPU ({flags}): amp="auto" uses bfloat16'
    elif native:
        bf16 = (
            "the CPU has it, but PyTorch is told not to use it (ATEN_CPU_CAPABILITY or "
            'ONEDNN_MAX_CPU_ISA): slow, amp="auto" uses float32'
        )
    elif native is False:
        bf16 = 'not native on this CPU (no avx512_bf16 / amx_bf16): slow, amp="auto" uses float32'
    else:
        bf16 = 'unknown for this CPU (its feature flags cannot be read): amp="auto" uses float32'

    if info.get("gpu"):
        gpu = f"{info['gpu']} (CUDA {info.get('cuda')}, bf16: {_yes_no(info.get('gpu_bf16'))})"
    else:
        gpu = "none (CUDA is not available)"
    lines = [
        f"CPU:     {info['cpu']} ({info['cpu_cores']} cores usable{vector})",
        f"threads: {info['torch_threads']} (torch.get_num_threads)",
        f"bf16:    {bf16}",
        f"GPU:     {gpu}",
        f"torch:   {info['torch']}, Python {info.get('python', platform.python_version())}",
    ]
    return "\n".join(lines)
