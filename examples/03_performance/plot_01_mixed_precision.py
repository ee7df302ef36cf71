"""
Automatic mixed precision: training in 16-bit floats
====================================================

:term:`Mixed precision <mixed precision>` trains a network with most of its
arithmetic in 16-bit floating-point numbers instead of 32-bit ones, which
halves the memory traffic and lets chips with 16-bit units multiply matrices
several times faster, while the :term:`weights <weight>` and the :term:`loss`
stay in 32 bits so that training still converges
:cite:p:`micikevicius2018mixed`. This page compares the three float formats,
shows which operations ``torch.autocast`` runs in which format, measures the
speed of matrix multiplies and of training nlptut's :term:`Transformer` on
English tweets labelled with six emotions (dair-emotion), and says when mixed
precision does not help.

**Before this page:** :doc:`../02_emotion/plot_01_emotion_end_to_end` (a
training step). **After it** you can tell whether 16-bit arithmetic speeds up
training on your machine, and turn it on or off.
"""

# %%
# The machine this page ran on
# ----------------------------
# Every number on this page was measured when the page was built, so read it
# against the machine printed here: the CPU (and whether it has bfloat16
# instructions, which matters below), the threads PyTorch used, the GPU if
# there was one, and the PyTorch version.

import math
import time
from itertools import islice

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch.utils import benchmark

from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hardware import bf16_is_native, describe_hardware, hardware_summary
from nlptut.models import build_model, count_parameters
from nlptut.precision import choose_precision
from nlptut.text import EncodedDataset, Vocabulary, make_loader

QUICK = quick_mode()
HARDWARE = describe_hardware()
THREADS = torch.get_num_threads()  # every timing on this page uses these threads
AUTO = choose_precision("auto", "cpu")  # what nlptut's default chooses on this CPU
print(hardware_summary(HARDWARE))
print(f'amp="auto" chooses: {AUTO.reason}')

# %%
# Three ways to store a real number
# ---------------------------------
# A floating-point number is a sign, an *exponent* (which power of two, so the
# range) and a *fraction* (the digits after the point, so the precision).
# ``torch.finfo`` tells what each format can hold. ``float16`` ("half") spends
# 5 bits on the exponent and 10 on the fraction: fine digits, a narrow range.
# ``bfloat16`` ("brain float") keeps float32's 8 exponent bits, so the same
# range, and has only 7 fraction bits: about two to three decimal digits.
# ``eps`` is the gap between 1 and the next number (half of it is the largest
# relative rounding error), and "digits" the decimal digits a format keeps.

FORMATS = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
print(
    f"{'format':<9} {'bits':>4} {'exp.':>4} {'frac.':>5} {'largest':>9} {'smallest normal':>15} "
    f"{'smallest':>9} {'eps':>8} {'digits':>6}"
)
for name, dtype in FORMATS.items():
    info = torch.finfo(dtype)
    fraction_bits = round(-math.log2(info.eps))
    exponent_bits = info.bits - 1 - fraction_bits
    smallest = info.smallest_normal * info.eps  # the smallest subnormal number
    print(
        f"{name:<9} {info.bits:>4} {exponent_bits:>4} {fraction_bits:>5} {info.max:>9.2e} "
        f"{info.smallest_normal:>15.2e} {smallest:>9.1e} {info.eps:>8.1e} "
        f"{-math.log10(info.resolution):>6.0f}"
    )

# %%
# Range and precision, pictured
# -----------------------------
# We round a million random numbers spread from :math:`10^{-46}` to
# :math:`10^{39}` to each format and plot the worst relative rounding error
# among the numbers of each small range of magnitudes. Where a format's line is
# flat it keeps all its digits; to the left it runs out of exponent: the
# numbers become *subnormal* (fewer digits, a rising error), then round to
# zero (error 1). The line stops where the format overflows to infinity
# (dotted). float16 covers only about :math:`6\times10^{-8}` to 65,504, a
# range that :term:`gradients <gradient>` and activations often leave.

