"""
From model to application: compile, export to ONNX, quantize to int8
=====================================================================

A trained model is useful once it answers inside an application: a web
service, a phone app, a spreadsheet plug-in. Three tools of the PyTorch world
help it get there, and this page uses each on a :term:`Transformer` that
classifies English tweets into six emotions (dair-emotion), measuring speed,
size and :term:`accuracy` on the machine that builds the page:

* ``torch.compile`` turns the model's Python code into machine code that
  merges several steps into one (faster on many machines: the page measures
  whether it is on this one);
* **export to ONNX** (an open file format for neural networks) writes the
  model as one file that ONNX Runtime, a separate program, runs without
  PyTorch's training machinery;
* **int8** :term:`quantization` stores the :term:`weights <weight>` as 8-bit
  integers instead of 32-bit floats: a smaller file, and on many CPUs faster
  arithmetic.

**Before this page:** :doc:`../02_emotion/plot_01_emotion_end_to_end` (training a
classifier) and, for the timings, :doc:`plot_01_mixed_precision`. **After it** you
can ship a model with ``nlptut export`` and check what each step costs.
"""

# %%
# The machine this page ran on
# ----------------------------
# Speed depends on the machine, so here it is. Whether a C++ compiler is
# installed matters too: ``torch.compile`` writes C++ code for the CPU and
# needs one to build it.

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils import benchmark

from nlptut.classifier import TextClassifier
from nlptut.cli import main as nlptut_cli
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.deploy import OnnxClassifier, export_onnx, quantize_int8, quantize_onnx
from nlptut.hardware import describe_hardware, hardware_summary
from nlptut.models import count_parameters
from nlptut.shortruns import SHORT_RUNS, describe
from nlptut.text import EncodedDataset, collate

QUICK = quick_mode()
THREADS = torch.get_num_threads()  # every timing on this page uses these threads
print(hardware_summary(describe_hardware()))
COMPILER = shutil.which(os.environ.get("CXX", "g++")) or shutil.which("clang++")
print("C++ compiler for torch.compile:", COMPILER or "none found")
work_folder = tempfile.TemporaryDirectory(prefix="nlptut-app-")  # removed when Python exits
WORK = Path(work_folder.name)

# %%
# The model to ship
# -----------------
# nlptut's small Transformer, trained with the short run that the
# :doc:`../02_emotion/plot_04_four_networks_compared` page uses (the first
# line of the output gives its :term:`epochs <epoch>`, :term:`batch` size and
# :term:`learning rate`, chosen on the :term:`validation split`), then saved
# as a checkpoint folder as ``nlptut train`` would.

data = load_dataset("dair-emotion", limit=600 if QUICK else None)
classifier, result = TextClassifier.fit(
    data, "transformer", progress=False, **SHORT_RUNS["transformer"]
)
print(f"short run: {describe('transformer')}")
checkpoint = classifier.save(WORK / "checkpoint")
test_texts = data["test"].texts
test_labels = [data.labels[i] for i in data["test"].labels]
accuracy = {"PyTorch float32": classifier.score(test_texts, test_labels).accuracy}
print(f"trained in {result.seconds:.1f} s ({result.precision})")
print(f"test accuracy: {accuracy['PyTorch float32']:.3f} on {len(test_texts)} tweets")

# %%
# How we measure speed
# --------------------
# Two numbers matter for an application. **Latency**: how long one request
# waits for its answer, here one tweet alone (a batch of 1), in milliseconds.
# **Throughput**: how many tweets per second the model gets through when they
# come in batches, here 64 test tweets at once. ``torch.utils.benchmark``
# repeats each call for at least a fraction of a second and reports the
# median time of a call.

model = classifier.model.eval()
encoded = EncodedDataset.from_texts(test_texts[:64], None, classifier.vocab, max_len=64)
many = collate([encoded[i] for i in range(len(encoded))])  # (64, seq_len)
one = collate([encoded[0]])  # (1, seq_len)


