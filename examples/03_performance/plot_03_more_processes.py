"""
Training on more than one process
=================================

When training on one :term:`process` takes too long, the usual next step is
*data-parallel* training: several copies of the same model, each working on a
different part of every :term:`batch`, kept identical by exchanging their
:term:`gradients <gradient>`. Each copy runs in its own *process* (a running
Python program). PyTorch does it with ``torchrun`` and
``DistributedDataParallel`` (DDP)
:cite:p:`li2020pytorch`, and ``nlptut train`` runs under them unchanged. This
page launches two processes on the machine that builds it, shows what each
one does, checks that their averaged gradient is the one-process gradient (up
to rounding), measures the time against one process, and explains the numbers.

**Before this page:** :doc:`../02_emotion/plot_01_emotion_end_to_end` (what a
batch, a gradient and a training step are). **After it** you can train with
``torchrun`` on several CPU processes, GPUs or machines, and judge when it pays.
"""

# %%
# The machine this page ran on
# ----------------------------
# Every number below was measured when the page was built. How many *cores*
# the machine has matters here: a core is one calculating unit of the CPU,
# and two processes only compute at the same time if there are cores for
# both. One process can also keep several cores busy by splitting its work
# into *threads*; PyTorch starts one thread per core by default.

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from nlptut.classifier import RECIPES
from nlptut.cli import main as nlptut_main
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hardware import describe_hardware, hardware_summary
from nlptut.models import build_model, count_parameters
from nlptut.text import EncodedDataset, Vocabulary, collate

QUICK = quick_mode()
print(hardware_summary(describe_hardware()))
print(f"CPU cores visible to this process: {len(os.sched_getaffinity(0))}")
work_folder = tempfile.TemporaryDirectory(prefix="nlptut-ddp-")  # removed when Python exits
WORK = Path(work_folder.name)

# %%
# The idea in words
# -----------------
# Think of two people marking one pile of exam papers. Each takes half of the
# pile, writes down how the marking scheme should change, and then they
# compare notes and both apply the *average* change, so their schemes stay
# the same. Data-parallel training does this with a model:
#
# 1. every **process** (a running Python program) holds a full copy of the
#    model, with the same starting :term:`weights <weight>`;
# 2. each batch of tweets is split: with two processes and a batch of 32,
#    each computes the :term:`loss` and the gradient on its 16 tweets;
# 3. the processes then :term:`all-reduce` their gradients: an all-reduce
#    combines a number (or a whole :term:`tensor`) from every process and hands every
#    process the result, here the sum; DDP then divides by the number of
#    processes, so all end with the average gradient;
# 4. every process takes the same :term:`optimizer` step with the same
#    average, so the copies stay identical.
#
# ``torchrun`` starts the processes and tells each its number (its **rank**:
# 0, 1, ...) and how many there are (the **world size**). Only rank 0 writes
# the checkpoint. The processes talk through a *backend*, the library that
# moves the numbers: ``gloo`` on CPUs, ``nccl`` between NVIDIA GPUs.
#
# The data: 4,000 English tweets labelled with six emotions (dair-emotion),
# written to a file as a reader's own data would be. ``nlptut`` splits a single
# file 80/10/10 into training, validation and test tweets.

data = load_dataset("dair-emotion")
n_tweets = 400 if QUICK else 4_000
tweets = WORK / "tweets.tsv"
with open(tweets, "w", encoding="utf-8") as f:
    f.write("text\tlabel\n")
    for text, label in zip(data["train"].texts[:n_tweets], data["train"].labels, strict=False):
        f.write(f"{text}\t{data.labels[label]}\n")
mine = load_dataset(tweets)
print(f"{len(mine['train'])} training, {len(mine['validation'])} validation tweets")

# %%
# One step on two processes, checked against one
# ----------------------------------------------
# We build the bag-of-words model that ``nlptut train`` would build for this
# file (its recipe: words, their character pieces and word pairs as
# features) and save its starting weights and one batch of 32 training tweets.
# Dropout (which switches off random features while training) is switched
# off with ``eval()``, so that both ways of computing compute exactly the
# same thing.