torch.manual_seed(0)
exponents = torch.rand(100_000 if QUICK else 1_000_000, dtype=torch.float64) * 85 - 46
numbers = 10.0**exponents  # (n,) float64 "true" values
bins = ((exponents + 46) * 4).long()  # quarter-decade bins
centers = 10.0 ** (torch.arange(int(bins.max()) + 1) / 4 - 46 + 0.125)
fig, ax = plt.subplots(figsize=(6.5, 3.5))
for name, dtype in FORMATS.items():
    rounded = numbers.to(dtype).to(torch.float64)
    error = (rounded - numbers).abs() / numbers
    error[rounded.isinf()] = float("inf")  # overflow
    worst = torch.zeros(len(centers), dtype=torch.float64).scatter_reduce(
        0, bins, error, reduce="amax"
    )
    worst[worst.isinf()] = float("nan")  # draw no line past the largest number
    (line,) = ax.loglog(centers, worst, label=name, lw=1.5)
    ax.axvline(torch.finfo(dtype).max, color=line.get_color(), ls=":", lw=1)
ax.set_xlabel("magnitude of the number")
ax.set_ylabel("worst relative rounding error")
ax.set_xlim(1e-46, 1e39)
ax.set_ylim(1e-9, 1e3)
ax.set_title("Range and precision of the three formats")
ax.legend(ncols=3, loc="upper center")
fig.tight_layout()

# %%
# What goes wrong in 16 bits
# --------------------------
# Three numbers show the three failures: 70,000 overflows float16; a gradient
# of :math:`10^{-8}` underflows to zero in float16 (but not in bfloat16); and
# bfloat16 cannot tell 256 from 257, since with 8 significant bits the gap
# between neighbours at 256 is 2.

for value in [70_000.0, 1e-8, 257.0]:
    row = "   ".join(
        f"{name}: {torch.tensor(value).to(dtype).item():<10.6g}" for name, dtype in FORMATS.items()
    )
    print(f"{value:<8g} -> {row}")

# %%
# Which operations autocast runs in 16 bits
# -----------------------------------------
# ``torch.autocast`` does not convert a model to 16 bits. It intercepts each
# operation and picks its precision from a list: matrix multiplies (``linear``,
# ``matmul``, convolutions) run in the low-precision type, because they are
# fast and accumulate in 32 bits inside; operations that need range or many
# digits (losses, and on CUDA also :term:`softmax`, layer norm, ``exp``,
# ``sum``) run in float32; all others run in the type of their input. We call
# a few operations under CPU autocast with a float32 and a bfloat16 input and
# print the type of the result.

weight = torch.randn(16, 16)  # a float32 "parameter"
OPERATIONS = {
    "linear": lambda x: F.linear(x, weight.to(x.device)),
    "matmul x @ x.T": lambda x: x @ x.T,
    "softmax": lambda x: x.softmax(dim=-1),
    "log_softmax": lambda x: x.log_softmax(dim=-1),
    "layer_norm": lambda x: F.layer_norm(x, (16,)),
    "gelu": F.gelu,
    "exp": torch.exp,
    "sum": torch.sum,
    "x + float32 tensor": lambda x: x + torch.ones(16, device=x.device),
    "cross_entropy": lambda x: F.cross_entropy(
        x, torch.zeros(len(x), dtype=torch.long, device=x.device)
    ),
}


