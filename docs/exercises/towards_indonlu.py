"""Solutions to the exercises of "Towards IndoNLU".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from collections import Counter

from sklearn.metrics import accuracy_score, f1_score

from nlptut.datasets import load_dataset
from nlptut.hf import load_tokenizer

tokenizer = load_tokenizer()  # MiniLM's English WordPiece vocabulary


def pieces_of_words():
    """Exercise 1: how MiniLM cuts four words, two English, two Indonesian."""
    return {w: tokenizer.tokenize(w) for w in ("happy", "disappointed", "menyenangkan", "kecewa")}


# --- exercise 2 ---
def pieces_per_word():
    """Exercise 2: MiniLM tokens per word on the English and the Indonesian test tweets."""
    ratio = {}
    for name in ("dair-emotion", "indonlu-emot"):
        texts = load_dataset(name)["test"].texts
        words = sum(len(text.split()) for text in texts)
        pieces = sum(len(tokenizer.tokenize(text)) for text in texts)
        ratio[name] = pieces / words
    return ratio


# --- exercise 3 ---
def most_common_emotion():
    """Exercise 3: accuracy and macro-F1 of always answering the most common emotion."""
    data = load_dataset("indonlu-emot")
    most_common = Counter(data["train"].labels).most_common(1)[0][0]
    truth = data["test"].labels
    answers = [most_common] * len(truth)
    macro = f1_score(truth, answers, average="macro", zero_division=0)
    return data.labels[most_common], accuracy_score(truth, answers), macro


# --- end ---

if __name__ == "__main__":
    print(pieces_of_words())
    print(pieces_per_word())
    print(most_common_emotion())
