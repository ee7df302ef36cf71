"""The pretrained encoder with a classification head: masked mean, dropout, Linear."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from torch import Tensor, nn

from nlptut.hf.loading import load_encoder

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


# The classifier
# --------------


def mean_pool(hidden: Tensor, mask: Tensor) -> Tensor:
    """Average the hidden states of the real tokens, ignoring padding.

    Parameters
    ----------
    hidden : torch.Tensor
        ``(batch, seq_len, dim)`` token vectors.
    mask : torch.Tensor
        ``(batch, seq_len)``, 1 (or ``True``) at real tokens, 0 at padding.

    Returns
    -------
    torch.Tensor
        ``(batch, dim)`` float32.
    """
    weights = mask.unsqueeze(-1).float()  # (batch, seq_len, 1)
    total = (hidden.float() * weights).sum(dim=1)  # (batch, dim)
    return total / weights.sum(dim=1).clamp(min=1.0)  # (batch, dim)


class PretrainedClassifier(nn.Module):
    """A pretrained encoder with a classification head: mean pooling, dropout, Linear.

    Called as ``model(input_ids, attention_mask)`` like every nlptut model, so a
    batch from :class:`HFCollator` (or an nlptut :class:`~nlptut.text.Batch`
    whose ids come from the pretrained tokenizer) goes straight in.

    Parameters
    ----------
    encoder : transformers.PreTrainedModel
        From :func:`load_encoder`; its ``config.hidden_size`` sets the head's width.
    num_classes : int
        Number of labels.
    dropout : float, default 0.1
        Dropout on the pooled vector during training.
    """

    def __init__(self, encoder: nn.Module, num_classes: int, *, dropout: float = 0.1) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, num_classes)
        self.num_classes = num_classes

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike[str] | None = None,
        *,
        num_classes: int,
        dropout: float = 0.1,
    ) -> PretrainedClassifier:
        """Load an encoder (:func:`load_encoder`) and put a new, untrained head on it.

        The model comes back in evaluation mode, as Hugging Face's
        ``from_pretrained`` returns models; :func:`finetune` switches it to
        training mode and back.
        """
        return cls(load_encoder(name_or_path), num_classes, dropout=dropout).eval()

    def pool(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Return the masked mean of the encoder's last hidden states, ``(batch, hidden)``."""
        mask = attention_mask.long()  # nlptut batches carry a bool mask
        hidden = self.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
        return mean_pool(hidden, mask)  # (batch, hidden)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Return the logits ``(batch, num_classes)``."""
        pooled = self.pool(input_ids, attention_mask)  # (batch, hidden)
        return self.head(self.dropout(pooled))  # (batch, num_classes)

    def freeze_encoder(self, freeze: bool = True) -> PretrainedClassifier:
        """Stop (or, with ``freeze=False``, restart) training the encoder's weights.

        A frozen encoder gets no gradients (its ``.grad`` stays ``None``), so
        only the head learns: a linear classifier on fixed features.

        Returns
        -------
        PretrainedClassifier
            ``self``, for chaining.
        """
        for parameter in self.encoder.parameters():
            parameter.requires_grad_(not freeze)
        return self
