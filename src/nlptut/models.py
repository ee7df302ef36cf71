"""Neural text classifiers: bag of words, CNN, LSTM and Transformer.

Every model here is an :class:`torch.nn.Module` with the same call, so that the
training loop, the evaluation code and the tutorials can swap one for another::

    logits = model(ids, mask)  # (batch, seq_len), (batch, seq_len) -> (batch, num_classes)

``ids`` holds token ids (a ``torch.long`` tensor) padded with ``pad_id`` (0)
on the right, as :mod:`nlptut.text` builds batches; ``mask`` is a bool tensor
that is ``True`` at real tokens. Every row must hold at least one real token.
The logits are raw scores: pass them to :func:`torch.nn.functional.cross_entropy`
for training, or to ``softmax`` for probabilities.

Each model keeps its settings in a small ``@dataclass`` config (``model.config``)
whose defaults suit tweet-sized texts (tens of tokens) and a training set of
about 16,000 examples, trained from scratch on a laptop CPU in a few minutes.

==================  ==================================================================
``"nbow"``          :class:`NBoWClassifier`: the average of the word embeddings
``"cnn"``           :class:`CNNClassifier`: n-gram detectors (1-d convolutions), max-pooled
``"lstm"``          :class:`LSTMClassifier`: a bidirectional LSTM, max-pooled
``"transformer"``   :class:`TransformerClassifier`: self-attention, mean-pooled
==================  ==================================================================

:func:`build_model` makes one by name; ``"keywords"`` (in :data:`MODEL_NAMES`)
is the rule baseline of :mod:`nlptut.keywords`, which is not a neural network.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from nlptut.errors import UnknownName

__all__ = [
    "NBoWConfig",
    "NBoWClassifier",
    "CNNConfig",
    "CNNClassifier",
    "LSTMConfig",
    "LSTMClassifier",
    "TransformerConfig",
    "PositionalEncoding",
    "TransformerClassifier",
    "MODELS",
    "NEURAL_MODELS",
    "MODEL_NAMES",
    "make_config",
    "build_model",
    "config_to_dict",
    "config_from_dict",
    "count_parameters",
]


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


def _check_config(config: Any) -> None:
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


# ---------------------------------------------------------------------------
# Neural bag of words
# ---------------------------------------------------------------------------


@dataclass
class NBoWConfig:
    """Settings of :class:`NBoWClassifier`.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (the vocabulary's size, PAD and UNK included).
    num_classes : int
        Number of labels.
    pad_id : int
        The id used for padding (its embedding is zero and never trained).
    dropout : float
        Dropout probability on the averaged embedding (and the hidden layer).
    embed_dim : int
        Size of a word embedding.
    hidden_dim : int
        Size of the optional hidden layer (ReLU) between the average and the
        output layer; ``0`` means no hidden layer (a linear model on the average).
        The hidden layer makes training converge in about half the epochs.
    """

    vocab_size: int
    num_classes: int
    pad_id: int = 0
    dropout: float = 0.3
    embed_dim: int = 128
    hidden_dim: int = 128

    def __post_init__(self) -> None:
        _check_config(self)


class NBoWClassifier(nn.Module):
    """Neural bag of words: average the word embeddings, then a small feed-forward net.

    Word order is ignored, like a bag of words, but each word is a learned
    vector instead of a one-hot column, so that similar words can share what
    they learn. :class:`torch.nn.EmbeddingBag` looks the embeddings up and
    averages them in one step, without building a ``(batch, seq_len, dim)``
    tensor.

    Parameters
    ----------
    config : NBoWConfig
        The model's settings.
    """

    kind = "nbow"  # its name in MODELS (mixed precision is chosen per kind)

    def __init__(self, config: NBoWConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.EmbeddingBag(
            config.vocab_size, config.embed_dim, mode="mean", padding_idx=config.pad_id
        )
        nn.init.normal_(self.embedding.weight, mean=0.0, std=0.1)
        with torch.no_grad():
            self.embedding.weight[config.pad_id].zero_()
        self.dropout = nn.Dropout(config.dropout)
        if config.hidden_dim > 0:
            self.hidden: nn.Module = nn.Sequential(
                nn.Linear(config.embed_dim, config.hidden_dim),
                nn.ReLU(),
                nn.Dropout(config.dropout),
            )
            out_dim = config.hidden_dim
        else:
            self.hidden = nn.Identity()
            out_dim = config.embed_dim
        self.classifier = nn.Linear(out_dim, config.num_classes)

    def forward(self, ids: Tensor, mask: Tensor) -> Tensor:
        """Map ``ids`` and ``mask`` ``(batch, seq_len)`` to logits ``(batch, num_classes)``."""
        # EmbeddingBag takes all the real tokens of the batch in one flat list,
        # plus the position where each text starts in that list (its offset).
        lengths = mask.sum(dim=1)  # (batch,)
        flat_ids = ids[mask]  # (total_real_tokens,)
        offsets = torch.cumsum(lengths, dim=0) - lengths  # (batch,)
        x = self.embedding(flat_ids, offsets)  # (batch, embed_dim): mean of each text's tokens
        x = self.hidden(self.dropout(x))  # (batch, hidden_dim or embed_dim)
        return self.classifier(x)  # (batch, num_classes)


# ---------------------------------------------------------------------------
# Convolutional network
# ---------------------------------------------------------------------------


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
        _check_config(self)


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


# ---------------------------------------------------------------------------
# Recurrent network
# ---------------------------------------------------------------------------


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
        _check_config(self)


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


# ---------------------------------------------------------------------------
# Transformer encoder
# ---------------------------------------------------------------------------


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
        _check_config(self)
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


# ---------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------

MODELS: dict[str, tuple[type[nn.Module], type]] = {
    "nbow": (NBoWClassifier, NBoWConfig),
    "cnn": (CNNClassifier, CNNConfig),
    "lstm": (LSTMClassifier, LSTMConfig),
    "transformer": (TransformerClassifier, TransformerConfig),
}
"""The neural models by name: ``name -> (model class, config class)``."""

NEURAL_MODELS: tuple[str, ...] = tuple(MODELS)
"""Names of the neural models, simplest first."""

MODEL_NAMES: tuple[str, ...] = ("keywords", *NEURAL_MODELS)
"""Names of all models, the keyword rules (:mod:`nlptut.keywords`) first."""


def _lookup(name: str) -> tuple[type[nn.Module], type]:
    if name in MODELS:
        return MODELS[name]
    if name == "keywords":
        raise UnknownName(
            "'keywords' is the rule baseline, not a neural network: build it with "
            "nlptut.keywords.for_labels(labels, language); neural models: "
            + ", ".join(NEURAL_MODELS)
        )
    raise UnknownName(f"unknown model {name!r}; choose one of: {', '.join(NEURAL_MODELS)}")


def _check_keys(name: str, config_cls: type, keys: Any, fixed: tuple[str, ...] = ()) -> None:
    allowed = [f.name for f in dataclasses.fields(config_cls) if f.name not in fixed]
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise UnknownName(
            f"model {name!r} has no setting {', '.join(map(repr, unknown))}; "
            f"its settings are: {', '.join(allowed)}"
        )


def make_config(name: str, vocab_size: int, num_classes: int, **overrides: Any) -> Any:
    """Return the default config of model ``name``, with ``overrides`` applied.

    Parameters
    ----------
    name : str
        One of :data:`NEURAL_MODELS`.
    vocab_size : int
        Number of token ids.
    num_classes : int
        Number of labels.
    **overrides
        Other settings of that model's config, e.g. ``embed_dim=64``.

    Returns
    -------
    NBoWConfig, CNNConfig, LSTMConfig or TransformerConfig

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or an override is not one of its settings.
    ValueError
        If a setting is out of range (say a negative size).
    """
    _, config_cls = _lookup(name)
    _check_keys(name, config_cls, overrides, fixed=("vocab_size", "num_classes"))
    return config_cls(vocab_size=vocab_size, num_classes=num_classes, **overrides)


def build_model(name: str, vocab_size: int, num_classes: int, **overrides: Any) -> nn.Module:
    """Build the neural model ``name`` with default settings, or ``overrides``.

    Parameters
    ----------
    name : str
        One of :data:`NEURAL_MODELS`: ``"nbow"``, ``"cnn"``, ``"lstm"``, ``"transformer"``.
    vocab_size : int
        Number of token ids (``len(vocabulary)``).
    num_classes : int
        Number of labels.
    **overrides
        Settings to change, see the model's config class.

    Returns
    -------
    torch.nn.Module
        A freshly initialised model; its settings are in ``model.config``.

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or an override is not one of its settings.

    Examples
    --------
    >>> model = build_model("cnn", vocab_size=1000, num_classes=6, num_filters=50)
    >>> model.config.kernel_sizes
    (2, 3, 4, 5)
    """
    model_cls, _ = _lookup(name)
    return model_cls(make_config(name, vocab_size, num_classes, **overrides))


def config_to_dict(config: Any) -> dict[str, Any]:
    """Return a config's settings as a plain dict (JSON-ready: tuples become lists)."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in dataclasses.asdict(config).items()
    }


def config_from_dict(name: str, d: Mapping[str, Any]) -> Any:
    """Rebuild the config of model ``name`` from :func:`config_to_dict`'s dict.

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or ``d`` holds a key that is not one
        of its settings.
    ValueError
        If ``d`` lacks ``vocab_size`` or ``num_classes``.
    """
    _, config_cls = _lookup(name)
    _check_keys(name, config_cls, d)
    missing = [key for key in ("vocab_size", "num_classes") if key not in d]
    if missing:
        raise ValueError(f"the {name!r} config lacks {', '.join(missing)}")
    return config_cls(**d)


def count_parameters(model: nn.Module, *, trainable_only: bool = True) -> int:
    """Return the number of (trainable, by default) parameters of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
