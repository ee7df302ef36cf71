"""Solutions to the exercises of "Named entities".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import itertools

import torch

from nlptut.conll import chunks, repair_bio
from nlptut.tagging.crf import CRF
from nlptut.tagging.metrics import tag_scores

#        joko    widodo   tiba  di    bandung
TRUE = ["B-PPL", "I-PPL", "O", "O", "B-PLC"]


def half_a_name():
    """Exercise 1: the tagger finds "joko" as a person but not "widodo"."""
    predicted = ["B-PPL", "O", "O", "O", "B-PLC"]
    words_right = sum(t == p for t, p in zip(TRUE, predicted, strict=True)) / len(TRUE)
    scores = tag_scores([TRUE], [predicted])
    return words_right, scores.per_type["PPL"].f1, scores.per_type["PLC"].f1, scores.f1


# --- exercise 2 ---
def read_as_conll():
    """Exercise 2: which chunks does a sequence that starts with I- hold?"""
    tags = ["I-PLC", "I-PLC", "O", "I-PPL", "B-PPL"]
    return repair_bio(tags), chunks(tags)


# --- exercise 3 ---
def viterbi_by_brute_force(seed: int = 0):
    """Exercise 3: score every tag sequence of 4 words and 3 tags; does Viterbi agree?"""
    torch.manual_seed(seed)
    crf = CRF(num_tags=3)
    with torch.no_grad():  # random transition scores instead of trained ones
        for p in crf.parameters():
            p.normal_()
    emissions = torch.randn(1, 4, 3)  # (sentence, words, tags): each word's own scores
    mask = torch.ones(1, 4, dtype=torch.bool)
    every = [list(seq) for seq in itertools.product(range(3), repeat=4)]  # 3**4 = 81
    scores = [crf.score(emissions, torch.tensor([seq]), mask).item() for seq in every]
    best = every[max(range(len(every)), key=scores.__getitem__)]
    return len(every), best, crf.decode(emissions, mask)[0]


# --- end ---

if __name__ == "__main__":
    print(half_a_name())
    print(read_as_conll())
    print(viterbi_by_brute_force())
