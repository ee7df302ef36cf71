"""The CRF against brute force: every tag sequence listed and scored."""

from __future__ import annotations

import itertools

import pytest
import torch

from nlptut.tagging.crf import CRF


def _crf(num_tags: int, seed: int = 0) -> CRF:
    torch.manual_seed(seed)
    crf = CRF(num_tags)
    with torch.no_grad():
        for p in crf.parameters():
            p.normal_()
    return crf


def _brute(crf: CRF, emissions: torch.Tensor, n: int):
    """All sequences of the first n words: their scores, by the definition."""
    scores = {}
    for seq in itertools.product(range(crf.num_tags), repeat=n):
        s = crf.start[seq[0]] + crf.end[seq[-1]]
        s = s + sum(emissions[i, t] for i, t in enumerate(seq))
        s = s + sum(crf.transitions[a, b] for a, b in itertools.pairwise(seq))
        scores[seq] = float(s.detach())
    return scores


def test_likelihood_and_viterbi_match_brute_force_with_padding():
    crf = _crf(3)
    emissions = torch.randn(2, 4, 3)  # (batch, words, tags)
    mask = torch.tensor([[True, True, True, True], [True, True, False, False]])
    tags = torch.tensor([[0, 2, 1, 1], [2, 0, 0, 0]])
    paths = crf.decode(emissions, mask)
    for b, n in enumerate((4, 2)):
        scores = _brute(crf, emissions[b], n)
        log_z = torch.logsumexp(torch.tensor(list(scores.values())), 0)
        true = tuple(tags[b, :n].tolist())
        assert crf.score(emissions, tags, mask)[b].item() == pytest.approx(scores[true], abs=1e-4)
        assert crf.log_partition(emissions, mask)[b].item() == pytest.approx(float(log_z), abs=1e-4)
        assert tuple(paths[b]) == max(scores, key=scores.get)
        assert len(paths[b]) == n


def test_the_loss_is_the_mean_negative_log_likelihood_and_trains():
    crf = _crf(2, seed=1)
    emissions = torch.zeros(1, 3, 2)
    tags = torch.tensor([[0, 1, 0]])
    mask = torch.ones(1, 3, dtype=torch.bool)
    optimizer = torch.optim.SGD(crf.parameters(), lr=0.5)
    for _ in range(100):
        optimizer.zero_grad()
        loss = crf(emissions, tags, mask)
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.1
    assert crf.decode(emissions, mask) == [[0, 1, 0]]


def test_bad_shapes_are_refused():
    crf = CRF(3)
    with pytest.raises(ValueError, match="emissions must be"):
        crf.decode(torch.zeros(1, 2, 4), torch.ones(1, 2, dtype=torch.bool))
    with pytest.raises(ValueError, match="at least one word"):
        crf.decode(torch.zeros(1, 2, 3), torch.zeros(1, 2, dtype=torch.bool))
