"""Solutions to the exercises of "From a model to an application".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import numpy as np


def quantize(weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Symmetric int8 quantization with one scale: integers in -127..127 and the scale."""
    scale = float(np.abs(weights).max()) / 127
    return np.round(weights / scale).astype(np.int8), scale


def by_hand():
    """Exercise 1: quantize four weights and bring them back."""
    weights = np.array([0.50, -1.27, 0.031, 0.9])
    integers, scale = quantize(weights)
    back = integers * scale
    return integers.tolist(), scale, float(np.abs(back - weights).max())


# --- exercise 2 ---
def one_outlier():
    """Exercise 2: three small weights and one large one share a scale."""
    weights = np.array([0.01, 0.02, -0.015, 12.7])
    integers, scale = quantize(weights)
    return integers.tolist(), (integers * scale).tolist()


# --- exercise 3 ---
def per_row_scales(seed: int = 0):
    """Exercise 3: a matrix whose rows differ in size: one scale, or one per row?"""
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(2, 64)) * np.array([[1.0], [0.01]])  # row 2 a hundred times smaller
    one_integers, one_scale = quantize(matrix)
    one_error = np.abs(one_integers * one_scale - matrix)
    row_error = np.stack([np.abs(np.multiply(*quantize(row)) - row) for row in matrix])
    # the mean error on the small row, relative to the size of its weights
    size = np.abs(matrix[1]).mean()
    return float(one_error[1].mean() / size), float(row_error[1].mean() / size)


# --- end ---

if __name__ == "__main__":
    print(by_hand())
    print(one_outlier())
    print(per_row_scales())
