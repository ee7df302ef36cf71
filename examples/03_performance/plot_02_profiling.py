"""
Profiling a training step: find the bottleneck, fix it, measure
===============================================================

A profiler records every operation a program runs and how long it took, so
that you optimise what is slow instead of what you guess is slow. This page
profiles training steps of nlptut's :term:`Transformer` on English tweets
labelled with six emotions (dair-emotion) with ``torch.profiler``: the
operator table, labelled phases of the step, memory, a schedule that writes a
trace you can download and open, and then it uses what the profile shows to
find a real bottleneck in the training loop, fixes it and measures the
speed-up.

**Before this page:** :doc:`plot_01_mixed_precision` (how the pages time
things). **After it** you can profile a training step, read the operator table
and the trace, and find a bottleneck.
"""

# %%
# The machine this page ran on
# ----------------------------
# A profile describes one machine: the numbers below come from the CPU, the
# thread count and the PyTorch version printed here, measured when the page
# was built.

import copy
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile, record_function, schedule

from nlptut.claims import expect
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hardware import describe_hardware, hardware_summary
from nlptut.models import build_model, count_parameters
from nlptut.text import EncodedDataset, Vocabulary, make_loader, padding_fraction

QUICK = quick_mode()
HARDWARE = describe_hardware()
print(hardware_summary(HARDWARE))

# %%
# A training step with labels
# ---------------------------
# We train nlptut's Transformer classifier with AdamW on the training tweets,
# batched by a plain shuffled loader (``bucket=False``), as most training scripts
# start. ``record_function`` puts a label around each phase of the loop, so the
# profile can say how long loading a :term:`batch` ("data"), the forward pass,
# the backward pass and the :term:`optimizer` took.

data = load_dataset("dair-emotion", limit=400 if QUICK else None)
vocab = Vocabulary.build(data["train"].texts, min_freq=2)
train_set = EncodedDataset.from_texts(data["train"].texts, data["train"].labels, vocab, max_len=64)
PHASES = ("data", "forward", "backward", "optimizer")


def train_steps(model, optimizer, loader, steps=None, prof=None) -> list[float]:
    """Train on ``steps`` batches of ``loader`` (all by default); return the losses."""
    model.train()
    batches = iter(loader) if steps is None else islice(loader, steps)
    losses = []
    while True:
        with record_function("data"):
            batch = next(batches, None)  # collate a batch of padded token ids
        if batch is None:
            return losses
        with record_function("forward"):
            logits = model(batch.ids, batch.mask)  # (batch, classes)
            loss = F.cross_entropy(logits, batch.labels)
        with record_function("backward"):
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
        with record_function("optimizer"):
            optimizer.step()
        losses.append(loss.item())
        if prof is not None:
            prof.step()  # tell a scheduled profiler that a step ended


torch.manual_seed(0)
model = build_model("transformer", len(vocab), len(data.labels))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
plain_loader = make_loader(train_set, batch_size=32, shuffle=True, bucket=False, seed=0)
train_steps(model, optimizer, plain_loader, steps=2)  # warm-up: first calls set up kernels
print(f"{len(train_set):,} training tweets, batches of 32, {count_parameters(model):,} parameters")

# %%
# The operator table
# ------------------
# We profile four training steps and print the ten operators that took the most
# *self* CPU time (time inside the operator itself, not in the operators it
# calls; "CPU total" includes those). ``aten::`` operators are PyTorch's
# kernels: ``mm``, ``bmm`` and ``addmm`` are matrix multiplies, ``bernoulli_``
# draws the random masks of dropout, and the labels of our phases appear as
# rows too.

with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    train_steps(model, optimizer, plain_loader, steps=4)
print(
    prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10, max_name_column_width=28)
)

# %%
# Where the step's time goes
# --------------------------
# The rows of our four labels split each step into its phases. Their "CPU
# total" holds everything that ran inside the label.

totals = {event.key: event.cpu_time_total for event in prof.key_averages()}
step_us = sum(totals[phase] for phase in PHASES)
for phase in PHASES:
    print(
        f"{phase:<10} {totals[phase] / 4 / 1e3:8.1f} ms per step ({totals[phase] / step_us:6.1%})"
    )
