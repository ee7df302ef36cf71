"""The Transformer encoder: self-attention over the tokens, mean-pooled."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from nlptut.models.shared import _make_embedding, _masked_mean, check_config


@dataclass
class TransformerConfig:
    """Settings of :class:`TransformerClassifier`.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (the vocabulary's size, PAD and UNK included).
    num_classes : int
        Number of labels.
    pad_id : int
        The id used for padding (its embedding is zero and never trained).
    dropout : float
        Dropout probability on the embeddings, inside every encoder layer
        (attention weights, residual branches, feed-forward) and on the pooled
        features.
    d_model : int
        Size of every token's vector throughout the encoder.
    n_heads : int
        Number of attention heads per layer (must divide ``d_model``).
    n_layers : int
        Number of encoder layers.
    ff_dim : int
        Size of the hidden layer of each feed-forward block.
    max_len : int
        Longest text, in tokens, that the positional encoding covers.
    """

    vocab_size: int
    num_classes: int
    pad_id: int = 0
    dropout: float = 0.1
    d_model: int = 128
    n_heads: int = 4
    n_layers: int = 2
    ff_dim: int = 256
    max_len: int = 512

    def __post_init__(self) -> None:
        check_config(self)
        if self.d_model % self.n_heads:
            raise ValueError(
                f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads})"
            )


class PositionalEncoding(nn.Module):
    """Add the fixed sinusoidal position signals of Vaswani et al. (2017).

    Self-attention treats its input as a set; adding a different pattern of
    sines and cosines at each position lets the model tell word order apart.
    Position ``pos`` gets ``sin(pos / 10000^(2i/dim))`` in feature ``2i`` and
    ``cos(...)`` in feature ``2i + 1``. The table is computed once and stored
    as a buffer (not a parameter: it is not trained, nor saved in checkpoints).

    Parameters
    ----------
    dim : int
        Size of the vectors the encoding is added to.
    max_len : int
        Number of positions in the table.
    """

    def __init__(self, dim: int, max_len: int) -> None:
        super().__init__()
        position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)  # (max_len, 1)
        freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
        angles = position * freq  # (max_len, ceil(dim / 2))
        pe = torch.zeros(max_len, dim)  # (max_len, dim)
        pe[:, 0::2] = torch.sin(angles)
        pe[:, 1::2] = torch.cos(angles[:, : dim // 2])
        self.register_buffer("pe", pe, persistent=False)
        self.pe: Tensor

    def forward(self, x: Tensor) -> Tensor:
        """Return ``x`` ``(batch, seq_len, dim)`` plus the encodings of positions 0 to seq_len-1."""
        seq_len = x.size(1)
        if seq_len > self.pe.size(0):
            raise ValueError(
                f"a batch of {seq_len} tokens is longer than max_len={self.pe.size(0)}: "
                "truncate the texts or build the model with a larger max_len"
            )
        return x + self.pe[:seq_len]  # (batch, seq_len, dim)


class TransformerClassifier(nn.Module):
    """Transformer encoder classifier.

    Token embeddings (scaled by ``sqrt(d_model)``) plus :class:`PositionalEncoding`
    go through a stack of :class:`torch.nn.TransformerEncoderLayer` (pre-norm:
    ``x + attention(norm(x))``, then ``x + feed_forward(norm(x))``), in which every
    token attends to every real token of its text. The outputs are averaged
    over the real tokens and a linear layer scores the labels.

    :meth:`attention_maps` returns the attention weights of every layer and
    head, for plotting which words look at which.

    Parameters
    ----------
    config : TransformerConfig
        The model's settings.
    """

    kind = "transformer"  # its name in MODELS (mixed precision is chosen per kind)

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        # Embeddings start at std 1/sqrt(d_model), so that after the sqrt(d_model)
        # scaling they have unit size, like the positional encoding.
        self.embedding = _make_embedding(
            config.vocab_size, config.d_model, config.pad_id, config.d_model**-0.5
        )
        self.positions = PositionalEncoding(config.d_model, config.max_len)
        self.dropout = nn.Dropout(config.dropout)
        layer = nn.TransformerEncoderLayer(
            config.d_model,
            config.n_heads,
            dim_feedforward=config.ff_dim,
            dropout=config.dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        # Pre-norm layers leave their output un-normalised: a final LayerNorm does it.
        self.encoder = nn.TransformerEncoder(
            layer, config.n_layers, norm=nn.LayerNorm(config.d_model), enable_nested_tensor=False
        )
        self.classifier = nn.Linear(config.d_model, config.num_classes)

    def _embed(self, ids: Tensor) -> Tensor:
        x = self.embedding(ids) * math.sqrt(self.config.d_model)  # (batch, seq_len, d_model)
        return self.dropout(self.positions(x))  # (batch, seq_len, d_model)

    def _classify(self, x: Tensor, mask: Tensor) -> Tensor:
        x = _masked_mean(x, mask)  # (batch, d_model)
        return self.classifier(self.dropout(x))  # (batch, num_classes)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Map ``ids`` and ``mask`` ``(batch, seq_len)`` to logits ``(batch, num_classes)``."""
        x = self._embed(ids)  # (batch, seq_len, d_model)
        x = self.encoder(x, src_key_padding_mask=~mask)  # (batch, seq_len, d_model)
        return self._classify(x, mask)  # (batch, num_classes)

    def forward_with_attention(self, ids: Tensor, mask: Tensor) -> tuple[Tensor, list[Tensor]]:
        """Return the logits and every layer's attention weights.

        This repeats the steps of each pre-norm encoder layer by hand, so that
        its self-attention can be asked for its weights; in eval mode the
        logits equal :meth:`forward`'s.

        Parameters
        ----------
        ids : Tensor
            Token ids, ``(batch, seq_len)``, padded with ``pad_id``.
        mask : Tensor
            ``(batch, seq_len)`` bool, ``True`` at real tokens.

        Returns
        -------
        logits : Tensor
            ``(batch, num_classes)``.
        maps : list of Tensor
            One ``(batch, n_heads, seq_len, seq_len)`` tensor per layer: row
            ``i`` holds how much token ``i`` attends to each token (each row
            sums to 1; padded tokens get weight 0).
        """
        padding = ~mask  # (batch, seq_len): True at padding, as nn.MultiheadAttention wants
        x = self._embed(ids)  # (batch, seq_len, d_model)
        maps = []
        for layer in self.encoder.layers:
            h = layer.norm1(x)
            h, weights = layer.self_attn(
                h,
                h,
                h,
                key_padding_mask=padding,
                need_weights=True,
                average_attn_weights=False,
            )  # h: (batch, seq_len, d_model); weights: (batch, n_heads, seq_len, seq_len)
            x = x + layer.dropout1(h)
            h = layer.linear2(layer.dropout(layer.activation(layer.linear1(layer.norm2(x)))))
            x = x + layer.dropout2(h)  # (batch, seq_len, d_model)
            maps.append(weights)
        x = self.encoder.norm(x)
        return self._classify(x, mask), maps

    def attention_maps(self, ids: Tensor, mask: Tensor) -> list[Tensor]:
        """Return every layer's attention weights, ``(batch, n_heads, seq_len, seq_len)`` each.

        See :meth:`forward_with_attention`. Call ``model.eval()`` first, so that
        dropout does not perturb the weights.
        """
        return self.forward_with_attention(ids, mask)[1]
