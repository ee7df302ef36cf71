"""Solutions to the exercises of "Mixed precision".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch

FORMATS = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def one_plus_a_little(little: float = 0.001):
    """Exercise 1: is 1 + 0.001 different from 1 in each format?"""
    return {
        name: bool(torch.tensor(1.0, dtype=dtype) + little != 1.0)
        for name, dtype in FORMATS.items()
    }


# --- exercise 2 ---
def running_sum(n: int = 1000, step: float = 0.01):
    """Exercise 2: add 0.01 a thousand times, keeping the total in each format."""
    totals = {}
    for name, dtype in FORMATS.items():
        total = torch.tensor(0.0, dtype=dtype)
        for _ in range(n):
            total = total + torch.tensor(step, dtype=dtype)
        totals[name] = total.item()
    return totals


# --- exercise 3 ---
def scaled_gradient(gradient: float = 1e-8, scale: float = 65536.0):
    """Exercise 3: a tiny gradient in float16, with and without loss scaling."""
    plain = torch.tensor(gradient, dtype=torch.float16)
    scaled = torch.tensor(gradient * scale, dtype=torch.float16)  # the loss was multiplied
    unscaled = scaled.float() / scale  # the scaler divides again, in float32
    return plain.item(), scaled.item(), unscaled.item()


# --- end ---

if __name__ == "__main__":
    print(one_plus_a_little())
    print(running_sum())
    print(scaled_gradient())
