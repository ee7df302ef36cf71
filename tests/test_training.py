"""The training engine: loop, early stopping, determinism, metrics, AMP."""

from __future__ import annotations

import math

import pytest
import torch

from nlptut.models import build_model
from nlptut.text import EncodedDataset, Vocabulary
from nlptut.training import (
    TrainConfig,
    amp_dtype,
    choose_device,
    classification_metrics,
    evaluate,
    predict_logits,
    seed_everything,
    train,
)

TEXTS = [
    "i feel happy and glad today",
    "what a wonderful happy day",
    "i am so glad and joyful",
    "i feel sad and lonely",
    "this is a sad and gloomy day",
    "i feel miserable and sad",
] * 6
LABELS = [0, 0, 0, 1, 1, 1] * 6


@pytest.fixture()
def datasets():
    vocab = Vocabulary.build(TEXTS)
    train_set = EncodedDataset.from_texts(TEXTS, LABELS, vocab)
    return vocab, train_set


def _config(**kw) -> TrainConfig:
    base = dict(epochs=6, batch_size=8, lr=1e-2, progress=False, device="cpu")
    base.update(kw)
    return TrainConfig(**base)


def test_train_learns_and_records_history(datasets):
    vocab, train_set = datasets
    model = build_model("nbow", len(vocab), 2)
    result = train(model, train_set, train_set, _config(patience=None))
    assert len(result.history) == 6
    assert result.history[-1].train_loss < result.history[0].train_loss
    assert result.best_val_macro_f1 == pytest.approx(1.0)
    assert all(rec.seconds >= 0 for rec in result.history)
    assert result.device == "cpu"
    metrics = evaluate(model, train_set, ["joy", "sadness"])
    assert metrics.accuracy == 1.0
    assert metrics.confusion == [[18, 0], [0, 18]]


def test_same_seed_same_metrics(datasets):
    vocab, train_set = datasets
    runs = []
    for _ in range(2):
        seed_everything(7)  # the initial weights too
        model = build_model("cnn", len(vocab), 2)
        result = train(model, train_set, train_set, _config(epochs=3, seed=7, patience=None))
        runs.append([(r.train_loss, r.val_loss) for r in result.history])
    assert runs[0] == runs[1]


def test_fused_optimizer_learns_the_same_task(datasets, monkeypatch):
    vocab, train_set = datasets
    seen = []
    real_adamw = torch.optim.AdamW

    def spy(*args, **kwargs):
        seen.append(kwargs.get("fused"))
        return real_adamw(*args, **kwargs)

    monkeypatch.setattr(torch.optim, "AdamW", spy)
    seed_everything(0)
    plain = train(build_model("nbow", len(vocab), 2), train_set, train_set, _config())
    seed_everything(0)
    fused = train(build_model("nbow", len(vocab), 2), train_set, train_set, _config(fused=True))
    assert seen == [None, True]
    assert fused.best_val_macro_f1 == pytest.approx(1.0) == plain.best_val_macro_f1
    # Same maths up to rounding: the first epoch's losses agree closely.
    assert fused.history[0].train_loss == pytest.approx(plain.history[0].train_loss, rel=1e-3)


def test_different_seed_different_run(datasets):
    vocab, train_set = datasets
    losses = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        model = build_model("nbow", len(vocab), 2)
        result = train(model, train_set, None, _config(epochs=2, seed=seed))
        losses.append(result.history[-1].train_loss)
    assert losses[0] != losses[1]


def test_early_stopping_restores_best_epoch(datasets, monkeypatch):
    vocab, train_set = datasets
    scores = iter([0.5, 0.9, 0.6, 0.7, 0.8, 0.95])

    import nlptut.training as training

    real_evaluate = training.evaluate

    def fake_evaluate(*args, **kwargs):
        metrics = real_evaluate(*args, **kwargs)
        metrics.macro_f1 = next(scores)
        return metrics

    monkeypatch.setattr(training, "evaluate", fake_evaluate)
    model = build_model("nbow", len(vocab), 2)
    result = train(model, train_set, train_set, _config(epochs=6, patience=2))
    assert result.best_epoch == 2
    assert len(result.history) == 4
    assert result.stopped_early


