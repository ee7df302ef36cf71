"""A small GPT: a decoder-only Transformer that writes text one token at a time.

A *language model* gives, for every position of a text, the probabilities of
the next token. Trained on tweets, it learns which token tends to follow which
context; sampling from it, token after token, writes new text.

:class:`GPT` is the decoder of a Transformer :cite:p:`vaswani2017attention`,
as in GPT :cite:p:`radford2018improving`:

1. token and position embeddings, added;
2. ``layers`` blocks of causal self-attention and a small feed-forward
   network, each with a residual connection and layer normalisation before it.
   *Causal* means that position ``t`` attends only to positions ``0..t``: a
   word cannot look at the words after it, which are the ones it must predict;
3. a last layer normalisation and a linear layer that scores every token of
   the vocabulary (its weights shared with the token embeddings).

:func:`lm_loss` is the cross-entropy of each next token (padding ignored);
its exponential is the *perplexity*, how many tokens the model is, on average,
as unsure between as if it picked uniformly among them. :func:`fit_lm` trains
with AdamW and keeps the epoch with the lowest validation loss;
:func:`generate` samples, with a *temperature* (below 1: bolder towards the
likeliest tokens; above 1: more random) and *top-k* (only the k likeliest
tokens can be drawn :cite:p:`fan2018hierarchical`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from nlptut.models import check_config
from nlptut.precision import AmpSetting, choose_precision
from nlptut.runtime import BestEpoch, seed_everything

__all__ = [
    "GPTConfig",
    "CausalSelfAttention",
    "Block",
    "GPT",
    "lm_loss",
    "LMEpoch",
    "LMHistory",
    "fit_lm",
    "perplexity",
    "generate",
]


@dataclass
class GPTConfig:
    """The shape of a :class:`GPT`.

    Attributes
    ----------
    vocab_size : int
        Tokens the model reads and writes (id 0 is padding).
    context : int
        The longest sequence it reads, in tokens.
    dim : int
        Numbers per token inside the model.
    heads : int
        Attention heads per layer (``dim`` must be a multiple).
    layers : int
        Transformer blocks.
    dropout : float
        Share of numbers set to zero during training.
    """

    vocab_size: int
    context: int = 64
    dim: int = 128
    heads: int = 4
    layers: int = 2
    dropout: float = 0.1

    def __post_init__(self) -> None:
        check_config(self)  # sizes positive, dropout in [0, 1)
        if self.dim % self.heads:
            raise ValueError(
                f"GPTConfig.dim ({self.dim}) must be a multiple of heads ({self.heads})"
            )


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention in which each position sees only itself and the past."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.heads = config.heads
        self.qkv = nn.Linear(config.dim, 3 * config.dim)
        self.proj = nn.Linear(config.dim, config.dim)
        self.dropout = config.dropout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, dim = x.shape  # (batch, tokens, dim)
        q, k, v = self.qkv(x).split(dim, dim=2)  # each (batch, tokens, dim)
        # (batch, heads, tokens, dim / heads)
        q, k, v = (t.view(batch, length, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0
        )  # (batch, heads, tokens, dim / heads)
        return self.proj(y.transpose(1, 2).reshape(batch, length, dim))  # (batch, tokens, dim)


class Block(nn.Module):
    """Layer norm -> causal self-attention -> add; layer norm -> feed-forward -> add."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(config.dim)
        self.attention = CausalSelfAttention(config)
        self.norm2 = nn.LayerNorm(config.dim)
        self.feed_forward = nn.Sequential(
            nn.Linear(config.dim, 4 * config.dim),
            nn.GELU(),
            nn.Linear(4 * config.dim, config.dim),
            nn.Dropout(config.dropout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.norm1(x))  # (batch, tokens, dim)
        return x + self.feed_forward(self.norm2(x))


class GPT(nn.Module):
    """A decoder-only Transformer language model (see the module docstring)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.tokens = nn.Embedding(config.vocab_size, config.dim)
        self.positions = nn.Embedding(config.context, config.dim)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.norm = nn.LayerNorm(config.dim)
        self.head = nn.Linear(config.dim, config.vocab_size, bias=False)
        self.head.weight = self.tokens.weight  # one table to read and to write tokens
        self.apply(self._init)

    @staticmethod
    def _init(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Scores of the next token at every position: ``(batch, tokens, vocab_size)``."""
        batch, length = ids.shape  # (batch, tokens)
        if length > self.config.context:
            raise ValueError(
                f"a sequence of {length} tokens is longer than the model's context of "
                f"{self.config.context}; cut it (LabelledTokens.encode does) or raise "
                "GPTConfig.context"
            )
        positions = torch.arange(length, device=ids.device)
        x = self.drop(self.tokens(ids) + self.positions(positions))  # (batch, tokens, dim)
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))  # (batch, tokens, vocab_size)