def short(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def output_dtypes(device: str, low: torch.dtype) -> None:
    """Print each operation's output type under autocast, for float32 and ``low`` inputs."""
    x = torch.randn(8, 16, device=device)  # float32
    inputs = (x, x.to(low))
    groups = {}
    print(f"autocast({device!r}, dtype={low})")
    print(f"  {'operation':<20} {'float32 input':>15} {short(low) + ' input':>15}")
    with torch.autocast(device, dtype=low):
        for name, op in OPERATIONS.items():
            out32, out_low = (op(i).dtype for i in inputs)
            print(f"  {name:<20} {short(out32):>15} {short(out_low):>15}")
            if out32 == out_low:
                groups.setdefault(f"always {short(out32)}", []).append(name)
            else:
                groups.setdefault("same type as the input", []).append(name)
    for group, ops in groups.items():
        print(f"{group}: {', '.join(ops)}")


output_dtypes("cpu", torch.bfloat16)

# %%
# Reading the groups: the matrix multiplies always give bfloat16, whatever
# their input; the loss always gives float32; the rest follow their input.
# Adding a float32 :term:`tensor` to a bfloat16 one gives float32 (PyTorch's type
# promotion), so a residual connection ``x + f(x)`` keeps its running sum in
# float32. On CUDA the float32 list is longer (see the GPU section below).
#
# Autocast inside a Transformer
# -----------------------------
# Forward hooks see every module's output. We run nlptut's Transformer
# classifier on a real :term:`batch` of tweets under CPU autocast and print
# what each module returns (dropout layers left out), then run the backward
# pass.

data = load_dataset("dair-emotion", limit=1_000 if QUICK else 8_000)
vocab = Vocabulary.build(data["train"].texts, min_freq=2)
train_set = EncodedDataset.from_texts(data["train"].texts, data["train"].labels, vocab, max_len=64)
batch = next(iter(make_loader(train_set, batch_size=32, shuffle=True, seed=0)))

torch.manual_seed(0)
model = build_model("transformer", len(vocab), len(data.labels))
seen = []


def record_output(module, inputs, output):
    output = output[0] if isinstance(output, tuple) else output  # attention returns a pair
    seen.append((module, str(output.dtype).removeprefix("torch.")))


names = {module: name for name, module in model.named_modules()}
hooks = [
    module.register_forward_hook(record_output)
    for module in model.modules()
    if not isinstance(module, torch.nn.Dropout)
    and (not list(module.children()) or isinstance(module, torch.nn.MultiheadAttention))
]
with torch.autocast("cpu", dtype=torch.bfloat16):
    logits = model(batch.ids, batch.mask)  # (batch, classes)
    loss = F.cross_entropy(logits, batch.labels)
loss.backward()
for handle in hooks:
    handle.remove()

for module, dtype in seen:
    print(f"{names[module]:<28} {type(module).__name__:<20} -> {dtype}")
print(f"{'loss':<28} {'cross_entropy':<20} -> {str(loss.dtype).removeprefix('torch.')}")
print(
    "weights:",
    {str(p.dtype) for p in model.parameters()},
    " gradients:",
    {str(p.grad.dtype) for p in model.parameters() if p.grad is not None},
)

# %%
# The linear layers (and the :term:`attention`, which is made of them) compute in
# bfloat16; the :term:`embeddings <embedding>`, the loss and the layer norms (whose input, the
# residual sum, is float32) stay in float32, and so do the weights and their
# gradients: autocast casts a *copy* of each weight to
# 16 bits for the multiply. Keeping a float32 "master copy" of the weights is
# the core idea of :cite:t:`micikevicius2018mixed`: an update
# ``lr * gradient`` is often smaller than the gap between neighbouring 16-bit
# numbers and would be lost.
#
# Why float16 needs a gradient scaler
# -----------------------------------
# Gradients are small numbers. We capture the gradients that flow out of every
# linear layer in the backward pass of one float32 training step and count how
# many would be subnormal (fewer digits) or zero in each format, and in
# float16 after multiplying the loss by :math:`2^{16}`, which is what
# ``torch.amp.GradScaler`` does (it divides the weight gradients back before the
# :term:`optimizer` step, and skips a step whose gradients overflowed).

torch.manual_seed(0)
model = build_model("transformer", len(vocab), len(data.labels))
captured = []


def capture_gradient(module, inputs, output):
    output.register_hook(lambda grad: captured.append(grad.detach().flatten()))


hooks = [
    m.register_forward_hook(capture_gradient)
    for m in model.modules()
    if isinstance(m, torch.nn.Linear)
]
F.cross_entropy(model(batch.ids, batch.mask), batch.labels).backward()
for handle in hooks:
    handle.remove()
grads = torch.cat(captured).double()
grads = grads[grads != 0]
print(f"{len(grads):,} gradient values, median |g| = {grads.abs().median().item():.1e}")
print(f"{'stored as':<26} {'subnormal':>10} {'zero':>8} {'inf':>8}")
for label, dtype, scale in [
    ("float16", torch.float16, 1),
    ("bfloat16", torch.bfloat16, 1),
    ("float16, loss x 2**16", torch.float16, 2**16),
]:
    stored = (grads * scale).to(dtype)
    subnormal = (stored != 0) & (stored.abs() < torch.finfo(dtype).smallest_normal)
    print(
        f"{label:<26} {subnormal.double().mean().item():>10.1%} "
        f"{(stored == 0).double().mean().item():>8.2%} "
        f"{stored.isinf().double().mean().item():>8.2%}"
    )

# %%
# The training step with autocast and a gradient scaler
# -----------------------------------------------------
# This is the whole recipe, for any device and type. The forward pass and the
# loss run under ``torch.autocast``; the backward pass runs outside it (it
# uses the types the forward pass chose). The scaler is only needed for
# float16: bfloat16 has float32's range, so we pass ``enabled=False`` and its
# calls do nothing. The old spelling ``torch.cuda.amp.autocast`` /
# ``torch.cuda.amp.GradScaler`` is deprecated: use ``torch.autocast(device)`` and
# ``torch.amp.GradScaler(device)``.


def train_steps(model, batches, device: torch.device, dtype: torch.dtype):
    """Train ``model`` on ``batches`` under autocast; return the losses and the scaler."""
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)
    losses = []
    for batch in batches:
        batch = batch.to(device)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32):
            logits = model(batch.ids, batch.mask)  # (batch, classes), in dtype
            loss = F.cross_entropy(logits, batch.labels)  # float32, on autocast's list
        scaler.scale(loss).backward()  # loss * scale (unchanged when disabled)
        scaler.step(optimizer)  # unscale the gradients, skip the step on inf/nan
        scaler.update()  # halve the scale after a skip, double it after 2,000 good steps
        losses.append(loss.item())
    return losses, scaler