data_share = totals["data"] / step_us

# %%
# Loading and collating a batch costs little; forward and backward passes
# dominate. So a faster data pipeline would not help here. The question is why
# the forward and backward passes cost what they do.
#
# Memory
# ------
# With ``profile_memory=True`` the profiler also records every allocation. The
# "Self CPU Mem" column is the memory an operator allocated minus what it
# freed; sorted by it, the table shows which operators hold the memory of a
# training step: the activations that the forward pass keeps for the backward
# pass, and the matrix multiplies' outputs.

with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as memory_prof:
    train_steps(model, optimizer, plain_loader, steps=2)
print(
    memory_prof.key_averages().table(
        sort_by="self_cpu_memory_usage", row_limit=8, max_name_column_width=28
    )
)

# %%
# A schedule, and a trace to download
# -----------------------------------
# Profiling a long run would record millions of events. A *schedule* profiles
# only some steps: here it skips one step (``wait``), profiles one step and
# throws it away (``warmup``, to leave the profiler's own start-up cost out),
# records three (``active``), then calls ``on_trace_ready``. Our handler keeps
# the averages and writes a *trace*: a timeline of every operator, compressed
# with gzip (``.gz``), that you can open in https://ui.perfetto.dev or in
# Chrome at ``chrome://tracing``.
#
# The trace of the three steps below, recorded when this page was built, is
# here: :download:`profiling_trace.json.gz <profiling_trace.json.gz>`. Zoom in
# on one step to see the forward, backward and optimizer labels, and inside
# them each matrix multiply and dropout, in the order they ran.


def output_folder() -> Path:
    """Where this page writes its trace.

    sphinx-gallery runs the script without ``__file__``, from the script's own
    folder (``examples/03_performance``), after copying it beside the page it
    renders (``docs/<gallery>/03_performance``). A file written beside that copy
    can be linked from the page with ``:download:``. Run as a script (or in a
    notebook), the trace goes to ``runs/`` in the current folder.
    """
    here = Path.cwd()
    if "__file__" not in globals() and len(here.parents) >= 2:
        script = Path(sys.argv[0]).name  # sphinx-gallery sets argv[0] to the script
        copies = sorted((here.parents[1] / "docs").glob(f"*/{here.name}/{script}"))
        if copies:
            return copies[0].parent
    folder = here / "runs"
    folder.mkdir(exist_ok=True)
    return folder


trace_path = output_folder() / "profiling_trace.json.gz"
scheduled = {}


def on_trace_ready(prof):
    prof.export_chrome_trace(str(trace_path))  # a .gz name makes it gzip the trace
    scheduled["averages"] = prof.key_averages()


with profile(
    activities=[ProfilerActivity.CPU],
    record_shapes=True,
    schedule=schedule(wait=1, warmup=1, active=3),
    on_trace_ready=on_trace_ready,
) as prof:
    train_steps(model, optimizer, plain_loader, steps=5, prof=prof)
shown = trace_path.name if "__file__" not in globals() else trace_path
print(f"trace of 3 steps written to {shown} ({trace_path.stat().st_size / 1024:.0f} KiB)")

# %%
# The most expensive operators
# ----------------------------
# The same averages as a chart: self CPU time per training step of the ten
# most expensive operators of the three recorded steps.

ops = [e for e in scheduled["averages"] if e.key not in PHASES and not e.key.startswith("Prof")]
top = sorted(ops, key=lambda e: e.self_cpu_time_total, reverse=True)[:10]
fig, ax = plt.subplots(figsize=(6.5, 3.5))
ax.barh([e.key for e in top][::-1], [e.self_cpu_time_total / 3 / 1e3 for e in top][::-1])
ax.set_xlabel("self CPU time per training step (ms)")
ax.set_title("Where a training step spends its time (batches not bucketed)", fontsize=10)
fig.tight_layout()

# %%
# A clue in the shapes
# --------------------
# With ``record_shapes=True`` the profiler keeps the shape of every input. The
# :term:`embedding` lookup's second input is the batch of :term:`token` ids,
# ``(batch, seq_len)``: every later operator works on that many positions. We
# print it for the three recorded steps, and compare it with the length of the
# tweets.

