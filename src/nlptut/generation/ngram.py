"""An n-gram language model: the baseline a neural language model has to beat.

An *n-gram model* predicts the next token from the ``n - 1`` tokens before it
only, by counting: after "i feel", how often did the training texts continue
with "so", with "like", with "sad"? Counts alone give probability zero to
anything never seen after that context, and one unseen token makes a test
text impossible (infinite perplexity). :class:`NGramLM` therefore *mixes*
:cite:p:`jelinek1980interpolated`: the probability of a token is a weighted
sum of its trigram, bigram and unigram frequencies and of ``1 / vocab_size``
(every token possible), the weights summing to one. Where a context was never
seen, its share goes to the shorter contexts. The weights are chosen by
:meth:`NGramLM.choose_weights` on validation texts, never on the test texts.

With ``keep_first=True`` the first token of a text stays in every context: a
text that starts with an emotion token is then continued from counts of that
emotion's texts only (a *class-conditional* model), which a plain trigram model
cannot do once the text is longer than two tokens. :meth:`NGramLM.generate`
writes by drawing one token at a time, with the same temperature and top-k as
:func:`nlptut.generation.gpt.generate`.

It reads the same token ids as :class:`nlptut.generation.gpt.GPT`, and
:meth:`NGramLM.perplexity` scores the same positions as
:func:`nlptut.generation.gpt.perplexity` (every token after the first), so the two
numbers can be compared.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence

import numpy as np

__all__ = ["MixedLM", "NGramLM"]


class NGramLM:
    """An interpolated n-gram model over token ids (see the module docstring).

    Parameters
    ----------
    vocab_size : int
        How many different token ids there are (for the ``1 / vocab_size`` share).
    order : int, default 3
        The longest n-gram counted: 3 uses the two tokens before.
    weights : sequence of float, optional
        ``order + 1`` weights, for the uniform share, the unigram, the bigram,
        ... in this order; they must be positive and are scaled to sum to one.
        Default: ``0.01`` uniform and the rest shared equally.
    keep_first : bool, default False
        Keep each text's first token (a label token) in every context, on top
        of the last ``order - 1`` tokens: one set of counts per first token.
    """

    def __init__(
        self,
        vocab_size: int,
        order: int = 3,
        weights: Sequence[float] | None = None,
        *,
        keep_first: bool = False,
    ) -> None:
        if isinstance(order, bool) or not isinstance(order, int) or order < 1:
            raise ValueError(f"order must be a whole number of at least 1, got {order!r}")
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 1:
            raise ValueError(f"vocab_size must be a positive whole number, got {vocab_size!r}")
        self.vocab_size = vocab_size
        self.order = order
        self.keep_first = bool(keep_first)
        self.weights = self._check_weights(
            weights if weights is not None else [0.01] + [0.99 / order] * order
        )
        # counts[k][context of k tokens][next token] and totals[k][context]
        self.counts: list[defaultdict[tuple[int, ...], Counter]] = [
            defaultdict(Counter) for _ in range(order)
        ]
        self.totals: list[Counter] = [Counter() for _ in range(order)]

    def _context(self, seq: Sequence[int], t: int, k: int) -> tuple[int, ...] | None:
        """The ``k`` tokens before position ``t`` of ``seq``; None if there are fewer.

        With :attr:`keep_first`, the first token goes in front when it is not
        among them already (so ``(first, ...)`` of length ``k + 1`` is "k tokens
        somewhere in a text that starts so" and a context of length ``k`` that
        reaches back to the first token is "the start of the text").
        """
        if k > t:
            return None
        context = tuple(seq[t - k : t])
        return (seq[0], *context) if self.keep_first and t - k >= 1 else context

    def _check_weights(self, weights: Sequence[float]) -> list[float]:
        return _scaled(weights, self.order + 1, f" (uniform, then n = 1..{self.order})")

    def fit(self, sequences: Iterable[Sequence[int]]) -> NGramLM:
        """Count the n-grams of ``sequences`` (lists of token ids); returns ``self``.

        Only tokens after the first are predicted, so the first token of each
        sequence (for instance an emotion token) is counted only as a context.
        """
        order, keep_first = self.order, self.keep_first
        for seq in sequences:
            seq = list(seq)
            bad = next((t for t in seq[1:] if not 0 <= t < self.vocab_size), None)
            if bad is not None:  # checked before counting, so a bad sequence adds nothing
                raise ValueError(f"token id {bad} is outside the vocabulary of {self.vocab_size}")
            for t in range(1, len(seq)):
                token = seq[t]
                for k in range(min(order, t + 1)):  # k tokens of context (as _context)
                    context = tuple(seq[t - k : t])
                    if keep_first and t - k >= 1:
                        context = (seq[0], *context)
                    self.counts[k][context][token] += 1
                    self.totals[k][context] += 1
        return self

    def _frequencies(self, sequences: Iterable[Sequence[int]]) -> np.ndarray:
        """``(tokens, order)``: for every token after the first, how often it followed
        its last ``k`` tokens in training, for ``k = 0 .. order - 1`` (NaN where
        that context was never seen)."""
        rows = [self._row(seq[:t], seq[t]) for seq in sequences for t in range(1, len(seq))]
        return np.array(rows, dtype=np.float64).reshape(-1, self.order)

    def _row(self, context: Sequence[int], token: int) -> np.ndarray:
        row = np.full(self.order, math.nan)
        for k in range(self.order):
            ctx = self._context(context, len(context), k)
            if ctx is None:
                break
            seen = self.totals[k][ctx]
            if seen:
                row[k] = self.counts[k][ctx][token] / seen
        return row

    def _mix(self, frequencies: np.ndarray, weights: Sequence[float]) -> np.ndarray:
        p = np.full(len(frequencies), weights[0] / self.vocab_size)
        missing = np.zeros(len(frequencies))  # weight of unseen contexts, handed down
        for k in range(self.order - 1, -1, -1):
            weight = weights[k + 1] + missing
            seen = ~np.isnan(frequencies[:, k])
            p += np.where(seen, weight * np.nan_to_num(frequencies[:, k]), 0.0)
            missing = np.where(seen, 0.0, weight)
        return p + missing / self.vocab_size

    def probability(self, context: Sequence[int], token: int) -> float:
        """P(``token`` | the tokens before it), ``context`` ending just before ``token``.

        Over all the tokens of the vocabulary these sum to one, for any context.
        """
        return float(self._mix(self._row(list(context), token)[None, :], self.weights)[0])

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(every token | ``context``): a vector of :attr:`vocab_size` numbers summing to one."""
        # what _mix computes from _row's table for every token at once: a context
        # is seen or unseen for all tokens alike, so the weight handed down is one
        # number, and a seen context adds only to the tokens that followed it
        weights = self.weights
        p = np.full(self.vocab_size, weights[0] / self.vocab_size)
        missing = 0.0
        for k in range(self.order - 1, -1, -1):
            weight = weights[k + 1] + missing
            ctx = self._context(context, len(context), k)
            seen = self.totals[k][ctx] if ctx is not None else 0
            if seen:
                followers = self.counts[k][ctx]
                p[list(followers)] += weight * (np.fromiter(followers.values(), float) / seen)
                missing = 0.0
            else:
                missing = weight
        return p + missing / self.vocab_size

    def generate(
        self,
        prompts: Sequence[Sequence[int]],
        *,
        max_new: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        stop_id: int | None = None,
        never: Collection[int] = (),
        rng: np.random.Generator | None = None,
    ) -> list[list[int]]:
        """Continue each prompt by drawing one token at a time, as
        :func:`nlptut.generation.gpt.generate` does for a GPT (same ``temperature``, ``top_k``
        and ``stop_id``); tokens in ``never`` (padding, say) are never drawn.
        ``rng`` seeds the draws."""
        return _sample(
            self.distribution,
            prompts,
            max_new=max_new,
            temperature=temperature,
            top_k=top_k,
            stop_id=stop_id,
            never=never,
            rng=rng,
        )

    def perplexity(self, sequences: Iterable[Sequence[int]]) -> float:
        """``exp`` of the mean of ``-log P(token | context)`` over every token after
        the first, as :func:`nlptut.generation.gpt.perplexity` computes it."""
        return self._perplexity(self._frequencies(sequences), self.weights)

    def _perplexity(self, frequencies: np.ndarray, weights: Sequence[float]) -> float:
        if not len(frequencies):
            raise ValueError("perplexity needs at least one sequence of two or more tokens")
        return _perplexity_of(self._mix(frequencies, weights))

    def choose_weights(
        self, validation: Sequence[Sequence[int]], grid: Sequence[float] = (0.1, 0.3, 0.5, 1.0)
    ) -> float:
        """Try every combination of the ``grid`` values as weights (the uniform share
        kept at 0.01 before scaling), keep the one with the lowest perplexity on
        ``validation``; returns that perplexity."""
        frequencies = self._frequencies(validation)
        best, best_weights = math.inf, self.weights
        for combo in itertools.product(grid, repeat=self.order):
            weights = self._check_weights([0.01 * sum(combo), *combo])
            value = self._perplexity(frequencies, weights)
            if value < best:
                best, best_weights = value, weights
        self.weights = best_weights
        return best