def test_without_validation_keeps_last_epoch(datasets):
    vocab, train_set = datasets
    model = build_model("nbow", len(vocab), 2)
    result = train(model, train_set, None, _config(epochs=2))
    assert result.best_epoch == 2
    assert math.isnan(result.history[0].val_accuracy)


def test_amp_on_cpu_uses_bfloat16(datasets):
    vocab, train_set = datasets
    model = build_model("transformer", len(vocab), 2)
    result = train(model, train_set, train_set, _config(epochs=2, amp=True))
    assert result.amp_dtype == "bfloat16"
    assert all(math.isfinite(r.train_loss) for r in result.history)
    assert amp_dtype(torch.device("cuda")) == torch.float16


def test_predict_logits_keeps_dataset_order(datasets):
    vocab, train_set = datasets
    model = build_model("lstm", len(vocab), 2).eval()
    logits = predict_logits(model, train_set, batch_size=5)
    assert logits.shape == (len(train_set), 2)
    ids = torch.tensor(train_set[3][1]).unsqueeze(0)
    direct = model(ids, torch.ones_like(ids, dtype=torch.bool))
    assert torch.allclose(logits[3], direct[0], atol=1e-5)


def test_word_dropout_trains_the_unknown_word(datasets):
    vocab, train_set = datasets
    seed_everything(0)
    model = build_model("nbow", len(vocab), 2)
    before = model.embedding.weight[vocab.unk_id].detach().clone()
    train(model, train_set, None, _config(epochs=2, word_dropout=0.3, weight_decay=0.0))
    assert not torch.equal(model.embedding.weight[vocab.unk_id], before)
    seed_everything(0)
    plain = build_model("nbow", len(vocab), 2)
    train(plain, train_set, None, _config(epochs=2, weight_decay=0.0))
    assert torch.equal(plain.embedding.weight[vocab.unk_id], before)


def test_choose_device():
    assert choose_device("cpu").type == "cpu"
    assert choose_device("auto").type in {"cpu", "cuda"}
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            choose_device("cuda")


def test_classification_metrics_match_sklearn():
    metrics = classification_metrics([0, 1, 1, 2], [0, 1, 0, 2], ["a", "b", "c"])
    assert metrics.accuracy == 0.75
    assert metrics.confusion == [[1, 0, 0], [1, 1, 0], [0, 0, 1]]
    assert metrics.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert "macro-F1" in metrics.format_report()


def test_macro_f1_leaves_out_labels_neither_the_data_nor_the_model_names():
    # six labels, a test split with only one of them, every answer right
    metrics = classification_metrics([2, 2, 2], [2, 2, 2], list("abcdef"))
    assert metrics.accuracy == 1.0 and metrics.macro_f1 == 1.0
    assert set(metrics.report) >= set("abcdef")  # the report still lists every label
    wrong = classification_metrics([2, 2], [2, 4], list("abcdef"))  # a label the model named
    assert wrong.macro_f1 == pytest.approx((2 / 3 + 0) / 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"scheduler": "x"}, "scheduler"),
        ({"lr": 0.0}, "lr must be positive"),
        ({"lr": float("nan")}, "lr must be positive"),
        ({"warmup": 1.0}, "warmup"),
        ({"warmup": -0.1}, "warmup"),
    ],
)
def test_bad_config(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_amp_on_cuda_uses_float16_and_grad_scaler(datasets):
    vocab, train_set = datasets
    model = build_model("transformer", len(vocab), 2)
    result = train(model, train_set, train_set, _config(epochs=2, amp=True, device="cuda"))
    # bfloat16 where the GPU has it natively (Ampere on), else float16 with a scaler
    assert result.amp_dtype == amp_dtype(torch.device("cuda")).__str__().removeprefix("torch.")
    assert result.device.startswith("cuda")
