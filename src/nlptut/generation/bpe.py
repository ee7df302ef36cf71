"""Byte-pair encoding (BPE) vocabularies, trained with the Hugging Face ``tokenizers`` library.

A language model that writes text must be able to write any word, so a
vocabulary of whole words (:class:`nlptut.vocab.Vocabulary`, with its
``<unk>``) does not suit it, and single characters make sequences long and slow
to learn. BPE :cite:p:`sennrich2016neural` sits between the two: it starts
from characters and merges the most frequent neighbouring pairs again and
again (``f e e l`` -> ``fe el`` -> ``feel``), until the vocabulary has the
size asked for. Common words become one
token, rare words a few pieces, and nothing is ever unknown.

:func:`train_bpe` trains one on a list of texts with ``tokenizers`` (the
library behind the Hugging Face tokenizers), with special tokens of the
caller's choice (for instance one token per emotion, to start a tweet with).
Spaces are kept as the ``▁`` mark on the piece that follows them
(``Metaspace``), so decoding gives back the text exactly as it was split.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["train_bpe", "PAD", "EOS"]

PAD = "[PAD]"
"""The padding token (id 0)."""
EOS = "[EOS]"
"""The end-of-text token (id 1)."""


def train_bpe(texts: Sequence[str], vocab_size: int, *, special_tokens: Sequence[str] = ()) -> Any:
    """Train a BPE tokenizer on ``texts``.

    Parameters
    ----------
    texts : sequence of str
        The training texts.
    vocab_size : int
        The number of tokens to end with, special tokens and single characters
        included.
    special_tokens : sequence of str
        Tokens that are never split or merged; they get the ids right after
        :data:`PAD` (0) and :data:`EOS` (1), in the order given.

    Returns
    -------
    tokenizers.Tokenizer
        ``encode(text).ids`` gives the ids, ``decode(ids)`` the text.
    """
    try:
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    except ImportError as exc:
        raise ImportError(
            "train_bpe needs the tokenizers package; install it with: pip install 'nlptut[hf]'"
        ) from exc

    if vocab_size < 2 + len(special_tokens):
        raise ValueError(f"vocab_size must leave room for the special tokens, got {vocab_size}")
    if not texts:
        raise ValueError("train_bpe needs at least one text")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[PAD, EOS, *special_tokens],
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer
