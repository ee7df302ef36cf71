"""The recurrent network: a bidirectional LSTM, max-pooled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import Tensor, nn

from nlptut.models.shared import _make_embedding, _masked_max, bidirectional_lstm, check_config


@dataclass
class LSTMConfig:
    """Settings of :class:`LSTMClassifier`.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (the vocabulary's size, PAD and UNK included).
    num_classes : int
        Number of labels.
    pad_id : int
        The id used for padding (its embedding is zero and never trained).
    dropout : float
        Dropout probability on the embeddings, between LSTM layers, and on the
        pooled features.
    embed_dim : int
        Size of a word embedding.
    hidden_dim : int
        Size of the LSTM state in each direction (the pooled features have
        ``2 * hidden_dim`` values, or ``4 * hidden_dim`` with ``pooling="both"``).
    num_layers : int
        Number of stacked LSTM layers.
    pooling : {"max", "last", "both"}
        How the LSTM's outputs become one vector per text: ``"max"`` takes the
        largest value of each feature over the real tokens; ``"last"`` joins
        the final forward state (after the last word) and the final backward
        state (after the first word); ``"both"`` concatenates the two.
    """

    vocab_size: int
    num_classes: int
    pad_id: int = 0
    dropout: float = 0.3
    embed_dim: int = 128
    hidden_dim: int = 128
    num_layers: int = 1
    pooling: Literal["max", "last", "both"] = "max"

    def __post_init__(self) -> None:
        if self.pooling not in ("max", "last", "both"):
            raise ValueError(f"pooling must be 'max', 'last' or 'both', got {self.pooling!r}")
        check_config(self)


class LSTMClassifier(nn.Module):
    """Bidirectional LSTM classifier.

    One LSTM reads the text left to right and another right to left, so the
    output at each word summarises the words before and after it. The outputs
    are pooled into one vector (by default the maximum of each feature over the
    real tokens, which trained better than the final states on the tutorial's
    emotion data) and a linear layer scores the labels.

    Neither direction reads padding (:func:`bidirectional_lstm`: the
    right-to-left pass reads each text reversed within its own length), so
    each text's final states are the ones after its own last and first word,
    as with a packed sequence, but on PyTorch's faster fused kernel.

    Parameters
    ----------
    config : LSTMConfig
        The model's settings.
    """

    kind = "lstm"  # its name in MODELS (mixed precision is chosen per kind)

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = _make_embedding(config.vocab_size, config.embed_dim, config.pad_id, 0.1)
        self.lstm = nn.LSTM(
            config.embed_dim,
            config.hidden_dim,
            num_layers=config.num_layers,
            batch_first=True,
            bidirectional=True,
            dropout=config.dropout if config.num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(config.dropout)
        pooled_dim = 2 * config.hidden_dim * (2 if config.pooling == "both" else 1)
        self.classifier = nn.Linear(pooled_dim, config.num_classes)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Map ``ids`` and ``mask`` ``(batch, seq_len)`` to logits ``(batch, num_classes)``."""
        lengths = mask.sum(dim=1).clamp(min=1)  # (batch,)
        x = self.dropout(self.embedding(ids))  # (batch, seq_len, embed_dim)
        out = bidirectional_lstm(self.lstm, x, lengths)  # (batch, seq_len, 2 * hidden_dim)
        features = []
        if self.config.pooling in ("last", "both"):
            hidden = self.config.hidden_dim
            last = (lengths - 1).view(-1, 1, 1).expand(-1, 1, hidden)  # (batch, 1, hidden_dim)
            ahead = out[:, :, :hidden].gather(1, last).squeeze(1)  # after the last word
            behind = out[:, 0, hidden:]  # the right-to-left pass, after the first word
            features.append(torch.cat([ahead, behind], dim=-1))  # (batch, 2 * hidden_dim)
        if self.config.pooling in ("max", "both"):
            features.append(_masked_max(out, mask))  # (batch, 2 * hidden_dim)
        x = self.dropout(torch.cat(features, dim=-1))  # (batch, pooled_dim)
        return self.classifier(x)  # (batch, num_classes)