class MixedLM:
    """Counting models mixed into one: P(token | context) = sum of weight_i * P_i(token | context).

    The usual answer when one model has a view that is wide but thinly counted
    and another a view that is narrow but well counted (a model per emotion,
    ``keep_first=True``, against one over all texts): do not choose, mix them,
    with weights chosen on validation texts (:meth:`choose_weights`), the same
    interpolation that mixes the n-gram lengths inside :class:`NGramLM`
    :cite:p:`jelinek1980interpolated`. It writes (:meth:`generate`) and is
    scored (:meth:`perplexity`) like an :class:`NGramLM`.

    Parameters
    ----------
    models : sequence of NGramLM
        Two or more fitted models over the same token ids.
    weights : sequence of float, optional
        One positive weight per model, scaled to sum to one; default equal.
    """

    def __init__(self, models: Sequence[NGramLM], weights: Sequence[float] | None = None) -> None:
        self.models = list(models)
        if len(self.models) < 2:
            raise ValueError(f"MixedLM needs at least two models, got {len(self.models)}")
        sizes = {m.vocab_size for m in self.models}
        if len(sizes) != 1:
            raise ValueError(f"the models have different vocabulary sizes: {sorted(sizes)}")
        self.vocab_size = sizes.pop()
        self.weights = self._check_weights(
            weights if weights is not None else [1.0] * len(self.models)
        )

    def _check_weights(self, weights: Sequence[float]) -> list[float]:
        return _scaled(weights, len(self.models))

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(every token | ``context``): a vector of :attr:`vocab_size` numbers summing to one."""
        pairs = zip(self.weights, self.models, strict=True)
        return sum(w * m.distribution(context) for w, m in pairs)

    def _probabilities(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """``(models, tokens)``: each model's probability of every token after the first."""
        return np.stack([m._mix(m._frequencies(sequences), m.weights) for m in self.models])

    def perplexity(self, sequences: Iterable[Sequence[int]]) -> float:
        """``exp`` of the mean of ``-log P(token | context)``, as :meth:`NGramLM.perplexity`."""
        probabilities = self._probabilities(list(sequences))
        if not probabilities.shape[1]:
            raise ValueError("perplexity needs at least one sequence of two or more tokens")
        return _perplexity_of(np.asarray(self.weights) @ probabilities)

    def choose_weights(
        self,
        validation: Sequence[Sequence[int]],
        grid: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    ) -> float:
        """Try every combination of the ``grid`` values as weights (scaled to sum to
        one), keep the one with the lowest perplexity on ``validation``; returns it."""
        probabilities = self._probabilities(list(validation))
        best, best_weights = math.inf, self.weights
        for combo in itertools.product(grid, repeat=len(self.models)):
            weights = self._check_weights(combo)
            value = _perplexity_of(np.asarray(weights) @ probabilities)
            if value < best:
                best, best_weights = value, weights
        self.weights = best_weights
        return best

    # NGramLM's writer draws from ``self.distribution``: the mixed one here
    generate = NGramLM.generate


