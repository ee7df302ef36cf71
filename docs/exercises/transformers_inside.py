"""Solutions to the exercises of "Transformers from the inside".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)
d, n = 64, 9  # 9 tokens of 64 numbers each
X = torch.randn(n, d)
W_q, W_k, W_v = (torch.randn(d, d) / math.sqrt(d) for _ in range(3))
Q, K, V = X @ W_q, X @ W_k, X @ W_v


def largest_weight(scores: torch.Tensor) -> float:
    """The largest attention weight of each token, averaged over the tokens."""
    return scores.softmax(dim=-1).max(dim=-1).values.mean().item()


def sharpness():
    """Exercise 1: the largest weight per token, scores divided by sqrt(d) or not."""
    raw = Q @ K.T  # (n, n)
    return largest_weight(raw / math.sqrt(d)), largest_weight(raw)


# --- exercise 2 ---
def shuffled():
    """Exercise 2: shuffle the tokens; does each token's own output change?"""
    order = torch.randperm(n)
    out = F.scaled_dot_product_attention(Q, K, V)  # (n, d)
    out_shuffled = F.scaled_dot_product_attention(Q[order], K[order], V[order])
    # put the shuffled outputs back in the original order, then compare
    back = torch.empty_like(out_shuffled)
    back[order] = out_shuffled
    return (back - out).abs().max().item()


# --- exercise 3 ---
def only_the_past():
    """Exercise 3: with ``is_causal=True``, which weights does the first token get?"""
    scores = (Q @ K.T / math.sqrt(d)).masked_fill(
        torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf")
    )  # a token may not look at the tokens after it
    weights = scores.softmax(dim=-1)
    out = weights @ V
    same = torch.allclose(out, F.scaled_dot_product_attention(Q, K, V, is_causal=True), atol=1e-5)
    return weights[0].tolist(), same


# --- end ---

if __name__ == "__main__":
    print(sharpness())
    print(shuffled())
    print(only_the_past())