recipe = RECIPES["nbow"]
vocab = Vocabulary.build(
    mine["train"].texts,
    min_freq=recipe.min_freq,
    char_ngrams=recipe.char_ngrams,
    word_bigrams=recipe.word_bigrams,
)
torch.manual_seed(0)
model = build_model("nbow", len(vocab), len(mine.labels), **recipe.model).eval()
batch_size = recipe.train.batch_size
encoded = EncodedDataset.from_texts(
    mine["train"].texts[:batch_size], mine["train"].labels[:batch_size], vocab, max_len=64
)
torch.save(
    {
        "config": vars(model.config),
        "weights": model.state_dict(),
        # plain (index, ids, label) tuples, so that torch.load's safe default reads them
        "examples": [(i, [int(t) for t in ids], int(y)) for i, ids, y in encoded],
    },
    WORK / "start.pt",
)
n_params = count_parameters(model)
print(f"model: {n_params:,} weights ({n_params * 4 / 1e6:.1f} MB at 4 bytes each)")
print(f"one batch: {batch_size} tweets")

# %%
# This is the program that each process runs. ``torchrun`` starts it twice;
# ``nlptut.distributed.setup`` joins the two processes into one group. Each
# process first adds up one number with the other (a bare all-reduce of one
# number, outside DDP), then computes the loss on *its half* of the batch through DDP, whose
# ``backward`` averages the gradients. Rank 0 saves the averaged gradient and
# times how long one all-reduce of a gradient of this size takes. At the end
# both processes wait for each other (a *barrier*) and leave the group with
# ``destroy_process_group``: a program that skips this can crash on exit.

WORKER = """
import gc, sys, time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from nlptut.distributed import ShardedBatches, setup
from nlptut.models import build_model
from nlptut.text import collate


def main(folder, ctx, log):
    def say(message):
        print(f"process {ctx.rank}: {message}", file=log, flush=True)

    say(f"one of {ctx.world_size}, using {torch.get_num_threads()} thread(s)")

    x = torch.tensor([10.0 * (ctx.rank + 1)])  # process 0 holds 10, process 1 holds 20
    dist.all_reduce(x)  # both now hold the sum
    say(f"after all_reduce, x = {x.item():.0f}")

    start = torch.load(folder / "start.pt")  # weights_only: tensors and plain values only
    model = build_model("nbow", **start["config"])
    model.load_state_dict(start["weights"])
    model.eval()  # no dropout: the same computation as one process
    ddp = DistributedDataParallel(model)
    everything = list(range(len(start["examples"])))
    (share,) = ShardedBatches([everything], ctx.rank, ctx.world_size)  # my half of the batch
    batch = collate([start["examples"][i] for i in share])
    loss = F.cross_entropy(ddp(batch.ids, batch.mask), batch.labels)
    loss.backward()  # DDP averages the gradients of all processes here
    say(f"{len(share)} tweets, loss on them {loss.item():.4f}")
    if ctx.rank == 0:
        torch.save({n: p.grad for n, p in model.named_parameters()}, folder / "grads.pt")

    flat = torch.zeros(sum(p.numel() for p in model.parameters()))  # a gradient's size
    dist.all_reduce(flat)  # once to warm up
    dist.barrier()
    t0 = time.perf_counter()
    for _ in range(5):
        dist.all_reduce(flat)
    ms = (time.perf_counter() - t0) / 5 * 1e3
    if ctx.rank == 0:
        (folder / "allreduce_ms.txt").write_text(f"{ms:.3f}")


folder = Path(sys.argv[1])
ctx = setup("cpu")  # join the group torchrun describes (gloo on the CPU)
with open(folder / f"rank{ctx.rank}.log", "w") as log:  # one file each: prints would mix
    main(folder, ctx, log)
gc.collect()  # main's DDP wrapper, which holds on to the group, is gone now. Leave the group
# together and while Python is still fully running: a group torn down while
# the interpreter shuts down, or while the other process still talks to it,
# can abort the program.
dist.barrier()
dist.destroy_process_group()
"""
(WORK / "ddp_step.py").write_text(WORKER, encoding="utf-8")