def seconds_per_call(fn) -> float:
    timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=THREADS)
    return timer.blocked_autorange(min_run_time=0.1 if QUICK else 0.3).median


speed = {}  # way of running -> (latency in ms, tweets per second)


def measure(name: str, run_batch) -> None:
    """Time ``run_batch(batch)`` on one tweet and on 64 tweets."""
    latency = seconds_per_call(lambda: run_batch(one)) * 1e3
    throughput = len(encoded) / seconds_per_call(lambda: run_batch(many))
    speed[name] = (latency, throughput)
    print(f"{name:<22} latency {latency:7.2f} ms   throughput {throughput:8.0f} tweets/s")


with torch.inference_mode():
    measure("PyTorch eager", lambda b: model(b.ids, b.mask))

# %%
# ``torch.compile``
# -----------------
# PyTorch normally runs a model *eagerly*: Python calls one operation after
# another, each reading its inputs from memory and writing its result back.
# ``torch.compile`` watches the model run once, records the whole chain of
# operations as a *graph* (a list of the operations and of which results feed
# which), and generates code that fuses neighbouring operations, so fewer
# trips to memory and less Python are needed per call. The first calls pay
# for the compiling. ``dynamic=True`` asks for code that works for any batch
# size and tweet length, instead of compiling again for each new shape. A
# batch of exactly one still gets its own version, compiled again; to keep
# this page within its time we time the compiled model on batches of 64
# only, so its table row has no latency for one tweet.

if COMPILER:
    # compiled code is kept on disk, so a second run on this machine compiles faster:
    # in TORCHINDUCTOR_CACHE_DIR, by default the folder torchinductor_<user> in /tmp
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or str(os.getuid())
    default = Path(tempfile.gettempdir()) / f"torchinductor_{user}"
    cache = Path(os.environ.get("TORCHINDUCTOR_CACHE_DIR") or default)
    warm = cache.is_dir() and any(cache.iterdir())
    compiled = torch.compile(model, dynamic=True)
    with torch.inference_mode():
        t0 = time.perf_counter()
        compiled(many.ids, many.mask)
        compile_seconds = time.perf_counter() - t0
        throughput = len(encoded) / seconds_per_call(lambda: compiled(many.ids, many.mask))
        speed["PyTorch compiled"] = (float("nan"), throughput)  # latency not timed (see above)
        name = "PyTorch compiled"
        print(f"{name:<22} latency {'-':>7}      throughput {throughput:8.0f} tweets/s")
        same = torch.allclose(compiled(many.ids, many.mask), model(many.ids, many.mask), atol=1e-4)
    print(f"compiling took {compile_seconds:.1f} s; same scores as eager: {same}")
    print(f"compile cache ({cache}): {'filled by an earlier run' if warm else 'empty before'}")
    saved_ms = (1 / speed["PyTorch eager"][1] - 1 / speed["PyTorch compiled"][1]) * 1e3 * 64
    if saved_ms > 0:
        batches = compile_seconds * 1e3 / saved_ms
        print(
            f"it saves {saved_ms:.2f} ms per batch of 64, so it pays for itself "
            f"after about {batches:,.0f} batches ({batches * 64:,.0f} tweets)"
        )
    else:
        print("it saves no time per batch of 64 on this machine")
else:
    print("skipped: torch.compile needs a C++ compiler (g++ or clang++) on the CPU")

