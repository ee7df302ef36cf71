"""The short runs the pages share are valid training settings, described in words."""

from __future__ import annotations

import pytest

from nlptut.models import NEURAL_MODELS
from nlptut.shortruns import SHORT_RUNS, describe
from nlptut.training import TrainConfig


def test_every_network_has_a_valid_short_run():
    assert set(SHORT_RUNS) == set(NEURAL_MODELS)
    for run in SHORT_RUNS.values():
        TrainConfig(**run)  # raises on an invalid schedule


def test_the_short_runs_cannot_be_changed_by_a_page():
    with pytest.raises(TypeError):
        SHORT_RUNS["lstm"]["lr"] = 1.0


def test_a_short_run_in_words():
    assert describe("lstm") == "1 epoch on batches of 128, learning rate 0.02"
    assert describe("nbow") == "2 epochs on batches of 256, learning rate 0.06"
    with pytest.raises(KeyError, match="no short run"):
        describe("keywords")


def test_word_pairs_bag_is_the_meaning_pages_recipe():
    from nlptut.shortruns import SHORT_RUNS, word_pairs_bag

    recipe = word_pairs_bag()
    assert recipe.word_bigrams and recipe.min_freq == 2
    assert recipe.train.epochs == SHORT_RUNS["nbow"]["epochs"] and recipe.train.lr == 6e-2
    assert word_pairs_bag(quick=True).train.epochs == 1
    assert recipe.model == {"embed_dim": 64, "hidden_dim": 0, "dropout": 0.5}
