"""Tests of nlptut.precision: the mixed-precision policy chosen from the hardware."""

from __future__ import annotations

import pytest
import torch

from nlptut import precision
from nlptut.hf import FinetuneConfig
from nlptut.models import build_model
from nlptut.precision import MEASURED_BF16_SPEEDUP, check_amp, choose_precision
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
    # a model of no measured kind: native bfloat16 is enough for "auto"
    model = build_model("transformer", len(vocab), 2)
    model.kind = None
    result = train(model, data, data, config)
    assert result.amp_dtype == ("bfloat16" if is_native else None)
    assert result.precision == choose_precision("auto", "cpu").reason


@pytest.fixture
def native_bf16_cpu(monkeypatch):
    """Pretend the CPU has native bfloat16 (this project's CI machines may not)."""
    monkeypatch.setattr("nlptut.precision.bf16_is_native", lambda device: True)


@pytest.mark.parametrize(
    "model, phase, expected",
    [
        ("nbow", "training", "float32"),  # measured 0.87x
        ("cnn", "training", "float32"),
        ("transformer", "training", "float32"),
        ("lstm", "training", "bfloat16"),  # measured 1.13x
        ("minilm", "training", "bfloat16"),
        ("nbow", "inference", "bfloat16"),  # measured 1.20x
        ("transformer", "inference", "float32"),  # measured 0.93x
        (None, "training", "bfloat16"),  # an unmeasured model: native is enough
        ("gpt", "training", "bfloat16"),
    ],
)
def test_auto_follows_the_measurements_where_bf16_is_native(
    native_bf16_cpu, model, phase, expected
):
    chosen = choose_precision("auto", "cpu", model=model, phase=phase)
    assert chosen.name == expected
    if expected == "float32":
        assert "slower when measured" in chosen.reason and model in chosen.reason


def test_forcing_bf16_overrides_the_measurements(native_bf16_cpu):
    assert choose_precision(True, "cpu", model="nbow").name == "bfloat16"
    assert choose_precision(False, "cpu", model="lstm").name == "float32"


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="phase must be"):
        choose_precision("auto", "cpu", phase="testing")


def test_every_measured_model_is_a_model_nlptut_builds():
    from nlptut.models import MODELS, build_model

    for phase in MEASURED_BF16_SPEEDUP.values():
        assert set(phase) <= {*MODELS, "minilm"}
    for name in MODELS:
        assert build_model(name, 20, 3).kind == name  # what training passes to choose_precision


def test_training_asks_for_the_precision_of_its_model_kind(native_bf16_cpu, monkeypatch):
    from nlptut import training
    from nlptut.models import build_model
    from nlptut.text import EncodedDataset, Vocabulary

    asked = []
    real = training.choose_precision
    monkeypatch.setattr(
        training,
        "choose_precision",
        lambda amp, device, **kw: asked.append(kw) or real(amp, device, **kw),
    )
    texts, labels = ["good day", "bad day"] * 4, [1, 0] * 4
    vocab = Vocabulary.build(texts, min_freq=1)
    data = EncodedDataset.from_texts(texts, labels, vocab, max_len=8)
    result = training.train(
        build_model("cnn", len(vocab), 2),
        data,
        None,
        training.TrainConfig(epochs=1, progress=False),
    )
    assert asked[0] == {"model": "cnn"}
    assert result.precision.startswith("float32: bfloat16 is native")