# %%
# PyTorch keeps what it compiled in a cache folder on disk (printed above), so
# the first compile on a machine takes longest and a later run of the same
# model, such as a rebuild of this site, reuses much of it.
#
# Where compiling saves time per batch, it is a good trade for a server that
# runs the same model for hours; for a script that classifies a few hundred
# tweets once, the compile time can be more than everything it saves. The
# line above says which holds on this machine, if either.
#
# Two knobs and one warning for your own models:
#
# * **Graph breaks.** Where ``torch.compile`` meets Python it cannot record
#   (a ``print``, a call into a library it does not know, a branch on a
#   tensor's value), it cuts the graph in two and runs that part eagerly:
#   each *graph break* costs speed. ``torch.compile(model, fullgraph=True)``
#   turns a break into an error that names the line, and running with the
#   environment variable ``TORCH_LOGS=graph_breaks`` lists them without
#   stopping.
# * **Modes.** ``mode="reduce-overhead"`` cuts the cost of launching many
#   small operations (on a GPU with CUDA graphs), useful for small batches;
#   ``mode="max-autotune"`` tries several versions of each operation and
#   keeps the fastest, for a much longer compile. The default is this page's.
#
# Export to ONNX, run with ONNX Runtime
# -------------------------------------
# ONNX is an open file format for neural networks: a graph of standard
# operations plus the weights. ``torch.onnx.export(..., dynamo=True)``
# captures the model with ``torch.export`` and translates it;
# ``nlptut.deploy.export_onnx`` does this and stores the :term:`vocabulary` and the
# label names in the file, with the sha256 of its content (``nlptut predict``
# refuses a file that was changed or damaged). ONNX Runtime, a separate
# *inference engine* (a program that uses a trained model to answer, as
# opposed to training it), runs the network from Python, C++, C#, Java or
# JavaScript, with no PyTorch training code in sight. Turning a text into
# token ids still takes nlptut's tokenizer (:mod:`nlptut.vocab`, plain Python,
# no PyTorch): from another language, that step has to be written again.

onnx_path = export_onnx(classifier, WORK / "emotion.onnx")
onnx_model = OnnxClassifier(onnx_path, threads=THREADS)
pytorch_probs = classifier.predict_proba(test_texts)
onnx_probs = onnx_model.predict_proba(test_texts)
gap = np.abs(pytorch_probs - onnx_probs).max()
agree = (pytorch_probs.argmax(1) == onnx_probs.argmax(1)).mean()
print(f"file size: {onnx_path.stat().st_size / 1e6:.2f} MB")
print(f"largest probability difference from PyTorch over {len(test_texts)} tweets: {gap:.1e}")
print(f"same label as PyTorch: {agree:.1%} of the tweets")
accuracy["ONNX Runtime float32"] = onnx_model.score(test_texts, test_labels).accuracy
session = onnx_model.session


def onnx_run(sess):
    return lambda b: sess.run(None, {"ids": b.ids.numpy(), "mask": b.mask.numpy()})


measure("ONNX Runtime", onnx_run(session))

# %%
# int8 quantization
# -----------------
# A float32 weight takes 4 bytes. *Quantization* stores each weight as an
# 8-bit integer (1 byte) plus a *scale* shared by many weights (a whole weight
# matrix, or one row of it): the weight is roughly ``scale × integer``.
# *Dynamic* quantization also turns each :term:`layer`'s input values into integers
# on the fly, at every call, so the matrix multiplications run in integer
# arithmetic :cite:p:`jacob2018quantization`. The price is rounding: each
# weight is rounded to the nearest multiple of its scale, so it moves by at
# most half the scale.
#
# For the ONNX file, ONNX Runtime's ``quantize_dynamic`` does it, with one
# scale per weight matrix (``nlptut.deploy.quantize_onnx``, or ``nlptut
# export --quantize int8``). The file shrinks by less than four times because
# the parts that are not weight matrices or :term:`embedding` tables, such as
# biases and the description of the graph, stay as they were.

int8_path = quantize_onnx(onnx_path, WORK / "emotion-int8.onnx")
int8_model = OnnxClassifier(int8_path, threads=THREADS)
ratio = onnx_path.stat().st_size / int8_path.stat().st_size
print(f"file size: {int8_path.stat().st_size / 1e6:.2f} MB ({ratio:.1f} times smaller)")
accuracy["ONNX Runtime int8"] = int8_model.score(test_texts, test_labels).accuracy
measure("ONNX Runtime int8", onnx_run(int8_model.session))

