"""Solutions to the exercises of "Emotions in Indonesian tweets".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import re
from collections import Counter

from nlptut.datasets import load_dataset
from nlptut.text import Vocabulary, tokenize
from nlptut.vocab import char_ngrams_of


def shared_pieces():
    """Exercise 1: the 3- and 4-letter pieces that "nggak" and "gak" share."""
    return sorted(set(char_ngrams_of("nggak", 3, 4)) & set(char_ngrams_of("gak", 3, 4)))


# --- exercise 2 ---
def write_out_the_2(data=None):
    """Exercise 2: "anak2" -> "anak-anak"; how many digit forms have a hyphen twin?"""
    data = data or load_dataset("indonlu-emot")
    counts = Counter(tok for text in data["train"].texts for tok in tokenize(text))
    digit_forms = [w for w in counts if re.fullmatch(r"[^\W\d_]+2", w)]
    with_twin = [w for w in digit_forms if f"{w[:-1]}-{w[:-1]}" in counts]
    return len(digit_forms), len(with_twin)


def normalise(text: str) -> str:
    """Write every "word2" out as "word-word" (use it before tokenizing)."""
    return re.sub(r"\b([^\W\d_]+)2\b", r"\1-\1", text)


# --- exercise 3 ---
def rare_words(data=None, min_freqs=(1, 2, 3)):
    """Exercise 3: vocabulary size and unknown test tokens for several ``min_freq``."""
    data = data or load_dataset("indonlu-emot")
    test_tokens = [tok for text in data["test"].texts for tok in tokenize(text)]
    rows = {}
    for min_freq in min_freqs:
        vocab = Vocabulary.build(data["train"].texts, min_freq=min_freq)
        unknown = sum(tok not in vocab for tok in test_tokens) / len(test_tokens)
        rows[min_freq] = (len(vocab), unknown)
    return rows


# --- end ---

if __name__ == "__main__":
    print(shared_pieces())
    print(write_out_the_2(), normalise("anak2 main bola2 di 2 tempat"))
    print(rare_words())
