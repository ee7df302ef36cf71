"""nlptut.runtime: the best epoch kept by every training loop."""

from __future__ import annotations

import math

import torch

from nlptut.runtime import BestEpoch


def _model(value: float) -> torch.nn.Module:
    model = torch.nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(value)
    return model


def test_the_best_score_keeps_its_weights_and_restores_them():
    best, model = BestEpoch(start=-1.0), _model(0.0)
    for epoch, score in enumerate([0.2, 0.5, 0.4, 0.5], start=1):  # a tie is not better
        with torch.no_grad():
            model.weight.fill_(float(epoch))
        best.offer(epoch, score, model)
    assert (best.epoch, best.score) == (2, 0.5)
    assert best.restore(model) and model.weight.item() == 2.0


def test_lower_is_better_and_nan_is_never_better():
    best = BestEpoch(lower_is_better=True)
    assert not best.offer(1, math.nan, _model(1.0))
    assert not best.restore(_model(0.0))  # nothing kept
    assert best.offer(2, 30.0, _model(2.0)) and not best.offer(3, 31.0, _model(3.0))
    assert best.epoch == 2


def test_always_keeps_an_epoch_without_a_score():
    best = BestEpoch(start=-1.0)
    assert best.offer(1, math.nan, _model(1.0), always=True)
    assert best.epoch == 1 and math.isnan(best.score)
