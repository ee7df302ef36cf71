"""What the models share: config checks, embeddings, pooling over real tokens, and a
bidirectional LSTM over padded rows."""

from __future__ import annotations

import dataclasses
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def check_config(config: Any) -> None:
    """Raise ``ValueError`` when a config's sizes or dropout are out of range."""
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        if field.name == "dropout":
            if not 0.0 <= value < 1.0:
                raise ValueError(f"dropout must be in [0, 1), got {value!r}")
        elif field.name == "pad_id":
            if not 0 <= value < config.vocab_size:
                raise ValueError(
                    f"pad_id must be a token id in [0, vocab_size={config.vocab_size}), "
                    f"got {value!r}"
                )
        elif field.name == "hidden_dim":  # NBoW: 0 means "no hidden layer"
            if value < 0:
                raise ValueError(f"hidden_dim must be >= 0, got {value!r}")
        elif isinstance(value, int) and value < 1:
            raise ValueError(f"{field.name} must be a positive integer, got {value!r}")


def _make_embedding(vocab_size: int, dim: int, pad_id: int, std: float) -> nn.Embedding:
    """Return an embedding table drawn from N(0, std^2) with a zero row at ``pad_id``."""
    embedding = nn.Embedding(vocab_size, dim, padding_idx=pad_id)
    nn.init.normal_(embedding.weight, mean=0.0, std=std)
    with torch.no_grad():
        embedding.weight[pad_id].zero_()
    return embedding


def reverse_within(lengths: Tensor, width: int) -> Tensor:
    """Positions that reverse each row within its own length: ``(batch, width)``.

    Row ``i`` maps position ``t < lengths[i]`` to ``lengths[i] - 1 - t`` and keeps
    padding positions in place; applying it twice gives the original order.
    """
    positions = torch.arange(width, device=lengths.device).expand(len(lengths), width)
    ends = lengths.unsqueeze(1)  # (batch, 1)
    return torch.where(positions < ends, ends - 1 - positions, positions)


def gather_positions(x: Tensor, order: Tensor) -> Tensor:
    """``x`` ``(batch, seq_len, dim)`` with each row's positions put in ``order``
    ``(batch, seq_len)``."""
    return x.gather(1, order.unsqueeze(-1).expand_as(x))


def bidirectional_lstm(lstm: nn.LSTM, x: Tensor, lengths: Tensor) -> Tensor:
    """Run a bidirectional ``lstm`` over padded ``x`` ``(batch, seq_len, input)`` so that
    neither direction reads padding: ``(batch, seq_len, 2 * hidden)``.

    The left-to-right pass reads each row from its start, so padding (at the
    end) comes after its real positions; the right-to-left pass reads each row
    reversed within its own length (:func:`reverse_within`), so padding comes
    after its real positions too. The outputs at real positions are those of
    a packed sequence, without packing, which lets PyTorch use its fused LSTM
    kernel (about twice as fast on a CPU). Outputs at padding positions are
    meaningless; mask them. The weights are ``lstm``'s own, so a model keeps
    its state dict.
    """
    if not (lstm.bidirectional and lstm.batch_first and lstm.bias and lstm.proj_size == 0):
        raise ValueError("bidirectional_lstm needs nn.LSTM(bidirectional=True, batch_first=True)")
    order = reverse_within(lengths, x.size(1))  # (batch, seq_len)
    zeros = x.new_zeros(1, x.size(0), lstm.hidden_size)
    for layer in range(lstm.num_layers):
        if layer:
            x = F.dropout(x, lstm.dropout, lstm.training)  # as nn.LSTM, between layers
        outputs = []
        for suffix, inputs in (("", x), ("_reverse", gather_positions(x, order))):
            params = [
                getattr(lstm, f"{name}_l{layer}{suffix}")
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            ]
            out, _, _ = torch.lstm(
                inputs, [zeros, zeros], params, True, 1, 0.0, lstm.training, False, True
            )
            outputs.append(out)  # (batch, seq_len, hidden)
        x = torch.cat([outputs[0], gather_positions(outputs[1], order)], dim=-1)
    return x  # (batch, seq_len, 2 * hidden)


def _masked_max(x: Tensor, mask: Tensor) -> Tensor:
    """Max over time of ``x`` (batch, seq_len, dim), ignoring positions where mask is False."""
    x = x.masked_fill(~mask.unsqueeze(-1), float("-inf"))  # (batch, seq_len, dim)
    return x.max(dim=1).values  # (batch, dim)


def _masked_mean(x: Tensor, mask: Tensor) -> Tensor:
    """Mean over time of ``x`` (batch, seq_len, dim) over the positions where mask is True."""
    weights = mask.unsqueeze(-1).to(x.dtype)  # (batch, seq_len, 1)
    return (x * weights).sum(dim=1) / weights.sum(dim=1)  # (batch, dim)
