"""Short training runs: the settings the tutorials use to train each network in seconds.

The tuned recipes (:data:`nlptut.classifier.RECIPES`) train for 5 to 20
:term:`epochs <epoch>` on batches of 32 tweets, which takes minutes per
model on a laptop CPU. A tutorial page must run in under a minute, so the
pages train the same networks for one or two epochs on larger batches, with
a larger learning rate to match (fewer, larger steps need larger ones). The
rates were chosen on dair-emotion's validation split, one trial run per rate.
Short runs use the fused AdamW (``fused=True``: one pass over each weight
instead of several, the same maths up to rounding), which trains the bag of
words, with its large table of word and n-gram vectors, about a quarter faster
on a CPU.

Every page that trains one of these networks on dair-emotion uses these
settings from here, so a page that describes another page's run can print
them instead of repeating them, and a site build trains each such model once
(:mod:`nlptut.buildcache`).
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["SHORT_RUNS", "describe", "word_pairs_bag"]

SHORT_RUNS = MappingProxyType(
    {
        # the cheapest by far: its tens of thousands of n-gram vectors each
        # appear in few tweets and learn little per epoch, so two epochs and
        # the largest rise in rate
        "nbow": MappingProxyType({"epochs": 2, "batch_size": 256, "lr": 6e-2, "fused": True}),
        "cnn": MappingProxyType({"epochs": 1, "batch_size": 128, "lr": 2e-2, "fused": True}),
        "lstm": MappingProxyType({"epochs": 1, "batch_size": 128, "lr": 2e-2, "fused": True}),
        "transformer": MappingProxyType(
            {"epochs": 1, "batch_size": 128, "lr": 1.2e-2, "fused": True}
        ),
    }
)
"""For each network: the ``TrainConfig`` fields a short run changes (read-only)."""


def describe(model: str) -> str:
    """The short run of ``model`` in words: ``"1 epoch on batches of 128, learning rate 0.02"``.

    Raises
    ------
    KeyError
        If ``model`` has no short run (the keyword model learns nothing to run).
    """
    if model not in SHORT_RUNS:
        raise KeyError(f"no short run for {model!r}; choose one of {', '.join(SHORT_RUNS)}")
    run = SHORT_RUNS[model]
    epochs = "1 epoch" if run["epochs"] == 1 else f"{run['epochs']} epochs"
    return f"{epochs} on batches of {run['batch_size']}, learning rate {run['lr']:g}"


def word_pairs_bag(quick: bool = False):
    """The bag of words of the minimal-pair pages, as a ``ModelRecipe``.

    The network of "Does the model read the meaning?": word vectors of 64
    numbers, no hidden layer, dropout 0.5, words seen in at least 2 training
    texts, pairs of neighbouring words counted as words too (so that "not me"
    can be one clue), trained with the bag of words' short run (one epoch in
    ``quick`` mode). The pages that train it with the same data and seed
    share one training per site build (:mod:`nlptut.buildcache`).
    """
    from nlptut.classifier import ModelRecipe
    from nlptut.training import TrainConfig

    run = dict(SHORT_RUNS["nbow"])
    if quick:
        run["epochs"] = 1
    return ModelRecipe(
        TrainConfig(**run, progress=False),
        model={"embed_dim": 64, "hidden_dim": 0, "dropout": 0.5},
        min_freq=2,
        word_bigrams=True,
    )
