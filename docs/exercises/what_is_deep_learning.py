"""Solutions to the exercises of "What deep learning is".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch


def slopes_by_hand():
    """Exercise 1: y = w * x + b, loss = (y - t)^2 with w=2, b=1, x=3, t=10."""
    w = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    x, t = 3.0, 10.0
    loss = (w * x + b - t) ** 2
    loss.backward()
    # by hand: y = 7, loss = 9; d loss/d y = 2 (y - t) = -6, so
    by_hand = {"w": 2 * (7 - t) * x, "b": 2 * (7 - t)}  # -18 and -6
    return loss.item(), {"w": w.grad.item(), "b": b.grad.item()}, by_hand


# --- exercise 2 ---
class WrongSquare(torch.autograd.Function):
    """x squared, with a backward function that forgets the 2 of 2x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * x  # wrong: the slope of x * x is 2 * x


def catch_the_bug():
    """Exercise 2: does gradcheck notice?"""
    x = torch.randn(5, dtype=torch.float64, requires_grad=True)
    return torch.autograd.gradcheck(WrongSquare.apply, (x,), raise_exception=False)


# --- exercise 3 ---
def step_size(lr: float, steps: int = 20) -> float:
    """Exercise 3: gradient descent on loss = w^2 from w = 1; returns the final w."""
    w = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        loss = w**2
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.item()


# --- end ---

if __name__ == "__main__":
    print(slopes_by_hand())
    print(catch_the_bug())
    print({lr: step_size(lr) for lr in (0.1, 0.5, 0.9, 1.1)})