def lm_loss(model: GPT, ids: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """Mean cross-entropy of each next token of ``ids`` ``(batch, tokens)``, padding ignored."""
    logits = model(ids[:, :-1])  # predict token t+1 from tokens 0..t
    targets = ids[:, 1:]
    return F.cross_entropy(
        logits.reshape(-1, logits.size(-1)).float(), targets.reshape(-1), ignore_index=pad_id
    )


def _pad(sequences: Sequence[Sequence[int]], length: int | None = None) -> torch.Tensor:
    width = length or max(len(s) for s in sequences)
    out = torch.zeros(len(sequences), width, dtype=torch.long)
    for i, seq in enumerate(sequences):
        out[i, : len(seq)] = torch.tensor(seq[:width], dtype=torch.long)
    return out


@torch.no_grad()
def perplexity(model: GPT, sequences: Sequence[Sequence[int]], *, batch_size: int = 256) -> float:
    """``exp`` of the mean cross-entropy per predicted token over ``sequences`` (each
    starting with its first token, which is not predicted)."""
    if not any(len(s) >= 2 for s in sequences):
        raise ValueError("perplexity needs at least one sequence of two or more tokens")
    model.eval()
    device = next(model.parameters()).device
    total, count = 0.0, 0
    for start in range(0, len(sequences), batch_size):
        ids = _pad(sequences[start : start + batch_size]).to(device)
        if ids.size(1) < 2:  # only one-token sequences here: nothing to predict
            continue
        logits = model(ids[:, :-1]).float()
        targets = ids[:, 1:]
        losses = F.cross_entropy(
            logits.reshape(-1, logits.size(-1)),
            targets.reshape(-1),
            ignore_index=0,
            reduction="sum",
        )
        total += float(losses)
        count += int((targets != 0).sum())
    return math.exp(total / count)


@dataclass
class LMEpoch:
    """One epoch: mean training loss, validation perplexity, seconds."""

    epoch: int
    train_loss: float
    val_perplexity: float
    seconds: float


@dataclass
class LMHistory:
    """What :func:`fit_lm` did: one :class:`LMEpoch` per epoch, the epoch kept, the
    number format it trained in (``"bfloat16"``, ``"float16"`` or ``"float32"``)."""

    epochs: list[LMEpoch]
    best_epoch: int
    precision: str


def fit_lm(
    model: GPT,
    train: Sequence[Sequence[int]],
    validation: Sequence[Sequence[int]],
    *,
    epochs: int = 2,
    batch_size: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
    amp: AmpSetting = "auto",
    on_epoch: Callable[[LMEpoch], None] | None = None,
) -> LMHistory:
    """Train ``model`` on token sequences (each at most ``context`` long), keeping the
    epoch with the lowest validation perplexity.

    AdamW with the learning rate warmed up over the first 5% of the steps and
    decayed to zero along a cosine; gradients clipped to norm 1. ``amp`` as in
    :func:`nlptut.precision.choose_precision`.
    """
    if not train or not validation:
        raise ValueError("fit_lm needs training and validation sequences; one of them is empty")
    seed_everything(seed)
    device = next(model.parameters()).device
    precision = choose_precision(amp, device)
    scaler = torch.amp.GradScaler(device.type, enabled=precision.needs_scaler)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1, foreach=True)
    steps = epochs * math.ceil(len(train) / batch_size)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(s / steps, 1.0)))),
    )
    order = torch.Generator().manual_seed(seed)
    history: list[LMEpoch] = []
    best = BestEpoch(lower_is_better=True)
    for epoch in range(1, epochs + 1):
        began, total = time.perf_counter(), 0.0
        model.train()
        shuffled = torch.randperm(len(train), generator=order).tolist()
        # sort by length within chunks of 50 batches, so batches carry little padding
        chunk = 50 * batch_size
        batches = []
        for start in range(0, len(shuffled), chunk):
            part = sorted(shuffled[start : start + chunk], key=lambda i: len(train[i]))
            batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
        for b in torch.randperm(len(batches), generator=order).tolist():
            ids = _pad([train[i] for i in batches[b]]).to(device)
            with precision.autocast():
                loss = lm_loss(model, ids)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scaler.step(optimizer)
            scaler.update()
            schedule.step()
            total += loss.item()
        val = perplexity(model, validation)
        record = LMEpoch(epoch, total / len(batches), val, time.perf_counter() - began)
        history.append(record)
        if on_epoch is not None:
            on_epoch(record)
        best.offer(epoch, val, model)
    # no epoch with a finite perplexity: keep the last
    best_epoch = best.epoch if best.restore(model) else epochs
    model.eval()
    return LMHistory(history, best_epoch, precision.name)


