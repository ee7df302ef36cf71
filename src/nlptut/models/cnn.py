"""The convolutional network: n-gram detectors (1-d convolutions), max-pooled."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from nlptut.models.shared import _make_embedding, check_config


@dataclass
class CNNConfig:
    """Settings of :class:`CNNClassifier`.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (the vocabulary's size, PAD and UNK included).
    num_classes : int
        Number of labels.
    pad_id : int
        The id used for padding (its embedding is zero and never trained).
    dropout : float
        Dropout probability on the embeddings and on the pooled features.
    embed_dim : int
        Size of a word embedding.
    num_filters : int
        Number of filters (n-gram detectors) for each kernel size.
    kernel_sizes : tuple of int
        Widths, in tokens, of the convolution windows: ``(2, 3, 4, 5)`` looks
        at word pairs up to five-word phrases.
    """

    vocab_size: int
    num_classes: int
    pad_id: int = 0
    dropout: float = 0.5
    embed_dim: int = 128
    num_filters: int = 100
    kernel_sizes: tuple[int, ...] = (2, 3, 4, 5)

    def __post_init__(self) -> None:
        self.kernel_sizes = tuple(int(k) for k in self.kernel_sizes)  # JSON gives a list
        if not self.kernel_sizes or min(self.kernel_sizes) < 1:
            raise ValueError(f"kernel_sizes must be positive integers, got {self.kernel_sizes!r}")
        check_config(self)


class CNNClassifier(nn.Module):
    """Convolutional classifier: n-gram detectors, max-pooled over the text.

    Each filter of a :class:`torch.nn.Conv1d` with kernel size ``k`` slides
    over the text and scores every window of ``k`` consecutive words: it
    learns to fire on a phrase such as ``"not happy"``. Max pooling keeps
    each filter's best score anywhere in the text, so the features do not
    depend on where the phrase occurs (Kim, 2014).

    Padding is handled so that it never changes the result: padded positions
    are zeroed, and only the windows that start on a real token take part in
    the max. Texts shorter than the widest kernel are padded with zeros on the
    right, so every text has at least one window of every width.

    Parameters
    ----------
    config : CNNConfig
        The model's settings.
    """

    kind = "cnn"  # its name in MODELS (mixed precision is chosen per kind)

    def __init__(self, config: CNNConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = _make_embedding(config.vocab_size, config.embed_dim, config.pad_id, 0.1)
        self.convs = nn.ModuleList(
            nn.Conv1d(config.embed_dim, config.num_filters, kernel_size=k)
            for k in config.kernel_sizes
        )
        self.dropout = nn.Dropout(config.dropout)
        self.classifier = nn.Linear(
            config.num_filters * len(config.kernel_sizes), config.num_classes
        )

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Map ``ids`` and ``mask`` ``(batch, seq_len)`` to logits ``(batch, num_classes)``."""
        x = self.embedding(ids) * mask.unsqueeze(-1)  # (batch, seq_len, embed_dim), pads = 0
        # Conv1d wants the features as channels: (batch, embed_dim, seq_len).
        x = self.dropout(x).transpose(1, 2)  # (batch, embed_dim, seq_len)
        extra = max(self.config.kernel_sizes) - 1
        x = F.pad(x, (0, extra))  # (batch, embed_dim, seq_len + extra): room for the widest window
        starts = F.pad(mask, (0, extra))  # (batch, seq_len + extra): True where a window may start
        pooled = []
        for conv in self.convs:
            # One score per filter and window; n_windows = seq_len + extra - kernel_size + 1.
            h = F.relu(conv(x))  # (batch, num_filters, n_windows)
            valid = starts[:, : h.size(-1)].unsqueeze(1)  # (batch, 1, n_windows)
            h = h.masked_fill(~valid, float("-inf"))
            pooled.append(h.max(dim=-1).values)  # (batch, num_filters)
        x = self.dropout(torch.cat(pooled, dim=-1))  # (batch, num_filters * len(kernel_sizes))
        return self.classifier(x)  # (batch, num_classes)
