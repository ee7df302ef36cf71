"""Solutions to the exercises of "More processes".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import os
import subprocess
import sys

import torch
import torch.nn.functional as F


def gradient(weights: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The gradient of the mean cross-entropy loss of a linear classifier."""
    w = weights.clone().requires_grad_(True)
    F.cross_entropy(x @ w, y).backward()
    return w.grad


def unequal_halves(seed: int = 0):
    """Exercise 1: a batch of 8 split 5 + 3 between two processes."""
    torch.manual_seed(seed)
    weights, x, y = torch.randn(4, 3), torch.randn(8, 4), torch.randint(0, 3, (8,))
    whole = gradient(weights, x, y)
    first, second = gradient(weights, x[:5], y[:5]), gradient(weights, x[5:], y[5:])
    plain_average = (first + second) / 2
    weighted = (5 * first + 3 * second) / 8
    return (plain_average - whole).abs().max().item(), (weighted - whole).abs().max().item()


# --- exercise 2 ---
def worker() -> None:
    """What each process runs (started by torchrun, which sets RANK and WORLD_SIZE)."""
    import torch.distributed as dist

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    mine = torch.tensor([rank + 1.0, 10.0 * (rank + 1)])  # rank 0: [1, 10]; rank 1: [2, 20]
    total, largest = mine.clone(), mine.clone()
    dist.all_reduce(total, op=dist.ReduceOp.SUM)
    dist.all_reduce(largest, op=dist.ReduceOp.MAX)
    line = f"rank {rank}: sum {total.tolist()}, max {largest.tolist()}\n"
    os.write(1, line.encode())  # one write, so the two processes' lines do not mix
    dist.destroy_process_group()


def all_reduce_yourself() -> list[str]:
    """Exercise 2: start two processes with torchrun and all-reduce in each."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc-per-node", "2", __file__]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return sorted(line for line in out.stdout.splitlines() if line.startswith("rank"))


# --- exercise 3 ---
def equal_shares(n: int = 10, processes: int = 3, drop_last: bool = False) -> list[list[int]]:
    """Exercise 3: which examples does each process get from a DistributedSampler?"""
    from torch.utils.data import DistributedSampler

    return [
        list(DistributedSampler(range(n), processes, rank, shuffle=False, drop_last=drop_last))
        for rank in range(processes)
    ]


# --- end ---

if __name__ == "__main__":
    if "RANK" in os.environ:  # started by torchrun
        worker()
    else:
        print(unequal_halves())
        print(*all_reduce_yourself(), sep="\n")
        print(equal_shares(), equal_shares(drop_last=True))
