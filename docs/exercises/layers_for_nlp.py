"""Solutions to the exercises of "Layers for NLP".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch
from torch import nn


def embedding_is_a_lookup():
    """Exercise 1: an embedding layer against a one-hot vector times its table."""
    torch.manual_seed(0)
    embedding = nn.Embedding(10, 4)  # 10 words, 4 numbers each
    ids = torch.tensor([3, 7, 3])
    looked_up = embedding(ids)  # (3, 4)
    one_hot = nn.functional.one_hot(ids, num_classes=10).float()  # (3, 10)
    multiplied = one_hot @ embedding.weight  # (3, 10) @ (10, 4) -> (3, 4)
    return torch.allclose(looked_up, multiplied), torch.equal(looked_up[0], looked_up[2])


# --- exercise 2 ---
def conv_lengths(words: int = 12):
    """Exercise 2: output length of a width-3 filter with and without padding=1."""
    x = torch.randn(1, 8, words)  # (batch, channels, words)
    same = nn.Conv1d(8, 16, kernel_size=3, padding=1)(x)
    none = nn.Conv1d(8, 16, kernel_size=3)(x)
    return same.shape[-1], none.shape[-1]


# --- exercise 3 ---
def lstm_weights(inputs: int = 8, hidden: int = 16):
    """Exercise 3: count an LSTM's weights by hand and with PyTorch."""
    lstm = nn.LSTM(inputs, hidden)
    # four gates, each with weights from the input and from the state, and two biases
    by_hand = 4 * (hidden * inputs + hidden * hidden + hidden + hidden)
    return by_hand, sum(p.numel() for p in lstm.parameters())


# --- end ---

if __name__ == "__main__":
    print(embedding_is_a_lookup())
    print(conv_lengths())
    print(lstm_weights())
