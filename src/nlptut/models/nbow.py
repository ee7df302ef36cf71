"""The neural bag of words: the average of the word embeddings, then a classifier."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from nlptut.models.shared import check_config


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
        check_config(self)


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