# %%
# Inside PyTorch, the maintained way to do the same is the torchao library:
# ``torchao.quantization.quantize_`` with ``Int8DynamicActivationInt8WeightConfig``
# (``nlptut.deploy.quantize_int8``), with one scale per row. The older
# ``torch.ao.quantization.quantize_dynamic`` is deprecated, and its warning
# in this PyTorch points to torchao. It replaces the weights of the linear
# layers; the embedding table stays in float32.

int8_torch = quantize_int8(model)
with torch.inference_mode():
    measure("PyTorch int8 (torchao)", lambda b: int8_torch(b.ids, b.mask))
int8_classifier = TextClassifier(
    "transformer", classifier.labels, int8_torch, classifier.vocab, max_len=classifier.max_len
)
accuracy["PyTorch int8 (torchao)"] = int8_classifier.score(test_texts, test_labels).accuracy


def saved_mb(module: torch.nn.Module) -> float:
    """Size of the module's weights as ``torch.save`` writes them, in MB."""
    buffer = io.BytesIO()
    torch.save(module.state_dict(), buffer)
    return buffer.tell() / 1e6


in_linear = sum(
    p.numel() for m in model.modules() if isinstance(m, torch.nn.Linear) for p in m.parameters()
)
print(f"saved weights: {saved_mb(model):.2f} MB in float32, {saved_mb(int8_torch):.2f} MB")
in_embedding = sum(
    p.numel() for m in model.modules() if isinstance(m, torch.nn.Embedding) for p in m.parameters()
)
print(f"share of the weights in linear layers: {in_linear / count_parameters(model):.0%}")
print(f"share of the weights in the embedding table: {in_embedding / count_parameters(model):.0%}")

# %%
# torchao changed only the linear layers, and in this model most weights sit
# elsewhere (the shares are printed above), above all in the embedding
# table, one row of numbers per word of the vocabulary. That is why the saved weights
# barely shrink, while ONNX Runtime's file, whose quantization also covers
# the embedding table, shrank by the ratio printed earlier.

# %%
# Everything side by side
# -----------------------
# Test accuracy on the same tweets, and the two speeds, for every way of
# running the same trained model. The compiled model is not scored again on
# the test tweets: the check above found its scores equal to eager's on 64
# of them, so the table repeats eager's accuracy for it.

print(f"{'':<24}{'test accuracy':>14}{'latency (ms)':>14}{'tweets/s':>10}")
for name, (latency, throughput) in speed.items():
    # the compiled model's accuracy is not scored again: its scores matched eager's above
    acc = accuracy.get(name, accuracy["PyTorch float32"])
    shown = "-" if np.isnan(latency) else f"{latency:.2f}"
    print(f"{name:<24}{acc:>14.3f}{shown:>14}{throughput:>10.0f}")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
names = list(speed)
axes[0].barh(names, [speed[n][0] for n in names], color="tab:orange")
axes[0].set_xlabel("latency, one tweet (ms, lower is better)")
axes[1].barh(names, [speed[n][1] for n in names], color="tab:blue")
axes[1].set_xlabel("throughput, batches of 64 (tweets/s, higher is better)")
axes[1].set_yticks([])
axes[0].invert_yaxis()
axes[1].invert_yaxis()
fig.suptitle(f"One trained Transformer, run {len(speed)} ways ({THREADS} threads)")
plt.show()

# %%
# What the numbers say, for this machine:

fastest_one = min((n for n in speed if not np.isnan(speed[n][0])), key=lambda n: speed[n][0])
fastest_many = max(speed, key=lambda n: speed[n][1])
eager_latency, eager_throughput = speed["PyTorch eager"]
onnx_latency, onnx_throughput = speed["ONNX Runtime"]
change = accuracy["ONNX Runtime int8"] - accuracy["PyTorch float32"]
print(f"lowest latency for one tweet: {fastest_one}")
print(f"highest throughput in batches: {fastest_many}")
print(f"ONNX Runtime, one tweet: {eager_latency / onnx_latency:.1f} times as fast as eager")
print(f"ONNX Runtime, 64 tweets: {onnx_throughput / eager_throughput:.1f} times as fast as eager")
print(
    f"test accuracy, int8 file minus float32: {change:+.3f} "
    f"({change * len(test_texts):+.0f} tweets)"
)
torchao_vs_eager = speed["PyTorch int8 (torchao)"][1] / eager_throughput
print(f"torchao int8, 64 tweets: {torchao_vs_eager:.2f} times as fast as float32 eager")