# %%
# Three things a real training loop adds (nlptut's own loops,
# ``nlptut.training.train`` and the fine-tuning loop, clip this way):
#
# * **Clipping the gradients** (limiting their overall size, a common guard
#   against a sudden huge step) must see the *true* gradients, not the
#   scaled ones: call ``scaler.unscale_(optimizer)`` first, then clip, then
#   ``scaler.step(optimizer)``, which knows they are unscaled already::
#
#       scaler.scale(loss).backward()
#       scaler.unscale_(optimizer)
#       torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
#       scaler.step(optimizer)
#       scaler.update()
#
# * **A checkpoint for resuming** keeps the scaler's state beside the
#   model's and the optimizer's (``scaler.state_dict()``, read back with
#   ``scaler.load_state_dict``): otherwise a resumed float16 run starts again
#   from the initial scale and skips steps while it finds its level.
# * **TF32 on recent NVIDIA GPUs** (Ampere and later): even without
#   autocast, ``torch.set_float32_matmul_precision("high")`` lets float32
#   matrix multiplies use the tensor cores with a 10-bit mantissa (the
#   precision of float16, the range of float32), often several times faster
#   for a small loss of digits. It changes nothing on a CPU; the default,
#   printed below, is ``"highest"``: full float32.

print("float32 matrix multiply precision:", torch.get_float32_matmul_precision())

