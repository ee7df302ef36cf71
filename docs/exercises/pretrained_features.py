"""Solutions to the exercises of "Pretrained features".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from nlptut.hf import embed_texts, load_encoder, load_tokenizer

encoder, tokenizer = load_encoder(), load_tokenizer()  # the offline MiniLM


def similarity(texts: list[str]):
    """Cosine similarity of every pair of ``texts``: a (n, n) table."""
    vectors = embed_texts(texts, encoder, tokenizer, amp=False)  # (n, 384), each of length 1
    return (vectors @ vectors.T).numpy()  # for vectors of length 1, the dot product is the cosine


def opposite_feelings():
    """Exercise 1: how close are a happy, a glad, a sad and an unrelated sentence?"""
    texts = [
        "i am so happy today",
        "i feel glad today",
        "i am so sad today",
        "the train leaves at nine",
    ]
    table = similarity(texts)
    return {"glad": table[0, 1], "sad": table[0, 2], "train": table[0, 3]}


# --- exercise 2 ---
def not_me():
    """Exercise 2: does "not me." move the jackpot sentence's vector?"""
    table = similarity(["My neighbour won the jackpot! not me.", "My neighbour won the jackpot!"])
    return table[0, 1]


# --- exercise 3 ---
def lengths():
    """Exercise 3: how many numbers per sentence, and how long is each vector?"""
    vectors = embed_texts(["short", "a much longer sentence about the weather"], encoder, tokenizer)
    return vectors.shape[1], vectors.norm(dim=1).tolist()


# --- end ---

if __name__ == "__main__":
    print(opposite_feelings())
    print(not_me())
    print(lengths())