# %%
# How to read these ratios. For one tweet, a call does little arithmetic,
# so most of its time is the cost of calling each operation: Python, PyTorch's
# dispatch, checks. ONNX Runtime (and compiled code) cut that cost, which is
# what the one-tweet ratio measures. In batches of 64 the arithmetic takes a
# larger share, so that ratio comes closer to how much faster the arithmetic
# itself got. A ratio below 1 means slower. The int8 speed depends on whether
# the CPU has fast integer matrix instructions and whether the library has a
# fast *kernel* (the low-level code for one operation) for them on this CPU:
# torchao's int8 kernels aim at GPUs and at compiled code first, and in eager
# mode the extra steps that quantize each input and scale each result back can
# cost more than the integer arithmetic saves. Timings on a shared machine
# also vary from one build to the next, so read small differences as ties.
#
# Ship it from the command line
# -----------------------------
# The same two steps in one command: ``nlptut export`` exports and quantizes
# in one go (``export_onnx(..., quantize="int8")``, the same as the two calls
# above), and refuses to overwrite a file without ``--force``::
#
#     nlptut export checkpoint --format onnx --quantize int8 --out emotion-int8.onnx
#
# ``nlptut predict`` runs such a file with ONNX Runtime; here, the int8 file
# that this page wrote above.

seeds = ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]
status = nlptut_cli(["predict", str(int8_path), *seeds])  # 0: success

# %%
# Takeaway
# --------
# A trained PyTorch model can leave the notebook in one
# ``.onnx`` file that ONNX Runtime runs on many systems and from many
# languages, with the same answers as PyTorch up to rounding (the largest
# difference is printed above), and int8 quantization makes that file smaller,
# by the ratio printed above, for a measured change in accuracy.
# ``torch.compile`` can speed up the model inside PyTorch, at a one-off cost
# of compiling; the line printed after the compile says whether it did here.
# None of these is faster everywhere: measure latency and
# throughput on the machine that will serve the model, as this page did.
# ``benchmarks/bench_inference.py`` repeats these measurements for two models.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (a few numbers in NumPy, it runs at once) and compare. The solutions are the
# code that nlptut's own tests run, so they stay correct. They quantize the
# simplest way: one scale, the largest absolute weight divided by 127, so that
# the weights become integers from -127 to 127.
#
# 1. **By hand.** Quantize the weights 0.50, -1.27, 0.031 and 0.9. What is
#    the scale, what are the integers, and how far is each weight moved when
#    it is turned back into a float?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/model_to_application.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       The scale is 1.27 / 127 = 0.01, the integers 50, -127, 3 and 90.
#       Only 0.031 moves (to 0.03): by 0.001, less than half the scale
#       (0.005), the most rounding can move a weight.
#
# 2. **One outlier.** Now the weights are 0.01, 0.02, -0.015 and 12.7. What
#    happens to the three small ones?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/model_to_application.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       The scale becomes 0.1, and all three small weights round to 0: one
#       large weight sets the step for all the weights that share its scale.
#       This is why quantization tools use many scales.
#
# 3. **One scale per row.** A matrix of two rows, the second a hundred times
#    smaller than the first. Quantize it with one scale for the whole matrix
#    (as ONNX Runtime does above) and with one scale per row (as torchao
#    does). How much of the small row's size is lost to rounding each way?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/model_to_application.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       With one scale, the small row's weights move on average by about
#       half their own size (most round to 0 or ±1 step); with a scale per
#       row, by well under 1% (nlptut's tests check both). Real weight
#       matrices have rows of different sizes too, less extreme than here.