few_batches = list(islice(make_loader(train_set, batch_size=32, shuffle=True), 5))
torch.manual_seed(0)
losses, scaler = train_steps(
    build_model("transformer", len(vocab), len(data.labels)),
    few_batches,
    torch.device("cpu"),
    torch.bfloat16,
)
print(
    "CPU, bfloat16: losses",
    [round(x, 3) for x in losses],
    "| gradient scaler enabled:",
    scaler.is_enabled(),
)

# %%
# On a GPU: float16 with a gradient scaler, and bfloat16
# ------------------------------------------------------
# NVIDIA GPUs have tensor cores that multiply float16 and bfloat16 matrices many
# times faster than float32 ones, which is where mixed precision shines. This
# cell runs when PyTorch sees a CUDA GPU: it prints the CUDA autocast table
# (note the longer float32 list) and times 50 training steps in each type.
# Without a GPU it says so and skips; copy it to a GPU machine to run it.

if torch.cuda.is_available():
    cuda = torch.device("cuda")
    output_dtypes("cuda", torch.float16)
    gpu_batches = list(islice(make_loader(train_set, batch_size=64, shuffle=True), 60))
    for dtype in (torch.float32, torch.float16, torch.bfloat16):
        if dtype == torch.bfloat16 and not bf16_is_native("cuda"):
            print(f"{torch.cuda.get_device_name()} has no native bfloat16: skipped")
            continue
        torch.manual_seed(0)
        gpu_model = build_model("transformer", len(vocab), len(data.labels))
        train_steps(gpu_model, gpu_batches[:10], cuda, dtype)  # warm-up
        torch.cuda.synchronize()
        start = time.perf_counter()
        losses, scaler = train_steps(gpu_model, gpu_batches[10:], cuda, dtype)
        torch.cuda.synchronize()
        ms = (time.perf_counter() - start) / len(losses) * 1e3
        scale = f", final scale {scaler.get_scale():g}" if scaler.is_enabled() else ""
        print(f"{short(dtype):<9} {ms:6.2f} ms/step, last loss {losses[-1]:.3f}{scale}")
else:
    print(
        "Skipped: CUDA is not available on this machine "
        f"(PyTorch {torch.__version__}, built with CUDA: {torch.version.cuda or 'no'}). "
        "Run this page on a GPU to see the CUDA autocast table and float16/bfloat16 timings."
    )

# %%
# Matrix multiplies on this CPU: float32 against bfloat16
# -------------------------------------------------------
# Most of a network's time goes into matrix multiplies, so we time them first,
# with ``torch.utils.benchmark.Timer`` (it warms up, repeats the call until
# enough time has passed, and reports the median). The timer runs on one
# thread unless told otherwise; we give it every thread PyTorch uses here, as
# training does. Three variants per size :math:`n`: float32; bfloat16 on
# inputs that are already bfloat16 (the multiply alone); and float32 inputs
# under ``torch.autocast``, which must first cast both inputs, as it does for
# every weight in a model.

sizes = [64, 256] if QUICK else [32, 64, 128, 256, 512]
min_run_time = 0.05 if QUICK else 0.2
timings = {"float32": [], "bfloat16": [], "autocast": [], "casts": []}
for n in sizes:
    a, b = torch.randn(n, n), torch.randn(n, n)
    variants = {
        "float32": ("a @ b", {"a": a, "b": b}),
        "bfloat16": ("a @ b", {"a": a.bfloat16(), "b": b.bfloat16()}),
        "autocast": (
            "with torch.autocast('cpu', dtype=torch.bfloat16): a @ b",
            {"a": a, "b": b, "torch": torch},
        ),
        "casts": ("a.bfloat16(), b.bfloat16()", {"a": a, "b": b}),  # the copies alone
    }
    for name, (stmt, env) in variants.items():
        timer = benchmark.Timer(stmt, globals=env, num_threads=THREADS)
        timings[name].append(timer.blocked_autorange(min_run_time=min_run_time).median)
    print(
        f"n={n:<5} float32 {timings['float32'][-1] * 1e6:9.1f} µs   "
        f"bfloat16 {timings['bfloat16'][-1] * 1e6:9.1f} µs   "
        f"autocast {timings['autocast'][-1] * 1e6:9.1f} µs   "
        f"float32/autocast {timings['float32'][-1] / timings['autocast'][-1]:4.2f}x"
    )