def launch(*args: str) -> subprocess.CompletedProcess:
    """Run a command; show its error output if it fails. It trains for real: the
    site build's store of trained models (nlptut.buildcache) is left out, as
    this page times the training."""
    env = {k: v for k, v in os.environ.items() if k != "NLPTUT_BUILD_CACHE"}
    result = subprocess.run(args, capture_output=True, text=True, cwd=WORK, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:6])} ... failed:\n{result.stderr[-3000:]}")
    return result


# sys.executable -m torch.distributed.run is the torchrun command of this Python
# (--standalone: one machine, a free port chosen for the processes to meet)
TORCHRUN = (sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2")
launch(*TORCHRUN, str(WORK / "ddp_step.py"), str(WORK))
logs = [(WORK / f"rank{rank}.log").read_text(encoding="utf-8") for rank in range(2)]
print("".join(logs), end="")
threads_each = max(int(log.split("using ")[1].split()[0]) for log in logs)

# %%
# Both processes ended with 30 = 10 + 20: that is an all-reduce. (A number
# such as 1.12e-08 below means 1.12 × 10⁻⁸, 0.0000000112.) Now the same
# batch on one process, all 32 tweets at once, and the gradients side by side.
# The average of two half-batch gradients is the whole-batch gradient, because
# the loss of a batch is the mean of its tweets' losses and the halves are the
# same size.

batch = collate([encoded[i] for i in range(len(encoded))])
loss = F.cross_entropy(model(batch.ids, batch.mask), batch.labels)
loss.backward()
ddp_grads = torch.load(WORK / "grads.pt")
worst = max((p.grad - ddp_grads[n]).abs().max().item() for n, p in model.named_parameters())
largest = max(p.grad.abs().max().item() for p in model.parameters())
print(f"one process, {len(encoded)} tweets: loss {loss.item():.4f}")
print(f"largest gradient value: {largest:.2e}")
print(f"largest difference between the two gradients: {worst:.2e}")
print("same gradient (up to float rounding):", worst <= 1e-6 * max(largest, 1.0))

# %%
# Training with ``torchrun``
# --------------------------
# The command line trains the same way. One process::
#
#     nlptut train --dataset tweets.tsv --model nbow --epochs 1 --out one
#
# Two processes on this machine::
#
#     torchrun --standalone --nproc-per-node 2 -m nlptut train \\
#         --dataset tweets.tsv --model nbow --epochs 1 --out two
#
# ``batch_size`` stays the number of tweets per optimizer step (the
# *effective* batch), whatever the number of processes, so the recipe's
# :term:`learning rate` keeps its meaning. We run both and time them:
# "training" is the time the training loop took, "wall" adds starting Python,
# loading the data and saving.

epochs = "1"
runs = {}
for name, launcher in [("one process", (sys.executable,)), ("two processes", TORCHRUN)]:
    args = ["-m", "nlptut", "train", "--dataset", str(tweets), "--model", "nbow"]
    args += ["--epochs", epochs, "--out", str(WORK / name.split()[0]), "--json"]
    t0 = time.perf_counter()
    result = launch(*launcher, *args)
    runs[name] = json.loads(result.stdout) | {"wall": time.perf_counter() - t0}

print(f"{'':<14}{'processes':>10}{'batch/process':>15}{'training':>10}{'wall':>8}{'val acc':>9}")
for name, r in runs.items():
    print(
        f"{name:<14}{r['processes']:>10}{r['batch_per_process']:>15}"
        f"{r['seconds']:>9.1f}s{r['wall']:>7.1f}s{r['validation_accuracy']:>9.3f}"
    )
two = runs["two processes"]
print(f"effective batch {two['batch_size']}, learning rate {two['lr']:g} in both")
print(f"precision: {two['precision']}")
gap = runs["two processes"]["validation_accuracy"] - runs["one process"]["validation_accuracy"]
print(f"validation accuracy, two processes minus one: {gap:+.3f}")

# %%
# The two runs follow the same recipe but are not the same run: dropout, which
# switches off random features while training, draws its random numbers per
# process, so two processes drop other features than one does, and the two
# runs end with different weights; whether their scores differ too, and by how
# much, is the last line above. The *gradient* of a
# given batch, with dropout off, was the same, as the check above showed.

# %%
# The checkpoint that rank 0 wrote is an ordinary one: ``nlptut predict``
# loads it without ``torchrun``, here in this page's own process (which was
# never part of the two-process group), through the command line's ``main``.

seeds = ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]
answers = io.StringIO()
with contextlib.redirect_stdout(answers):
    status = nlptut_main(["predict", str(WORK / "two"), "--json", *seeds])