@torch.no_grad()
def generate(
    model: GPT,
    prompts: torch.Tensor,
    *,
    max_new: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    stop_id: int | None = None,
    generator: torch.Generator | None = None,
) -> list[list[int]]:
    """Continue each prompt by sampling one token at a time.

    Parameters
    ----------
    model : GPT
    prompts : torch.Tensor
        ``(batch, tokens)`` token ids, all prompts of the same length.
    max_new : int
        The most tokens to add to each prompt.
    temperature : float
        Divides the scores before the softmax: below 1 sharpens the
        distribution, above 1 flattens it. 0 takes the likeliest token (greedy).
    top_k : int, optional
        Draw only among the ``top_k`` likeliest tokens.
    stop_id : int, optional
        A row stops after writing this token (which is kept).
    generator : torch.Generator, optional
        Seeds the draws, so that a sample can be repeated.

    Returns
    -------
    list of list of int
        Each prompt followed by its new tokens.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be 0 or more, got {temperature}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    model.eval()
    device = next(model.parameters()).device
    ids = prompts.to(device)
    done = torch.zeros(len(ids), dtype=torch.bool, device=device)
    for _ in range(max_new):
        window = ids[:, -model.config.context :]
        scores = model(window)[:, -1, :].float()  # (batch, vocab_size)
        scores[:, 0] = -math.inf  # never write padding
        if temperature == 0:
            next_id = scores.argmax(dim=-1)
        else:
            scores = scores / temperature
            if top_k is not None:
                kth = scores.topk(min(top_k, scores.size(-1)), dim=-1).values[:, -1:]
                scores = scores.masked_fill(scores < kth, -math.inf)
            probs = scores.softmax(dim=-1).cpu()
            next_id = torch.multinomial(probs, 1, generator=generator).squeeze(1).to(device)
        next_id = torch.where(done, torch.zeros_like(next_id), next_id)  # finished rows: pad
        ids = torch.cat([ids, next_id.unsqueeze(1)], dim=1)
        if stop_id is not None:
            done |= next_id == stop_id
            if bool(done.all()):
                break
    return [[t for t in row if t != 0] for row in ids.tolist()]