labels = {
    "float32": "float32",
    "bfloat16": "bfloat16 inputs",
    "autocast": "float32 inputs under autocast",
}
fig, ax = plt.subplots(figsize=(6.5, 3.5))
for name in labels:
    gflops = [2 * n**3 / s / 1e9 for n, s in zip(sizes, timings[name], strict=True)]
    ax.plot(sizes, gflops, "o-", label=labels[name])
ax.set_xscale("log", base=2)
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.set_yscale("log")
ax.set_xlabel("matrix size n (an n x n times n x n multiply)")
ax.set_ylabel("GFLOP/s (higher is faster)")
ax.set_title(
    f"Matrix multiply on {HARDWARE['cpu']}, {THREADS} thread{'s' * (THREADS != 1)}",
    fontsize=10,
)
ax.legend()
fig.tight_layout()

# %%
# Two different costs hide in the autocast column. The *multiply itself* is
# the bfloat16-inputs column: on a CPU with bfloat16 instructions it beats
# float32 once the matrices are large enough to pay for the fixed start-up
# cost of its *kernel* (the routine that does the multiply); on a CPU without
# them PyTorch has no fast bfloat16 kernel and falls back to slow generic code,
# slower than float32 (the lines below say by how much).
# The *casts* are the other cost: copying both matrices to 16 bits, which we
# also timed on their own. It grows with :math:`n^2` while the multiply grows
# with :math:`n^3`, so it matters most for small matrices. For the smallest
# and the largest size, on this machine:


def times(ratio: float) -> str:
    """A ratio with the digits it deserves: 3.05x, 104x."""
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


for i in (0, -1):
    n, t32, t16, tauto, tcast = (values[i] for values in (sizes, *timings.values()))
    print(
        f"n={n}: the bfloat16 multiply alone takes {times(t16 / t32)} the float32 time; "
        f"the two casts take {tcast * 1e6:.1f} µs (microseconds), "
        f"{tcast / tauto:.2%} of autocast's time"
    )
slow_kernel = [
    n for n, a, b in zip(sizes, timings["float32"], timings["bfloat16"], strict=True) if b > a
]
print("sizes where the bfloat16 multiply alone was slower than float32:", slow_kernel or "none")

# %%
# The training step, timed
# ------------------------
# A training step is more than its matrix multiplies: embedding lookups, the
# optimizer, and Python around every call. We time one step (forward, loss,
# backward, AdamW; the median of repeated runs, on the same threads) of
# nlptut's bag-of-words model and its Transformer on the same tweets, in
# batches of 8 and of 128, in float32 and under bfloat16 autocast.


def step_milliseconds(net, batch, dtype: torch.dtype) -> float:
    """Median time of one training step of ``net`` on ``batch``, in milliseconds."""
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=dtype, enabled=dtype != torch.float32):
            loss = F.cross_entropy(net(batch.ids, batch.mask), batch.labels)
        loss.backward()
        optimizer.step()

    step()  # warm-up
    timer = benchmark.Timer("step()", globals={"step": step}, num_threads=THREADS)
    return timer.blocked_autorange(min_run_time=min_run_time).median * 1e3


def verdict_of(ratio: float) -> str:
    """'faster', 'slower', or 'about the same' (within 5%, less than timing noise)."""
    return "faster" if ratio > 1.05 else "slower" if ratio < 1 / 1.05 else "about the same"


