"""Training on several processes: one model, each process a share of every batch.

Started by ``torchrun`` (which sets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``,
``MASTER_ADDR`` and ``MASTER_PORT`` for every process), :func:`nlptut.training.train`
runs data-parallel training without any change to the calling code::

    torchrun --nproc-per-node 2 -m nlptut train --dataset dair-emotion --model nbow --out DIR

How the work is shared:

* every process builds the same model from the same seed, and
  :class:`torch.nn.parallel.DistributedDataParallel` (DDP) copies the first
  process's starting weights to the others, so that all start alike;
* every process draws the same sequence of batches (the same seed, so the same
  length bucketing), and takes its own share of each batch
  (:class:`ShardedBatches`): with 2 processes and ``batch_size=64``, 32 texts each;
* after the backward pass DDP *all-reduces* the gradients: it adds them up
  across the processes and divides by their number, so every process holds the
  average and takes the same optimizer step; the weights stay identical;
* validation is shared the same way, and the predictions are added up across
  processes before the metrics are computed, so every process makes the same
  early-stopping decision;
* only the first process (rank 0) shows progress and writes the checkpoint.

``batch_size`` stays the number of texts per optimizer step (the *effective*
batch, across all processes), so a recipe's learning rate keeps its meaning
whatever the number of processes. The processes talk through the ``gloo``
backend on the CPU and ``nccl`` on CUDA GPUs; several machines join one run
with ``torchrun --nnodes N --rdzv-backend c10d --rdzv-endpoint HOST:PORT``.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, Sampler

from nlptut.errors import SettingError

__all__ = [
    "Context",
    "launched",
    "setup",
    "context",
    "ShardedBatches",
    "shard_loader",
    "all_reduce_sum",
    "barrier",
]


@dataclass(frozen=True)
class Context:
    """Where this process stands in a (possibly one-process) run.

    Attributes
    ----------
    rank : int
        This process's number, ``0 .. world_size - 1``; rank 0 writes the results.
    world_size : int
        How many processes train the model together.
    local_rank : int
        This process's number on its own machine (which GPU it uses).
    backend : str or None
        ``"gloo"`` or ``"nccl"``; ``None`` for a single process.
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    backend: str | None = None

    @property
    def active(self) -> bool:
        """True when more than one process trains together."""
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """True on the process that prints and writes files (rank 0)."""
        return self.rank == 0


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value.strip() else default
    except ValueError:
        raise SettingError(
            f"environment variable {name}={value!r} is not a whole number; unset it "
            "(one process) or start the command with torchrun, which sets it"
        ) from None


_LAUNCHER_VARIABLES = ("RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def launched() -> bool:
    """True when ``torchrun`` (or another launcher) started this process as one of several."""
    return _env_int("WORLD_SIZE", 1) > 1


def context() -> Context:
    """The current :class:`Context`: from the process group when there is one, else one process."""
    if dist.is_available() and dist.is_initialized():
        return Context(
            rank=dist.get_rank(),
            world_size=dist.get_world_size(),
            local_rank=_env_int("LOCAL_RANK", 0),
            backend=str(dist.get_backend()),
        )
    return Context()


def setup(device_type: str = "cpu") -> Context:
    """Join the process group that the launcher describes, once; return the :class:`Context`.

    Without a launcher (``WORLD_SIZE`` unset or 1) nothing happens and the
    context is a single process. The backend is ``nccl`` for ``device_type="cuda"``
    and ``gloo`` otherwise. The group is left when the program exits.
    """
    if not launched() or (dist.is_available() and dist.is_initialized()):
        return context()
    if not dist.is_available():
        raise RuntimeError("this PyTorch build has no torch.distributed; train in one process")
    missing = [name for name in _LAUNCHER_VARIABLES if not os.environ.get(name, "").strip()]
    if missing:
        raise SettingError(
            f"WORLD_SIZE={os.environ['WORLD_SIZE']} asks for several processes but "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; start the "
            "command with torchrun (which sets them all), or unset WORLD_SIZE"
        )
    backend = "nccl" if device_type == "cuda" else "gloo"
    if backend == "nccl":
        torch.cuda.set_device(_env_int("LOCAL_RANK", 0))
    dist.init_process_group(backend)
    atexit.register(_leave)
    return context()


def _leave() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


class ShardedBatches(Sampler[list[int]]):
    """One process's share of every batch of another batch sampler.

    Every process iterates the same ``batches`` (the same seed gives the same
    order) and keeps every ``world_size``-th example of each batch, starting at
    its ``rank``: the processes split each batch between them, and examples of
    similar length (a bucketed batch) stay together. All processes get the same
    number of batches, as the all-reduce after each step needs.

    Parameters
    ----------
    batches : iterable of list of int
        The batch sampler to share, such as a
        :class:`~nlptut.text.BucketBatchSampler`.
    rank, world_size : int
        This process's number and the number of processes.
    pad : bool, default True
        A batch with fewer examples than processes is repeated until every
        process has one example (training needs every process to take part in
        every step). ``False`` leaves such a process without that batch.

    Examples
    --------
    >>> list(ShardedBatches([[4, 7, 1, 9, 2], [3]], rank=1, world_size=2))
    [[7, 9], [3]]
    """

    def __init__(
        self, batches: Iterable[list[int]], rank: int, world_size: int, *, pad: bool = True
    ) -> None:
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"rank must be in [0, world_size={world_size}), got {rank}")
        self.batches = batches
        self.rank = rank
        self.world_size = world_size
        self.pad = pad

    def __iter__(self) -> Iterator[list[int]]:
        for batch in self.batches:
            batch = list(batch)
            if self.pad and 0 < len(batch) < self.world_size:
                batch = [batch[i % len(batch)] for i in range(self.world_size)]
            share = batch[self.rank :: self.world_size]
            if share:
                yield share

    def __len__(self) -> int:
        return len(self.batches)  # type: ignore[arg-type]


def shard_loader(loader: DataLoader, ctx: Context, *, pad: bool = True) -> DataLoader:
    """Return ``loader`` with each batch cut to this process's share (:class:`ShardedBatches`)."""
    if not ctx.active:
        return loader
    return DataLoader(
        loader.dataset,
        batch_sampler=ShardedBatches(loader.batch_sampler, ctx.rank, ctx.world_size, pad=pad),
        collate_fn=loader.collate_fn,
        num_workers=0,
    )


def all_reduce_sum(tensor: torch.Tensor, ctx: Context) -> torch.Tensor:
    """Add ``tensor`` up across all processes, in place (nothing to do for one process)."""
    if ctx.active:
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor


def barrier(ctx: Context) -> None:
    """Wait until every process gets here (nothing to do for one process)."""
    if ctx.active:
        dist.barrier()
