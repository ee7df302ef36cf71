"""Texts to batches for a pretrained model, and running it over many texts: embeddings
and logits."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from nlptut.config import show_progress
from nlptut.hf.model import PretrainedClassifier, mean_pool
from nlptut.precision import AmpSetting, choose_precision

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


# Batches
# -------


@dataclass
class HFCollator:
    """Turn ``(text, label)`` items into a padded batch for a pretrained model.

    Parameters
    ----------
    tokenizer : transformers.PreTrainedTokenizerBase
        From :func:`load_tokenizer`.
    max_length : int, default 64
        Longer texts are cut to this many tokens, special tokens included.

    Examples
    --------
    >>> collate = HFCollator(load_tokenizer(), max_length=16)  # doctest: +SKIP
    >>> batch = collate([("i feel great", 1), ("so sad today, really", 0)])  # doctest: +SKIP
    >>> {k: tuple(v.shape) for k, v in batch.items()}  # doctest: +SKIP
    {'input_ids': (2, 7), 'attention_mask': (2, 7), 'labels': (2,)}
    """

    tokenizer: Any
    max_length: int = 64

    def __call__(self, items: Sequence[tuple[str, int | None]]) -> dict[str, Tensor]:
        """Return ``{"input_ids", "attention_mask"}`` (batch, seq_len) and ``"labels"`` (batch,).

        ``"labels"`` is left out when every label is ``None``.
        """
        if len(items) == 0:
            raise ValueError("cannot collate an empty list of examples")
        texts = [text for text, _ in items]
        labels = [label for _, label in items]
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        batch = {
            "input_ids": encoded["input_ids"],  # (batch, seq_len)
            "attention_mask": encoded["attention_mask"],  # (batch, seq_len), 1 at tokens
        }
        if any(label is not None for label in labels):
            if any(label is None for label in labels):
                raise ValueError("a batch must be all labelled or all unlabelled")
            batch["labels"] = torch.tensor(labels, dtype=torch.long)  # (batch,)
        return batch


def hf_collate(tokenizer: Any, max_length: int = 64) -> HFCollator:
    """Return an :class:`HFCollator`, the ``collate_fn`` of a DataLoader of ``(text, label)``."""
    return HFCollator(tokenizer, max_length)


def _token_lengths(texts: Sequence[str], tokenizer: Any, max_length: int) -> list[int]:
    ids = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
    return [len(x) for x in ids]


def _sorted_batches(
    texts: Sequence[str], tokenizer: Any, batch_size: int, max_length: int
) -> Iterator[tuple[list[int], dict[str, Tensor]]]:
    """Yield ``(positions, batch)`` over ``texts`` sorted by length (little padding)."""
    lengths = _token_lengths(texts, tokenizer, max_length)
    order = sorted(range(len(texts)), key=lengths.__getitem__)
    collate = HFCollator(tokenizer, max_length)
    for start in range(0, len(order), batch_size):
        positions = order[start : start + batch_size]
        yield positions, collate([(texts[i], None) for i in positions])


def _device_of(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def _run_over_texts(
    fn: Any,
    texts: Sequence[str],
    model: nn.Module,
    tokenizer: Any,
    *,
    batch_size: int,
    max_length: int,
    amp: AmpSetting,
    progress: bool | None,
    desc: str,
) -> Tensor:
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, not one string; wrap it in a list")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if len(texts) == 0:
        raise ValueError("cannot run a model on an empty list of texts")
    device = _device_of(model)
    precision = choose_precision(amp, device)
    was_training = model.training
    model.eval()
    out: Tensor | None = None
    total = math.ceil(len(texts) / batch_size)
    batches = _sorted_batches(texts, tokenizer, batch_size, max_length)
    for positions, batch in tqdm(
        batches, total=total, desc=desc, disable=not show_progress(progress)
    ):
        ids = batch["input_ids"].to(device)
        mask = batch["attention_mask"].to(device)
        with precision.autocast():
            values = fn(ids, mask).float().cpu()  # (batch, dim)
        if out is None:
            out = torch.empty(len(texts), values.shape[1])
        out[torch.tensor(positions)] = values
    model.train(was_training)
    assert out is not None
    return out


def embed_texts(
    texts: Sequence[str],
    model: nn.Module,
    tokenizer: Any,
    *,
    batch_size: int = 64,
    max_length: int = 128,
    normalize: bool = True,
    amp: AmpSetting = "auto",
    progress: bool | None = None,
) -> Tensor:
    """Return one sentence embedding per text: the masked mean of the last hidden states.

    With the MiniLM defaults this is what ``sentence-transformers`` computes for
    all-MiniLM-L6-v2 (mean pooling, then L2 normalisation). Texts are batched
    in order of length, so that batches need little padding; the rows come
    back in the order of ``texts``.

    Parameters
    ----------
    texts : sequence of str
    model : torch.nn.Module
        An encoder from :func:`load_encoder`, or a :class:`PretrainedClassifier`
        (its encoder is used).
    tokenizer : transformers.PreTrainedTokenizerBase
    batch_size : int, default 64
    max_length : int, default 128
        Longer texts are cut to this many tokens.
    normalize : bool, default True
        Scale each embedding to length 1 (then a dot product is the cosine similarity).
    amp : {"auto", True, False}, default "auto"
        Mixed precision (see :mod:`nlptut.precision`): ``"auto"`` runs the
        encoder under bfloat16 autocast only where the hardware has bfloat16
        natively (the embeddings then differ from float32's in about the third
        decimal); ``True`` forces it, ``False`` keeps float32.
    progress : bool or None
        Show a tqdm bar; ``None`` shows one only on a terminal.

    Returns
    -------
    torch.Tensor
        ``(len(texts), hidden_size)`` float32 on the CPU.
    """
    classifier = model if isinstance(model, PretrainedClassifier) else None
    encoder = classifier.encoder if classifier is not None else model

    def pooled(ids: Tensor, mask: Tensor) -> Tensor:
        hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return mean_pool(hidden, mask)  # (batch, hidden)

    vectors = _run_over_texts(
        pooled,
        texts,
        encoder,
        tokenizer,
        batch_size=batch_size,
        max_length=max_length,
        amp=amp,
        progress=progress,
        desc="embed",
    )
    return F.normalize(vectors, dim=1) if normalize else vectors


def predict_texts(
    texts: Sequence[str],
    model: PretrainedClassifier,
    tokenizer: Any,
    *,
    batch_size: int = 64,
    max_length: int = 64,
    amp: AmpSetting = "auto",
    progress: bool | None = None,
) -> Tensor:
    """Return a classifier's logits for raw texts, in the order of ``texts``.

    Parameters
    ----------
    texts : sequence of str
    model : PretrainedClassifier
        Or any module called as ``model(input_ids, attention_mask)``.
    tokenizer : transformers.PreTrainedTokenizerBase
    batch_size, max_length, amp, progress
        As for :func:`embed_texts`; use the ``max_length`` the model was trained with.

    Returns
    -------
    torch.Tensor
        ``(len(texts), num_classes)`` float32 logits on the CPU.
    """
    return _run_over_texts(
        model,
        texts,
        model,
        tokenizer,
        batch_size=batch_size,
        max_length=max_length,
        amp=amp,
        progress=progress,
        desc="predict",
    )
