"""Solutions to the exercises of "Writing tweets in a chosen emotion".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import math

import numpy as np

from nlptut.generation.ngram import NGramLM

# Five tiny "tweets" as token ids: 1 = <joy>, 2 = <sadness>, 3 = "i",
# 4 = "feel", 5 = "great", 6 = "awful", 7 = [EOS]
TWEETS = [[1, 3, 4, 5, 7], [1, 3, 4, 5, 7], [2, 3, 4, 6, 7], [2, 3, 4, 6, 7], [2, 3, 4, 5, 7]]
VOCAB = 8


def perplexity_by_hand():
    """Exercise 1: a model that gives each actual next token probability 1/4."""
    probabilities = [1 / 4] * 10  # ten next tokens, each given 1/4
    mean_loss = -sum(math.log(p) for p in probabilities) / len(probabilities)
    # mixing weights: all on the uniform guess, (almost) none on the counts
    uniform = NGramLM(VOCAB, order=1, weights=[1.0, 1e-12]).fit(TWEETS)
    return math.exp(mean_loss), uniform.perplexity(TWEETS)


# --- exercise 2 ---
def temperature_effect(scores=(2.0, 1.0, 0.0), temperatures=(0.5, 1.0, 2.0)):
    """Exercise 2: the probability of the likeliest token at each temperature."""
    shares = []
    for t in temperatures:
        scaled = np.array(scores) / t
        probs = np.exp(scaled - scaled.max())
        shares.append(float(probs.max() / probs.sum()))
    return shares


# --- exercise 3 ---
def guesses_after_i_feel():
    """Exercise 3: P(great) after "<joy> i feel" and "<sadness> i feel", both models."""
    table = {}
    for keep_first in (False, True):
        # all the weight on the longest context, to see the counts themselves
        model = NGramLM(VOCAB, order=3, weights=[1e-9, 1e-9, 1e-9, 1.0], keep_first=keep_first)
        model.fit(TWEETS)
        table[keep_first] = [
            round(model.probability([label, 3, 4], 5), 2) for label in (1, 2)
        ]  # label 1 = <joy>, 2 = <sadness>
    return table


# --- end ---

if __name__ == "__main__":
    print(perplexity_by_hand())
    print(temperature_effect())
    print(guesses_after_i_feel())