def _sample(
    distribution: Callable[[Sequence[int]], np.ndarray],
    prompts: Sequence[Sequence[int]],
    *,
    max_new: int,
    temperature: float,
    top_k: int | None,
    stop_id: int | None,
    never: Collection[int],
    rng: np.random.Generator | None,
) -> list[list[int]]:
    """Continue each prompt one drawn token at a time from ``distribution(context)``."""
    if temperature < 0:
        raise ValueError(f"temperature must be 0 or more, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    rng = rng if rng is not None else np.random.default_rng()
    banned = list(never)
    rows = []
    for prompt in prompts:
        row = list(prompt)
        for _ in range(max_new):
            with np.errstate(divide="ignore"):
                scores = np.log(distribution(row))
            scores[banned] = -np.inf
            if temperature == 0:
                token = int(scores.argmax())
            else:
                scores = scores / temperature
                if top_k is not None and top_k < len(scores):
                    kth = np.partition(scores, -top_k)[-top_k]
                    scores[scores < kth] = -np.inf
                probs = np.exp(scores - scores.max())
                token = int(rng.choice(len(probs), p=probs / probs.sum()))
            row.append(token)
            if token == stop_id:
                break
        rows.append(row)
    return rows


def _scaled(weights: Sequence[float], count: int, what: str = "") -> list[float]:
    """``count`` positive mixing weights, scaled to sum to one (``what`` names them in errors)."""
    weights = [float(w) for w in weights]
    if len(weights) != count:
        raise ValueError(f"weights needs {count} numbers{what}, got {len(weights)}")
    if any(not w > 0 for w in weights):
        raise ValueError(f"weights must all be above 0, got {weights}")
    total = sum(weights)
    return [w / total for w in weights]


def _perplexity_of(probabilities: np.ndarray) -> float:
    """``exp`` of the mean of ``-log p`` over the probabilities the tokens were given."""
    return float(np.exp(-np.log(probabilities).mean()))