print(f"{'model':<12} {'batch':>5} {'float32 ms':>10} {'bfloat16 ms':>11} {'float32/bf16':>12}")
step_ms = {}
for batch_size in (8, 128):
    step_batch = next(iter(make_loader(train_set, batch_size=batch_size, shuffle=True, seed=1)))
    for name in ("nbow", "transformer"):
        torch.manual_seed(0)
        net = build_model(name, len(vocab), len(data.labels))
        ms32 = step_milliseconds(net, step_batch, torch.float32)
        ms16 = step_milliseconds(net, step_batch, torch.bfloat16)
        step_ms[name, batch_size] = (ms32, ms16)
        verdict = verdict_of(ms32 / ms16)
        print(
            f"{name:<12} {batch_size:>5} {ms32:>10.1f} {ms16:>11.1f} {ms32 / ms16:>11.2f}x"
            f"  (bfloat16 {verdict})"
        )

# %%
# Training nlptut's Transformer: float32 against bfloat16
# -------------------------------------------------------
# Now the same training steps in both formats: the same model, :term:`seed`
# and :term:`batches <batch>` of 32 tweets, ``STEPS`` steps of AdamW, once in
# float32 and once under bfloat16 autocast, recording the training
# :term:`loss` at every step. Both runs take the same number of steps, on
# every CPU, so that the two curves can be compared step by step; it is
# small, because on a CPU without bfloat16 instructions a bfloat16 step can
# be several times slower (the table above shows by how much here). So few
# steps do not train a useful model; the question here is only whether
# bfloat16 follows float32's path.

STEPS = 4 if QUICK else 15
steps = list(islice(make_loader(train_set, batch_size=32, shuffle=True, seed=2), STEPS))
curves, seconds = {}, {}
for name, dtype in [("float32", torch.float32), ("bfloat16 autocast", torch.bfloat16)]:
    torch.manual_seed(0)
    net = build_model("transformer", len(vocab), len(data.labels))
    start = time.perf_counter()
    curves[name], _ = train_steps(net, steps, torch.device("cpu"), dtype)  # the recipe above
    seconds[name] = time.perf_counter() - start

gap = max(abs(a - b) for a, b in zip(*curves.values(), strict=True))
print(f"Transformer, {count_parameters(net):,} parameters, {STEPS} steps of 32 tweets")
for name, curve in curves.items():
    print(f"{name:<18} loss {curve[0]:.3f} -> {curve[-1]:.3f} in {seconds[name]:.1f} s")
fall = curves["float32"][0] - curves["float32"][-1]
print(
    f"largest gap between the two losses at the same step: {gap:.4f} "
    f"({gap / fall:.1%} of float32's fall of the loss, {fall:.3f})"
)
ratio = seconds["bfloat16 autocast"] / seconds["float32"]
print(f"the bfloat16 steps took {times(ratio)} the float32 steps' time (from unrounded times)")

fig, ax = plt.subplots(figsize=(6.5, 3.2))
for name, curve in curves.items():
    ax.plot(range(1, STEPS + 1), curve, "o-", label=name, alpha=0.8)
ax.set_xlabel("training step")
ax.set_ylabel("training loss (cross-entropy)")
ax.set_title("The same training steps in float32 and in bfloat16")
ax.legend()
fig.tight_layout()

# %%
# The two runs start from the same weights and see the same batches in the
# same order; what differs is the precision of the multiplies. Read the gap
# against how far the loss fell: a gap of a few percent of that fall or less
# means that bfloat16 took (almost) the same path (in the figure the two
# curves then lie on top of each other), so its savings, where the hardware
# brings them, cost little in what the model learns; a gap as large as the
# fall itself would say otherwise. Each run is timed once, so a busy moment of
# the machine can shift its time; the step timings above are medians of
# repeated runs.
#
# When mixed precision does not help
# ----------------------------------
# The measurements above show three cases, and this page printed which of them
# hold on this machine:
#
# * **A CPU without bfloat16 instructions** (``avx512_bf16`` or ``amx_bf16`` in
#   ``/proc/cpuinfo`` on x86, ``bf16`` on Arm): the bfloat16 multiply itself
#   runs through PyTorch's slow fallback, so matrix multiplies are slower
#   (the line below lists the sizes where they were, here).
# * **Small matrices**: even where the bfloat16 multiply is fast, its fixed
#   start-up cost and the casting of the inputs to 16 bits are more than a
#   small multiply saves.
# * **Steps that do little arithmetic**: with a small batch or a model made
#   mostly of lookups (the bag of words), a step's time goes to the optimizer,
#   the embedding lookups and Python, which autocast does not speed up, while
#   every weight is still cast on each call.

