"""Writing texts in a chosen class: label tokens, sampling, and judging what was written.

A language model (:class:`nlptut.generation.gpt.GPT`) learns to continue text. To make it
write a tweet in a chosen emotion, every training tweet is given its label as
its first token: ``<joy> i feel so relaxed today [EOS]``, as CTRL starts
its texts with a *control code* :cite:p:`keskar2019ctrl`. Having read
thousands of tweets that start so, the model continues ``<joy>`` with joyful
words; to write in an emotion, we give it only that first token.

:class:`LabelledTokens` holds the byte-pair vocabulary (:func:`nlptut.generation.bpe.train_bpe`)
with one special token per label, turns a split of a
:class:`nlptut.datasets.LabelledData` into token ids of that form, and turns
generated ids back into text. :func:`write` samples texts for a label;
:func:`recognised` and :func:`copied` judge them: the share whose requested
label a classifier recognises, and the share that repeat a training text word
for word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from nlptut.generation.bpe import EOS, PAD, train_bpe
from nlptut.generation.gpt import GPT, generate
from nlptut.generation.ngram import MixedLM, NGramLM

__all__ = ["LabelledTokens", "write", "recognised", "copied"]


def label_token(label: str) -> str:
    """The special token that starts a text of ``label``: ``"<joy>"``."""
    return f"<{label}>"


@dataclass
class LabelledTokens:
    """A byte-pair vocabulary with one start token per label (see the module docstring).

    Build one with :meth:`train`.

    Attributes
    ----------
    tokenizer : tokenizers.Tokenizer
    labels : list of str
    context : int
        Texts are cut to this many tokens, label token included (a text cut
        short has no ``[EOS]``).
    """

    tokenizer: Any
    labels: list[str]
    context: int

    @classmethod
    def train(
        cls, texts: Sequence[str], labels: Sequence[str], vocab_size: int, context: int
    ) -> LabelledTokens:
        """Train the vocabulary on ``texts`` (the training split) with a token per label."""
        if context < 2:
            raise ValueError(
                f"context must be at least 2 tokens (a label and a word), got {context}"
            )
        tokenizer = train_bpe(texts, vocab_size, special_tokens=[label_token(x) for x in labels])
        return cls(tokenizer, list(labels), context)

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.get_vocab_size()

    @property
    def eos_id(self) -> int:
        return self.tokenizer.token_to_id(EOS)

    def label_id(self, label: str) -> int:
        if label not in self.labels:
            raise ValueError(f"unknown label {label!r}; the labels are {', '.join(self.labels)}")
        return self.tokenizer.token_to_id(label_token(label))

    def encode(self, texts: Sequence[str], labels: Iterable[int]) -> list[list[int]]:
        """``[label token, text tokens..., EOS]`` per text, cut to :attr:`context`;
        ``labels`` are indices into :attr:`labels`, as in a ``LabelledSplit``."""
        encoded = self.tokenizer.encode_batch(list(texts))
        return [
            ([self.label_id(self.labels[y])] + e.ids + [self.eos_id])[: self.context]
            for e, y in zip(encoded, labels, strict=True)
        ]

    def decode(self, ids: Sequence[int]) -> str:
        """The text of generated ids, without the label token and ``[EOS]``."""
        dropped = {self.eos_id, *(self.label_id(x) for x in self.labels)}
        return self.tokenizer.decode([i for i in ids if i not in dropped]).strip()


def write(
    model: GPT | NGramLM | MixedLM,
    tokens: LabelledTokens,
    label: str,
    n: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
) -> list[str]:
    """Sample ``n`` texts that start with ``label``'s token, from a GPT or a counting model.

    Seeded: the same arguments give the same texts. The random draws depend on
    ``seed`` *and* ``label``, so that texts written for two labels with the
    same seed are not drawn with the same random numbers (which would make
    them start alike wherever the model's probabilities are alike).
    """
    label_id = tokens.label_id(label)
    draws = seed * 100_003 + label_id
    settings = dict(
        max_new=tokens.context - 1, temperature=temperature, top_k=top_k, stop_id=tokens.eos_id
    )
    if isinstance(model, NGramLM | MixedLM):
        rows = model.generate(
            [[label_id]] * n,
            never=(tokens.tokenizer.token_to_id(PAD),),
            rng=np.random.default_rng(draws),
            **settings,
        )
    else:
        prompts = torch.full((n, 1), label_id, dtype=torch.long)
        rows = generate(model, prompts, generator=torch.Generator().manual_seed(draws), **settings)
    return [tokens.decode(row) for row in rows]


def recognised(
    texts: Sequence[str],
    wanted: Sequence[int],
    predict: Callable[[Sequence[str]], np.ndarray],
) -> float:
    """The share of ``texts`` whose wanted label (an index) is the one ``predict``
    (texts -> label indices) gives them.

    An empty text (the model ended it at once) counts as not recognised and is
    not given to ``predict``.
    """
    if len(texts) != len(wanted):
        raise ValueError(f"{len(texts)} texts but {len(wanted)} wanted labels")
    if not texts:
        raise ValueError("recognised needs at least one text")
    kept = [i for i, text in enumerate(texts) if text.strip()]
    hits = np.zeros(len(texts), dtype=bool)
    if kept:
        predicted = np.asarray(predict([texts[i] for i in kept]))
        hits[kept] = predicted == np.asarray(wanted)[kept]
    return float(hits.mean())


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def copied(texts: Sequence[str], training: Iterable[str]) -> float:
    """The share of ``texts`` that are, word for word, a training text (case and
    spacing aside)."""
    if not texts:
        raise ValueError("copied needs at least one text")
    seen = {_normal(t) for t in training}
    return sum(_normal(t) in seen for t in texts) / len(texts)