assert status == 0, f"nlptut predict failed with exit status {status}"
for line in answers.getvalue().splitlines():
    answer = json.loads(line)
    print(f"{answer['label']:<9} {answer['probabilities'][answer['label']]:.2f}  {answer['text']}")

# %%
# Counting where the time went
# ----------------------------
# Count what each step costs, to see where the time went.

slower = runs["two processes"]["seconds"] / runs["one process"]["seconds"]
allreduce_ms = float((WORK / "allreduce_ms.txt").read_text())
steps = -(-len(mine["train"]) // batch_size) * int(epochs)  # batches per epoch, rounded up
talking = steps * allreduce_ms / 1e3
extra = runs["two processes"]["seconds"] - runs["one process"]["seconds"]
step_ms = runs["one process"]["seconds"] / steps * 1e3
print(
    f"two processes took {slower:.2f} times as long as one to train ({extra:+.1f} s): "
    f"{'slower' if slower > 1 else 'faster'} on this machine, this time"
)
print(f"optimizer steps: {steps}; each all-reduces {n_params * 4 / 1e6:.1f} MB of gradients")
print(f"one all-reduce of that size: {allreduce_ms:.1f} ms, so about {talking:.1f} s of talking")
print(f"a whole step on one process (forward, backward, update): {step_ms:.1f} ms")
print(f"one all-reduce takes {allreduce_ms / step_ms:.1f} times as long as that whole step")
print(
    f"cores: {len(os.sched_getaffinity(0))}; threads: one process used "
    f"{torch.get_num_threads()} (as this page's own process does), each of the two {threads_each}"
)

# %%
# Three things decide which way it goes, here and on your machine:
#
# * **Are the cores already busy?** One process uses the machine's cores
#   through its threads (printed above). When ``torchrun`` starts several
#   processes it gives each one thread (it sets ``OMP_NUM_THREADS=1``), so
#   that they do not fight over the cores. Where one process already kept
#   every core busy, two processes with one thread each share the same
#   cores, and no extra arithmetic happens per second; where it did not (a
#   small model whose threads wait for each other, or cores that other
#   programs were using while the page ran), two single-threaded processes
#   can get more done than one process with two threads.
# * **Talking costs time.** After every step the processes exchange the whole
#   gradient. The bag of words is mostly a table of :term:`embeddings <embedding>` for its words
#   and character pieces, so each all-reduce moves every weight's gradient,
#   although a batch touches only a few rows of the table.
# * **Little work per step.** The last ratio printed compares the exchange
#   that every step adds with a whole step on one process: the larger it is,
#   the more of each step goes to talking instead of learning.
#
# The "talking" count above is an upper bound, not a measurement of this
# run: DDP groups the gradients into *buckets* (25 MB each by default) and
# starts the all-reduce of a bucket as soon as the backward pass has filled
# it, while the backward pass goes on computing the earlier layers. Part of
# the exchange then hides behind arithmetic. On a GPU the two run side by
# side; on these two shared cores there is little arithmetic for it to hide
# behind. :func:`torch.profiler.profile` (see
# :doc:`plot_02_profiling`) shows how much overlapped in a given run.
#
# Data parallelism pays when each process brings its *own* hardware, such as
# a GPU per process or another machine, and when a step has much arithmetic
# for each number exchanged (large batches, models that reuse their weights
# on every word). Whether one process with all the cores or several
# processes is faster on a machine is what the timings above measure.
#
# From this machine to GPUs and clusters
# --------------------------------------
# The same command scales without changing the program:
#
# * **Several GPUs in one machine**: ``torchrun --nproc-per-node 4 -m nlptut
#   train ...``: each process takes one GPU (the one numbered by its rank
#   within its own machine, its *local rank*) and the processes
#   talk through ``nccl``, which ``nlptut`` chooses when CUDA is there.
# * **Several machines**: start the same command on each machine with
#   ``--nnodes 2 --nproc-per-node 4 --rdzv-backend c10d --rdzv-endpoint
#   HOST:29400 --rdzv-id myrun``, where ``HOST`` is one machine's address that
#   the others can reach. The processes meet there (the *rendezvous*), learn
#   their ranks, and train as one group. The tests of ``nlptut`` run exactly
#   this with two "machines" on one computer (``127.0.0.1``) and check that they
#   write the same model as one machine with two processes.
#
# What to keep in mind on a real cluster: every process reads the data (put
# it where all machines can read it); the effective batch stays the
# ``batch_size`` of the recipe, so more processes means fewer tweets per
# process per step; and a speed-up comes mostly when each process has
# hardware of its own.
#
# Two details matter when you write such a loop yourself instead of using
# ``nlptut train``:
#
# * **A new order each epoch.** PyTorch's ``DistributedSampler`` shuffles
#   with a seed plus the epoch number it was last given: call
#   ``sampler.set_epoch(epoch)`` before each epoch, or every epoch deals the
#   same examples in the same order. (nlptut's
#   :class:`~nlptut.text.BucketBatchSampler` moves to the next epoch by itself
#   and has the same ``set_epoch``, which resuming uses.)
# * **Several batches per step.** To *accumulate* the gradients of several
#   small batches before one optimizer step (a large effective batch on
#   little memory), run every backward pass but the last under
#   ``with model.no_sync():``, so that DDP all-reduces once per optimizer
#   step instead of once per batch::
#
#       for i, batch in enumerate(batches):
#           last = (i + 1) % accumulate == 0
#           with contextlib.nullcontext() if last else model.no_sync():
#               loss = loss_fn(model(batch.ids, batch.mask), batch.labels) / accumulate
#               loss.backward()
#           if last:
#               optimizer.step()
#               optimizer.zero_grad()
#
# Takeaway
# --------
# Data-parallel training runs the same model in several processes, splits
# every batch between them and averages their gradients with an all-reduce:
# the printed gradients show that two half-batches averaged give the
# whole-batch gradient. ``torchrun`` starts the processes and ``nlptut train``
# needs no change to use them. Whether it is faster depends on whether the
# processes bring hardware of their own and on how much arithmetic each step
# does per number exchanged, and the timings above show the answer for this
# machine.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# and compare (the second starts two processes, a few seconds; the others run
# at once). The solutions are the code that nlptut's own tests run, so they
# stay correct.
#
# 1. **Unequal halves.** A batch of 8 tweets is split 5 + 3 between two
#    processes. Is the plain average of their two gradients still the
#    gradient of the whole batch? What about the average weighted by the
#    number of tweets?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/more_processes.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       The plain average is off (each tweet of the smaller share counts for
#       more); the weighted average matches up to float rounding. DDP takes
#       the plain average, so it relies on every process getting the same
#       number of tweets per step, which the next two exercises look at.
#
# 2. **All-reduce yourself.** Start two processes with ``torchrun``; rank 0
#    holds ``[1, 10]`` and rank 1 ``[2, 20]``. What does each hold after an
#    all-reduce that sums, and after one that takes the largest value?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/more_processes.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       Both hold ``[3, 30]`` after the sum and ``[2, 20]`` after the
#       maximum: an all-reduce hands *every* process the same result. The
#       same file is the program each process runs (``worker``) and the one
#       that starts them: torchrun sets ``RANK`` in the processes it starts.
#
# 3. **Equal shares.** PyTorch's ``DistributedSampler`` deals the examples
#    out to the processes. How does it deal 10 examples to 3 processes, and
#    what changes with ``drop_last=True``?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/more_processes.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Round the table, like cards: rank 0 gets 0, 3, 6, 9, rank 1 gets 1,
#       4, 7 and rank 2 gets 2, 5, 8, and to give every process four, the
#       sampler deals examples 0 and 1 a second time. With ``drop_last=True``
#       it leaves example 9 out instead, and every process gets three. Either
#       way the shares are equal, as exercise 1 needs.
