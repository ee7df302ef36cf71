"""Solutions to the exercises of "Tokenizers: words, subwords and special tokens".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from nlptut.datasets import load_dataset
from nlptut.hf import load_tokenizer
from nlptut.text import Vocabulary

wordpiece = load_tokenizer()


# --- exercise 1 ---
def capitals():
    """Exercise 1: do "FANTASTIC", "Fantastic" and "fantastic" get the same tokens?"""
    return [wordpiece.tokenize(word) for word in ("FANTASTIC", "Fantastic", "fantastic")]


# --- exercise 2 ---
def made_up_word(word: str = "snorkelbration"):
    """Exercise 2: a word no dictionary has, under both tokenizers."""
    english = load_dataset("dair-emotion")
    vocab = Vocabulary.build(english["train"].texts, min_freq=2)
    words = vocab.decode(vocab.encode(f"what a {word}"))
    pieces = wordpiece.tokenize(word)
    return words, pieces


# --- exercise 3 ---
def cut_short(max_length: int = 8):
    """Exercise 3: what is kept when a text is cut to ``max_length`` tokens?"""
    text = "We went to Bali for holiday. It was fantastic!"
    ids = wordpiece(text, truncation=True, max_length=max_length)["input_ids"]
    return wordpiece.convert_ids_to_tokens(ids)


# --- end ---

if __name__ == "__main__":
    print(capitals())
    print(made_up_word())
    print(cut_short())
