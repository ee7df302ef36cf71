"""Solutions to the exercises of "Parts of speech".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from collections import Counter

from nlptut.conll import load_tagged
from nlptut.tagging.metrics import tag_scores


def one_rare_tag_wrong():
    """Exercise 1: 99 nouns tagged right, one interjection tagged as a noun."""
    true = [["B-NNO"] * 99 + ["B-INT"]]
    predicted = [["B-NNO"] * 100]
    scores = tag_scores(true, predicted)
    return scores.accuracy, scores.per_type["NNO"].f1, scores.per_type["INT"].f1, scores.f1


# --- exercise 2 ---
def unseen_word_guess(data=None):
    """Exercise 2: the most common tag of all words, and of words seen only once."""
    train = (data or load_tagged("indonlu-posp"))["train"]
    pairs = [
        (w, t)
        for s, ts in zip(train.tokens, train.tags, strict=True)
        for w, t in zip(s, ts, strict=True)
    ]
    times_seen = Counter(w for w, _ in pairs)
    every = Counter(t for _, t in pairs)
    once = Counter(t for w, t in pairs if times_seen[w] == 1)
    return every.most_common(1)[0][0], once.most_common(1)[0][0]


# --- exercise 3 ---
def words_starting_with_me(data=None):
    """Exercise 3: the share of verbs among the training words that start with "me"."""
    train = (data or load_tagged("indonlu-posp"))["train"]
    tags = [
        t
        for s, ts in zip(train.tokens, train.tags, strict=True)
        for w, t in zip(s, ts, strict=True)
        if w.startswith("me") and len(w) > 5  # "meja" (table) and "media" are too short
    ]
    verbs = sum(t.startswith("B-VB") for t in tags)
    return verbs / len(tags), len(tags)


# --- end ---

if __name__ == "__main__":
    print(one_rare_tag_wrong())
    print(unseen_word_guess())
    print(words_starting_with_me())