id_shapes = [e.input_shapes[1] for e in prof.events() if e.name == "aten::embedding"]
for batch_size, seq_len in id_shapes:
    print(f"token ids ({batch_size}, {seq_len}): every tweet of the batch padded to {seq_len}")
lengths = torch.tensor(train_set.lengths, dtype=torch.float)
print(
    f"a tweet has {lengths.mean():.1f} tokens on average (median {lengths.median():.0f}, "
    f"longest {lengths.max():.0f})"
)

# %%
# A batch is :term:`padded <padding>` to its longest tweet, and 32 tweets drawn
# at random usually include a long one, so most rows of the batch are padding:
# the matrix multiplies, the :term:`attention` (whose cost grows with the
# square of the length) and the dropout masks all work on positions that the
# mask then throws away. ``padding_fraction`` measures the waste over a whole
# :term:`epoch`.
#
# The fix: batch tweets of similar length
# ---------------------------------------
# ``make_loader(..., bucket=True)`` (nlptut's default) shuffles the tweets,
# sorts each chunk of 50 batches by length, cuts it into batches and shuffles
# the batches: every batch holds tweets of similar length, and the order is
# still random.

bucket_loader = make_loader(train_set, batch_size=32, shuffle=True, bucket=True, seed=0)
for name, loader in (("without", plain_loader), ("with", bucket_loader)):
    waste = padding_fraction(loader)
    print(
        f"padding {name + ' bucketing:':<19} {waste:6.1%} of all positions "
        f"({1 / (1 - waste):.2f} positions computed per real token)"
    )

# %%
# Before and after, measured
# --------------------------
# Same model (same initial :term:`weights <weight>`), same tweets, batched two ways: one epoch over
# the first 512 training tweets (16 steps) with each loader, timed without
# the profiler. We time each epoch three times, alternating the two loaders so
# that a busy moment of the machine hits both alike, and keep the median. The
# masks make padding invisible to the model's output, so both runs learn the
# same task; only the cost changes.

n_tweets, repeats = (320, 2) if QUICK else (512, 3)
subset = EncodedDataset(train_set.ids[:n_tweets], train_set.labels[:n_tweets])
torch.manual_seed(0)
fresh = build_model("transformer", len(vocab), len(data.labels))
initial = copy.deepcopy(fresh.state_dict())
LOADERS = {"not bucketed": False, "bucketed": True}
seconds = {name: [] for name in LOADERS}
steps = {}
for _ in range(repeats):
    for name, bucket in LOADERS.items():
        fresh.load_state_dict(initial)
        optimizer = torch.optim.AdamW(fresh.parameters(), lr=1e-3)
        loader = make_loader(subset, batch_size=32, shuffle=True, bucket=bucket)  # seed 0
        start = time.perf_counter()
        losses = train_steps(fresh, optimizer, loader)
        seconds[name].append(time.perf_counter() - start)
        steps[name] = len(losses)
epoch = {name: statistics.median(times) for name, times in seconds.items()}
for name, bucket in LOADERS.items():
    waste = padding_fraction(make_loader(subset, batch_size=32, shuffle=True, bucket=bucket))
    print(
        f"{name:<13} {epoch[name]:6.2f} s per epoch of {steps[name]} steps "
        f"(median of {repeats}; {min(seconds[name]):.2f} to {max(seconds[name]):.2f} s), "
        f"padding {waste:.1%}"
    )
print(f"speed-up: {epoch['not bucketed'] / epoch['bucketed']:.2f}x")
expect(
    epoch["not bucketed"] > epoch["bucketed"],
    "batching tweets of similar length made the epoch faster",
    numbers=f"{epoch['not bucketed']:.2f} s against {epoch['bucketed']:.2f} s per epoch",
)

# %%
# The profile, before and after
# -----------------------------
# Profiling five steps with each loader (after a schedule's wait and warm-up
# steps) shows where the time went: the phases, per step. Five batches are a
# small sample of an epoch, so the epoch times above are the measurement; the
# profile shows *which phases* got faster.

