"""Tests of nlptut.hardware: CPU facts from /proc/cpuinfo text, and the summary."""

from __future__ import annotations

import pytest
import torch

from nlptut import hardware
from nlptut.hardware import (
    cpu_flags,
    cpu_has_native_bf16,
    cpu_model_name,
    describe_hardware,
    hardware_summary,
)

# The fields of /proc/cpuinfo that matter, in the order Linux writes them on x86
# (note "model", a number, before "model name").
X86_BF16 = """\
processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC 9454 48-Core Processor
flags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 avx512_vnni

processor\t: 1
model name\t: AMD EPYC 9454 48-Core Processor
flags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 avx512_vnni
"""
X86_AMX = "model name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: avx2 amx_tile amx_bf16\n"
X86_OLD = "model name\t: Intel(R) Xeon(R) CPU E5-2690 v4 @ 2.60GHz\nflags\t\t: sse2 avx avx2 fma\n"
ARM = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd sve bf16 i8mm\nCPU part\t: 0xd40\n"


def test_model_name_is_the_model_name_field_not_the_model_number():
    assert cpu_model_name(X86_BF16) == "AMD EPYC 9454 48-Core Processor"


def test_model_name_falls_back_to_platform_without_cpuinfo():
    assert cpu_model_name("") != ""


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [(X86_BF16, True), (X86_AMX, True), (X86_OLD, False), (ARM, True), ("", None)],
    ids=["avx512_bf16", "amx_bf16", "avx2-only", "arm-bf16", "no-flags"],
)
def test_native_bf16_is_read_from_the_flags(cpuinfo, expected):
    assert cpu_has_native_bf16(cpuinfo) is expected


def test_flags_are_a_set_of_words():
    flags = cpu_flags(X86_OLD)
    assert {"avx2", "fma"} <= flags
    assert "avx512_bf16" not in flags
    assert cpu_flags("") == frozenset()


def test_describe_hardware_has_the_facts_of_this_machine():
    info = describe_hardware()
    assert info["torch"] == torch.__version__
    assert info["torch_threads"] == torch.get_num_threads()
    assert info["cpu_cores"] >= 1
    assert isinstance(info["cpu"], str) and info["cpu"]
    assert info["cpu_native_bf16"] in (True, False, None)
    assert set(info["cpu_bf16_flags"]) <= set(hardware.BF16_FLAGS)
    if not torch.cuda.is_available():
        assert info["gpu"] is None and info["gpu_bf16"] is None


def test_summary_names_cpu_threads_gpu_and_torch():
    info = describe_hardware()
    text = hardware_summary(info)
    assert info["cpu"] in text
    assert f"threads: {info['torch_threads']}" in text
    assert torch.__version__ in text
    assert "GPU:" in text


@pytest.mark.parametrize(
    ("native", "kernels", "words"),
    [
        (True, True, 'native on this CPU (avx512_bf16): amp="auto" uses bfloat16'),
        (True, False, "PyTorch is told not to use it (ATEN_CPU_CAPABILITY"),
        (
            False,
            True,
            'not native on this CPU (no avx512_bf16 / amx_bf16): slow, amp="auto" uses float32',
        ),
        (None, True, "unknown"),
    ],
)
def test_summary_says_whether_bf16_is_native_and_what_auto_chooses(native, kernels, words):
    info = {
        **describe_hardware(),
        "cpu_native_bf16": native,
        "cpu_bf16_kernels": kernels,
        "cpu_bf16_flags": ["avx512_bf16"],
    }
    assert words in hardware_summary(info)


@pytest.mark.parametrize("capability", ["AVX2", "DEFAULT", "NO AVX"])
def test_pytorch_held_to_avx2_has_no_native_bf16_kernels(monkeypatch, capability):
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: capability)
    assert hardware.cpu_bf16_kernels_enabled() is False
    monkeypatch.setattr(hardware, "cpu_has_native_bf16", lambda cpuinfo=None: True)
    assert hardware.bf16_is_native("cpu") is False


@pytest.mark.parametrize(
    ("flags", "kernels", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (None, True, False)],
)
def test_cpu_bf16_is_native_needs_the_flags_and_the_kernels(monkeypatch, flags, kernels, expected):
    monkeypatch.setattr(hardware, "cpu_has_native_bf16", lambda cpuinfo=None: flags)
    monkeypatch.setattr(hardware, "cpu_bf16_kernels_enabled", lambda: kernels)
    assert hardware.bf16_is_native("cpu") is expected
    assert hardware.bf16_is_native(torch.device("cpu")) is expected


def test_no_native_bf16_on_other_devices_or_without_cuda():
    assert hardware.bf16_is_native("meta") is False
    if not torch.cuda.is_available():
        assert hardware.bf16_is_native("cuda") is False


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_gpu_bf16_ignores_emulation():
    expected = torch.cuda.is_bf16_supported(including_emulation=False)
    assert hardware.bf16_is_native("cuda") is expected
    assert describe_hardware()["gpu_bf16"] is expected


def test_summary_without_gpu_says_so():
    info = {**describe_hardware(), "gpu": None}
    assert "none (CUDA is not available)" in hardware_summary(info)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_describe_hardware_names_the_gpu():
    info = describe_hardware()
    assert info["gpu"] == torch.cuda.get_device_name(0)
    assert info["gpu_bf16"] in (True, False)
    assert info["gpu"] in hardware_summary(info)
