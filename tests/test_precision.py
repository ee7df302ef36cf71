"""Tests of nlptut.precision: the mixed-precision policy chosen from the hardware."""

from __future__ import annotations

import pytest
import torch

from nlptut import precision
from nlptut.hf import FinetuneConfig
from nlptut.models import build_model
from nlptut.precision import check_amp, choose_precision
from nlptut.training import TrainConfig, train


@pytest.fixture
def native(monkeypatch):
    """Make the policy see a device with (True) or without (False) native bfloat16."""

    def set_native(value: bool) -> None:
        monkeypatch.setattr(precision, "bf16_is_native", lambda device="cpu": value)

    return set_native


@pytest.mark.parametrize(
    ("amp", "is_native", "expected"),
    [
        ("auto", True, torch.bfloat16),
        ("auto", False, None),
        (True, True, torch.bfloat16),
        (True, False, torch.bfloat16),
        (False, True, None),
        (False, False, None),
    ],
)
def test_cpu_policy(native, amp, is_native, expected):
    native(is_native)
    chosen = choose_precision(amp, "cpu")
    assert chosen.dtype is expected
    assert chosen.enabled is (expected is not None)
    assert not chosen.needs_scaler  # bfloat16 has float32's range
    assert chosen.name == str(expected or torch.float32).removeprefix("torch.")
    assert chosen.reason.startswith(chosen.name)


def test_auto_on_a_cpu_without_native_bf16_says_why(native):
    native(False)
    reason = choose_precision("auto", "cpu").reason
    assert "no native bfloat16" in reason and "slower" in reason
    assert "forced" in choose_precision(True, "cpu").reason


@pytest.mark.parametrize(
    ("amp", "is_native", "expected", "scaler"),
    [
        ("auto", True, torch.bfloat16, False),
        ("auto", False, torch.float16, True),
        (True, True, torch.bfloat16, False),
        (True, False, torch.float16, True),
        (False, True, None, False),
    ],
)
def test_cuda_policy(native, amp, is_native, expected, scaler):
    native(is_native)
    chosen = choose_precision(amp, "cuda")
    assert chosen.dtype is expected
    assert chosen.needs_scaler is scaler
    assert chosen.device_type == "cuda"


def test_other_devices_stay_in_float32_unless_forced():
    assert choose_precision("auto", "meta").dtype is None
    with pytest.raises(ValueError, match="not supported on 'meta'"):
        choose_precision(True, "meta")


@pytest.mark.parametrize("bad", ["yes", "on", 1, 0, None, "Auto"])
def test_amp_settings_other_than_auto_true_false_are_refused(bad):
    with pytest.raises(ValueError, match="amp must be 'auto', True or False"):
        check_amp(bad)
    with pytest.raises(ValueError, match="amp must be"):
        TrainConfig(amp=bad)
    with pytest.raises(ValueError, match="amp must be"):
        FinetuneConfig(amp=bad)


def test_auto_is_the_default_everywhere():
    import inspect

    from nlptut import hf

    assert TrainConfig().amp == "auto"
    assert FinetuneConfig().amp == "auto"
    for fn in (hf.embed_texts, hf.predict_texts):
        assert inspect.signature(fn).parameters["amp"].default == "auto"


def test_autocast_context_casts_only_when_enabled(native):
    native(True)
    a = torch.randn(4, 4)
    with choose_precision("auto", "cpu").autocast():
        assert (a @ a).dtype == torch.bfloat16
    with choose_precision(False, "cpu").autocast():
        assert (a @ a).dtype == torch.float32


@pytest.mark.parametrize("is_native", [True, False])
def test_training_records_the_choice(native, is_native):
    from nlptut.text import EncodedDataset, Vocabulary

    native(is_native)
    texts = ["good day", "bad day", "good fun", "bad luck"] * 4
    labels = [0, 1, 0, 1] * 4
    vocab = Vocabulary.build(texts)
    data = EncodedDataset.from_texts(texts, labels, vocab)
    config = TrainConfig(epochs=1, batch_size=4, device="cpu", progress=False)
    result = train(build_model("transformer", len(vocab), 2), data, data, config)
    assert result.amp_dtype == ("bfloat16" if is_native else None)
    assert result.precision == choose_precision("auto", "cpu").reason