native = HARDWARE["cpu_native_bf16"]
print(
    "bfloat16 instructions on this CPU:",
    {True: "yes", False: "no", None: "unknown"}[native],
    ", ".join(HARDWARE["cpu_bf16_flags"]),
)
print(f'amp="auto" here: {AUTO.reason}')
slower = [
    n for n, a, b in zip(sizes, timings["float32"], timings["autocast"], strict=True) if b > a
]
print("matrix sizes where autocast was slower than float32:", slower or "none")
slower_steps = [
    f"{name} batch {size}"
    for (name, size), (a, b) in step_ms.items()
    if verdict_of(a / b) == "slower"
]
print("training steps where bfloat16 was over 5% slower:", ", ".join(slower_steps) or "none")

# %%
# Takeaway
# --------
# Mixed precision keeps the weights, the loss and the numerically delicate
# operations in float32 and runs the matrix multiplies in 16 bits. bfloat16
# has float32's range, so it needs no gradient scaler; float16 has more digits
# but a narrow range, so small gradients vanish unless a ``GradScaler``
# multiplies the loss first. Whether it pays off is a property of the hardware
# and of the model, and the lines printed above say how it went on the
# machine that built this page. That is why every function of nlptut that can
# use mixed precision takes ``amp="auto"`` by default
# (:func:`nlptut.precision.choose_precision`): bfloat16 only where the CPU or
# GPU computes in it natively, float16 with a gradient scaler on GPUs without
# bfloat16, float32 everywhere else. ``amp=True`` forces it, as this page did
# to compare; on your own machine, measure before you force it.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (a few numbers, it runs at once) and compare. The solutions are the code that
# nlptut's own tests run, so they stay correct.
#
# 1. **One plus a little.** Is ``1 + 0.001`` different from 1 in float32,
#    float16 and bfloat16?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/mixed_precision.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       In float32 and float16 yes, in bfloat16 no: the next number after 1
#       that bfloat16 can hold is 1 + 1/128 (about 1.0078), so 1.001 rounds
#       back to 1. A training step that changes a weight near 1 by less than
#       half of that is lost, which is why the optimizer keeps the weights in
#       float32 under autocast.
#
# 2. **A running sum.** Add 0.01 a thousand times, keeping the running total
#    in each format. Where does each total end?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/mixed_precision.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       float32 ends near 10 (10.0001), float16 a little short (about 9.95),
#       and bfloat16 at 4: once the total reaches 4, adding 0.01 is less than
#       half the gap to the next number bfloat16 can hold, so the total stops
#       growing. Sums over many numbers (a loss over a batch, a softmax)
#       lose the most, and autocast runs them in float32.
#
# 3. **Loss scaling.** A gradient of :math:`10^{-8}` in float16, as it is,
#    and after the loss was multiplied by 65,536 (a gradient scaler's usual
#    start). What survives, and what is left after dividing by 65,536 again
#    in float32?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/mixed_precision.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Alone it becomes 0; scaled, about 0.00066, which float16 holds; and
#       divided again in float32, about :math:`10^{-8}` (within a fraction of
#       a percent). This is what ``torch.amp.GradScaler`` does for float16 on
#       GPUs; bfloat16 needs no scaler, since its range reaches down as far
#       as float32's.