per_step = {}
for name, bucket in LOADERS.items():
    loader = make_loader(subset, batch_size=32, shuffle=True, bucket=bucket, seed=1)
    with profile(
        activities=[ProfilerActivity.CPU],
        schedule=schedule(wait=1, warmup=1, active=5),
        on_trace_ready=lambda p: scheduled.update(averages=p.key_averages()),
    ) as prof:
        train_steps(fresh, optimizer, loader, steps=7, prof=prof)
    totals = {e.key: e.cpu_time_total for e in scheduled["averages"]}
    per_step[name] = [totals[phase] / 5 / 1e3 for phase in PHASES]
    print(
        f"{name:<13} "
        + "  ".join(
            f"{phase} {ms:6.1f} ms" for phase, ms in zip(PHASES, per_step[name], strict=True)
        )
    )

share = {name: ms[PHASES.index("optimizer")] / sum(ms) for name, ms in per_step.items()}
expect(
    data_share < 0.2 and share["bucketed"] > share["not bucketed"],
    "loading data was a small share of a step, and the optimizer's share grows once the "
    "padding is gone",
    numbers=f"data {data_share:.0%}; optimizer {share['not bucketed']:.0%} of a step "
    f"without bucketing, {share['bucketed']:.0%} with",
)

fig, ax = plt.subplots(figsize=(6.5, 2.6))
left = [0.0, 0.0]
for i, phase in enumerate(PHASES):
    widths = [per_step[name][i] for name in per_step]
    ax.barh(list(per_step), widths, left=left, label=phase)
    left = [a + b for a, b in zip(left, widths, strict=True)]
ax.set_xlabel("CPU time per training step (ms)")
ax.set_title("One training step, by phase")
ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
fig.tight_layout()

# %%
# Takeaway
# --------
# The profile answered two questions. *Where* does the time go: into the
# forward and backward passes, mostly matrix multiplies and dropout; loading
# data was a small share (under a fifth of a step), so a faster data
# pipeline would not have helped.
# *Why*: the recorded shapes showed the model computing on batches padded to
# their longest tweet, and ``padding_fraction`` put a number on the waste.
# Batching tweets of similar length removed most of that work, and the epoch
# got faster by the factor printed above, with the same model and data.
# Profile first, change the one thing the profile points at, then measure
# again. The next candidates are other rows of the operator table, such as
# dropout's random masks (``aten::bernoulli_``), and the optimizer, whose share
# of a step grows once the padding is gone. PyTorch's AdamW, as created on
# this page, updates the weights one tensor at a time on a CPU (the
# ``aten::sqrt`` row counts one call per weight tensor and step);
# ``torch.optim.AdamW(..., fused=True)`` updates them all in one pass, and
# nlptut's training takes it with ``TrainConfig(fused=True)``.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (made-up tweets and one small :term:`layer`, it runs at once) and compare. The
# solutions are the code that nlptut's own tests run, so they stay correct.
#
# 1. **Padding by hand.** One batch holds four tweets of 5, 10, 20 and 25
#    tokens. What shape does the padded batch have, and what share of it is
#    padding?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/profiling.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       4 rows of 25 (the longest tweet): 100 positions for 60 real tokens,
#       so 40% is padding, work the model does and the mask throws away.
#
# 2. **Sorting first.** The same four tweets arrive in the order 5, 25, 10,
#    20 and go into batches of two. What share is padding as they come, and
#    after sorting them by length?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/profiling.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       A third as they come (5 is padded to 25, and 10 to 20: 90 positions
#       for 60 tokens), about 14% sorted (5 with 10, 20 with 25: 70
#       positions). This is the fix of this page, in miniature: the bucketing
#       loader sorts within chunks of shuffled tweets, so batches stay
#       random from one epoch to the next.
#
# 3. **Inside a linear layer.** Profile one call of ``nn.Linear(64, 6)`` on
#    a batch of 32, with a ``record_function`` label around it. Which
#    operators appear, and which one does the multiplying?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/profiling.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Your label, then ``aten::linear``, which calls ``aten::t`` (the
#       transpose of the weights, a view that copies nothing) and
#       ``aten::addmm``: "add" the bias to a "matrix multiply", the one
#       operator that does the arithmetic. The rows of the page's operator
#       table are such operators, summed over a whole training step.
