"""A linear-chain conditional random field (CRF): tags chosen together, not one by one.

A tagger's network gives each word a score for each tag (the *emissions*).
Picking each word's best tag on its own can give sequences that make no
sense, such as ``O I-PPL`` (the inside of a name that never began). A CRF adds
one learned number per pair of neighbouring tags (the *transitions*: how good
it is for tag ``j`` to follow tag ``i``) plus a score for the first and the
last tag. The score of a whole tag sequence is the sum of its emissions and
its transitions, and the CRF

* trains by making the true sequence's score high compared with *all*
  possible sequences (:meth:`CRF.forward` returns the negative
  log-likelihood; the sum over all sequences is computed word by word by the
  forward algorithm, without listing them);
* predicts the sequence with the highest score (:meth:`CRF.decode`, the
  Viterbi algorithm: for each word and tag, keep only the best way to reach
  it, then walk back from the best last tag).
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["CRF"]


class CRF(nn.Module):
    """Transition scores between ``num_tags`` tags, with training loss and Viterbi decoding.

    Parameters
    ----------
    num_tags : int
        How many tags there are.

    Attributes
    ----------
    transitions : nn.Parameter
        ``(num_tags, num_tags)``: ``transitions[i, j]`` is the score of tag ``j``
        right after tag ``i``.
    start, end : nn.Parameter
        ``(num_tags,)``: the score of a sentence beginning (ending) with each tag.
    """

    def __init__(self, num_tags: int) -> None:
        super().__init__()
        if num_tags < 1:
            raise ValueError(f"num_tags must be at least 1, got {num_tags}")
        self.num_tags = num_tags
        self.transitions = nn.Parameter(torch.zeros(num_tags, num_tags))
        self.start = nn.Parameter(torch.zeros(num_tags))
        self.end = nn.Parameter(torch.zeros(num_tags))

    def _check(self, emissions: torch.Tensor, mask: torch.Tensor) -> None:
        if emissions.dim() != 3 or emissions.size(-1) != self.num_tags:
            raise ValueError(
                f"emissions must be (batch, words, {self.num_tags}), got {tuple(emissions.shape)}"
            )
        if mask.shape != emissions.shape[:2]:
            raise ValueError(f"mask must be {tuple(emissions.shape[:2])}, got {tuple(mask.shape)}")
        if not bool(mask[:, 0].all()):
            raise ValueError("every sentence needs at least one word (mask[:, 0] all True)")

    def score(
        self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """The score of the given tag sequences: ``(batch,)``."""
        # emissions (batch, words, tags); tags, mask (batch, words)
        self._check(emissions, mask)
        mask_f = mask.to(emissions.dtype)
        own = emissions.gather(-1, tags.unsqueeze(-1)).squeeze(-1)  # (batch, words)
        total = self.start[tags[:, 0]] + (own * mask_f).sum(1)
        steps = self.transitions[tags[:, :-1], tags[:, 1:]]  # (batch, words - 1)
        total = total + (steps * mask_f[:, 1:]).sum(1)
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)  # (batch,)
        return total + self.end[last]

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The log of the summed exp-scores of every possible tag sequence: ``(batch,)``
        (the forward algorithm)."""
        self._check(emissions, mask)
        alpha = self.start + emissions[:, 0]  # (batch, tags): all ways to reach each tag
        for i in range(1, emissions.size(1)):
            # (batch, from, 1) + (from, to) + (batch, 1, to) -> sum over "from"
            step = torch.logsumexp(
                alpha.unsqueeze(2) + self.transitions + emissions[:, i].unsqueeze(1), dim=1
            )
            alpha = torch.where(mask[:, i].unsqueeze(1), step, alpha)  # padding keeps alpha
        return torch.logsumexp(alpha + self.end, dim=1)

    def forward(
        self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """The mean negative log-likelihood of the true ``tags`` (the training loss)."""
        return (self.log_partition(emissions, mask) - self.score(emissions, tags, mask)).mean()

    @torch.no_grad()
    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        """The best tag sequence of each sentence (Viterbi), as lists of tag ids
        as long as each sentence."""
        self._check(emissions, mask)
        best = self.start + emissions[:, 0]  # (batch, tags): best score to reach each tag
        back = []  # for each word after the first: the best previous tag of each tag
        for i in range(1, emissions.size(1)):
            candidates = best.unsqueeze(2) + self.transitions  # (batch, from, to)
            step, came_from = candidates.max(dim=1)  # (batch, to)
            step = step + emissions[:, i]
            keep = mask[:, i].unsqueeze(1)
            best = torch.where(keep, step, best)
            # on padding, "came from" is the tag itself, so walking back passes through
            same = torch.arange(self.num_tags, device=emissions.device).expand_as(came_from)
            back.append(torch.where(keep, came_from, same))
        last = (best + self.end).argmax(dim=1)  # (batch,)
        path = [last]
        for came_from in reversed(back):
            last = came_from.gather(1, last.unsqueeze(1)).squeeze(1)
            path.append(last)
        ids = torch.stack(path[::-1], dim=1).tolist()  # (batch, words)
        lengths = mask.sum(1).tolist()
        return [row[:n] for row, n in zip(ids, lengths, strict=True)]
