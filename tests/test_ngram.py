"""The n-gram baseline: a proper probability, counted by hand, weights chosen on validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nlptut.generation.ngram import MixedLM, NGramLM

TEXTS = [[5, 2, 3, 4], [5, 2, 3, 3, 4], [6, 2, 4]]


def test_probabilities_sum_to_one_for_seen_and_unseen_contexts():
    model = NGramLM(vocab_size=7, order=3).fit(TEXTS)
    for context in ([5, 2], [2, 3], [6], [], [1, 1], [4, 4, 4]):
        total = sum(model.probability(context, token) for token in range(7))
        assert total == pytest.approx(1.0)


def test_counts_by_hand():
    # a bigram model with all its weight on the bigram (the uniform share ~0)
    model = NGramLM(vocab_size=7, order=2, weights=[1e-12, 1e-12, 1.0]).fit(TEXTS)
    # after 2: 3 twice, 4 once
    assert model.probability([2], 3) == pytest.approx(2 / 3)
    assert model.probability([2], 4) == pytest.approx(1 / 3)
    # the first token is a context only, never predicted
    assert model.counts[0][()][5] == 0 and model.counts[0][()][2] == 3
    # a context never seen hands its weight down to the unigram
    assert model.probability([1], 2) == pytest.approx(3 / 9)


def test_uniform_model_has_perplexity_vocab_size_and_counts_help():
    uniform = NGramLM(vocab_size=7, order=1, weights=[1.0, 1e-12]).fit(TEXTS)
    assert uniform.perplexity(TEXTS) == pytest.approx(7.0)
    fitted = NGramLM(vocab_size=7, order=3).fit(TEXTS)
    assert fitted.perplexity(TEXTS) < 7.0
    assert math.isfinite(fitted.perplexity([[6, 1, 1, 0]]))  # unseen tokens stay possible


def test_weights_are_chosen_on_validation():
    model = NGramLM(vocab_size=7, order=3).fit(TEXTS)
    before = model.perplexity([[5, 2, 3, 4]])
    best = model.choose_weights([[5, 2, 3, 4]], grid=(0.1, 1.0))
    assert best == pytest.approx(model.perplexity([[5, 2, 3, 4]]))
    assert best <= before + 1e-12
    assert sum(model.weights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"vocab_size": 0}, "vocab_size"),
        ({"vocab_size": 5, "order": 0}, "order"),
        ({"vocab_size": 5, "order": 2, "weights": [1, 1]}, "3 numbers"),
        ({"vocab_size": 5, "order": 1, "weights": [1, 0]}, "above 0"),
    ],
)
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NGramLM(**kwargs)


def test_tokens_outside_the_vocabulary_and_empty_input_are_refused():
    with pytest.raises(ValueError, match="token id 5 is outside the vocabulary of 3"):
        NGramLM(vocab_size=3).fit([[0, 5]])
    model = NGramLM(vocab_size=3, order=2).fit([[0, 1, 2]])
    with pytest.raises(ValueError, match="token id 7"):
        model.fit([[0, 1, 1, 7]])  # the bad sequence is refused whole: nothing of it is counted
    assert model.totals[0][()] == 2 and model.counts[1][(1,)] == {2: 1}
    with pytest.raises(ValueError, match="at least one sequence"):
        NGramLM(vocab_size=3).fit(TEXTS[:0]).perplexity([[1]])


def test_distribution_matches_probability_and_sums_to_one():
    model = NGramLM(vocab_size=7, order=3).fit(TEXTS)
    for context in ([5, 2], [2, 3], [6], [], [1, 1]):
        dist = model.distribution(context)
        assert dist.sum() == pytest.approx(1.0)
        assert dist == pytest.approx([model.probability(context, t) for t in range(7)])


def test_keep_first_counts_each_first_token_apart():
    # after "2 3", texts starting with 5 went on with 4 and 3, texts starting with 6 with 1
    texts = [[5, 2, 3, 4], [5, 2, 3, 3], [6, 2, 3, 1]]
    plain = NGramLM(vocab_size=7, order=2, weights=[1e-12, 1e-12, 1.0]).fit(texts)
    kept = NGramLM(vocab_size=7, order=2, weights=[1e-12, 1e-12, 1.0], keep_first=True).fit(texts)
    # the plain bigram sees only "3" and mixes both kinds of text
    assert plain.probability([5, 2, 3], 1) == pytest.approx(1 / 3)
    assert plain.probability([6, 2, 3], 1) == pytest.approx(1 / 3)
    # kept: the context is (first token, last token)
    assert kept.probability([5, 2, 3], 1) == pytest.approx(0.0, abs=1e-9)
    assert kept.probability([6, 2, 3], 1) == pytest.approx(1.0)
    assert kept.counts[1][5, 3] == {4: 1, 3: 1}
    # the first token is never counted twice: (5,) is the whole context after it
    assert kept.counts[0][(5,)][2] == 2 and (5, 5) not in kept.counts[1]
    for context in ([5, 2, 3], [6], [1, 1, 1]):
        assert kept.distribution(context).sum() == pytest.approx(1.0)


def test_generate_is_seeded_stops_and_never_draws_what_it_must_not():
    model = NGramLM(vocab_size=7, order=3).fit(TEXTS)
    settings = dict(max_new=6, stop_id=4, never=(0,))
    rows = model.generate([[5]] * 20, **settings, rng=np.random.default_rng(1))
    again = model.generate([[5]] * 20, **settings, rng=np.random.default_rng(1))
    assert rows == again
    for row in rows:
        assert row[0] == 5 and 0 not in row[1:] and len(row) <= 7
        assert 4 not in row[1:-1]  # nothing after the stop token
    # greedy: after 5 the likeliest is 2, after 5 2 it is 3
    (greedy,) = model.generate([[5]], max_new=2, temperature=0)
    assert greedy == [5, 2, 3]
    # top-k 1 is greedy too
    (top1,) = model.generate([[5]], max_new=2, top_k=1, rng=np.random.default_rng(0))
    assert top1 == greedy
    with pytest.raises(ValueError, match="temperature"):
        model.generate([[5]], max_new=1, temperature=-1)
    with pytest.raises(ValueError, match="top_k"):
        model.generate([[5]], max_new=1, top_k=0)


def test_mixed_model_is_the_weighted_sum_of_its_models():
    texts = [[5, 2, 3, 4], [5, 2, 3, 3], [6, 2, 3, 1], [6, 2, 1]]
    plain = NGramLM(vocab_size=7, order=2).fit(texts)
    kept = NGramLM(vocab_size=7, order=2, keep_first=True).fit(texts)
    mixed = MixedLM([plain, kept], weights=[3, 1])
    assert mixed.weights == pytest.approx([0.75, 0.25])
    for context in ([5, 2, 3], [6], [1, 1, 1], []):
        dist = mixed.distribution(context)
        assert dist.sum() == pytest.approx(1.0)
        assert dist == pytest.approx(
            0.75 * plain.distribution(context) + 0.25 * kept.distribution(context)
        )
    # perplexity from the same probabilities, token by token (every token after the first)
    probs = [mixed.distribution(seq[:t])[seq[t]] for seq in texts for t in range(1, len(seq))]
    assert mixed.perplexity(texts) == pytest.approx(math.exp(-np.mean(np.log(probs))))


def test_mixed_weights_are_chosen_on_validation_and_it_writes_like_a_counting_model():
    train = [[5, 2, 3, 4], [5, 2, 3, 4], [6, 2, 3, 1], [6, 2, 3, 1], [5, 2, 1]]
    plain = NGramLM(vocab_size=7, order=2).fit(train)
    kept = NGramLM(vocab_size=7, order=2, keep_first=True).fit(train)
    mixed = MixedLM([plain, kept])
    # on texts where the first token decides the ending, the per-first-token model earns weight
    best = mixed.choose_weights([[5, 2, 3, 4], [6, 2, 3, 1]], grid=(0.1, 0.5, 0.9))
    assert best == pytest.approx(mixed.perplexity([[5, 2, 3, 4], [6, 2, 3, 1]]))
    assert mixed.weights[1] > mixed.weights[0]
    assert best < MixedLM([plain, kept]).perplexity([[5, 2, 3, 4], [6, 2, 3, 1]])  # equal weights
    settings = dict(max_new=5, stop_id=4, never=(0,))
    rows = mixed.generate([[5]] * 10, **settings, rng=np.random.default_rng(3))
    assert rows == mixed.generate([[5]] * 10, **settings, rng=np.random.default_rng(3))
    assert all(0 not in row[1:] for row in rows)


@pytest.mark.parametrize(
    "models, weights, message",
    [
        (1, None, "at least two models"),
        (2, [1, 1, 1], "2 numbers"),
        (2, [1, 0], "above 0"),
    ],
)
def test_bad_mixtures_are_refused(models, weights, message):
    fitted = [NGramLM(vocab_size=7).fit(TEXTS) for _ in range(models)]
    with pytest.raises(ValueError, match=message):
        MixedLM(fitted, weights)
    with pytest.raises(ValueError, match="vocabulary sizes"):
        MixedLM([NGramLM(vocab_size=7), NGramLM(vocab_size=8)])
