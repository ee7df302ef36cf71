"""
Train on your own data
======================

Your texts will not come from a benchmark: they will be a file that a
spreadsheet or a database exported. This lesson takes such a file, a CSV of
texts and their labels, checks it, trains a classifier on it with the
``nlptut`` command line, scores it on texts it never saw, says how sure that
score is, and answers new texts.

The file is made here from dair-emotion tweets :cite:p:`saravia2018carer`
with their labels renamed, plus two sentences of our own.

**Before this page:** :doc:`plot_01_emotion_end_to_end`.
**After it** you can train, evaluate and use a classifier on a CSV file of
your own, and say how far to trust its test score.
"""

# %%
# Write a CSV file
# ----------------
# A CSV file is a table saved as text: a first line (the *header*) names the
# columns, then comes one row per example, its cells separated by commas.
# nlptut wants a ``text`` and a ``label`` column; a :term:`label` can be any
# word. A text that holds a comma or a quote must be put in double quotes:
# Python's :mod:`csv` module does that for you, and so does a spreadsheet's
# "Save as CSV".
#
# We take the first training tweets that dair-emotion labels joy, sadness or
# anger, rename those labels ``happy``, ``sad`` and ``angry``, and add two
# sentences that need quotes. The output counts the texts, then shows the
# first lines of the file: look at the quotes the writer added.

import csv
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from nlptut import cli
from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.errors import DataFormatError

RENAME = {"joy": "happy", "sadness": "sad", "anger": "angry"}
emotions = load_dataset("dair-emotion").only(list(RENAME))
n = 200 if quick_mode() else 750
texts, labels = emotions["train"].texts[:n], emotions.labels_of("train")[:n]
rows = [("Well, that went better than I expected!", "happy")]
rows.append(('She said "fine" and slammed the door.', "angry"))
rows += [(text, RENAME[label]) for text, label in zip(texts, labels, strict=True)]

tmp = tempfile.TemporaryDirectory()  # a folder for this page's files, removed at the end
folder = Path(tmp.name)
my_csv = folder / "my.csv"
with open(my_csv, "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["text", "label"])
    writer.writerows(rows)
print(f"my.csv holds {len(rows)} texts; its first lines:")
print("\n".join(my_csv.read_text(encoding="utf-8").splitlines()[:4]))

# %%
# Check the file
# --------------
# :func:`~nlptut.datasets.load_dataset` reads the file and checks every row.
# It then cuts the file, always the same way, into the three parts of the
# previous lesson: the :term:`training <training split>`,
# :term:`validation <validation split>` and :term:`test <test split>` splits.
# Each part keeps the file's mix of labels. Below, one row per part: its
# size, its share of the file, and how many texts of each label it holds.
#
# Read the sizes honestly: the model learns from the first number only, a few
# hundred texts, and is scored on the last, a few dozen. (The file is
# kept small so that training takes only the seconds printed below; the deep
# dive measures how the score grows with more texts.)

data = load_dataset(my_csv)
for split in ("train", "validation", "test"):
    size = len(data[split])
    print(f"{split:<10} {size:>4} texts ({size / len(rows):.0%})", data.label_counts(split))

# %%
# A broken row stops the reading at once, with a message that names the file
# and the line and says how to fix it. Here, a text with a comma that nobody
# put in quotes:

broken = folder / "broken.csv"
broken.write_text("text,label\ni feel great,happy\nwell, that was rude,angry\n", "utf-8")
try:
    load_dataset(broken)
except DataFormatError as error:
    print(error)

# %%
# Train from the command line
# ---------------------------
# ``nlptut train`` trains a model on the training split, checks it on the
# validation split after every :term:`epoch`, and keeps the best one
# (:term:`early stopping`). We ask for ``nbow``, the neural
# :term:`bag of words` of the first lesson; every other setting keeps its
# default. In a terminal you would type::
#
#     nlptut train --dataset my.csv --model nbow --out my-model
#
# Here the page calls :func:`nlptut.cli.main`, the code that command runs, and
# shows what it prints. Read it from the top: one line per epoch, with the
# :term:`loss` on the training texts, then the :term:`accuracy` and
# :term:`macro-F1` on the validation texts; training stops when macro-F1 has
# not improved for a few epochs. The last lines give the kept model's scores
# and the folder it was saved to. (The ``precision:`` line says how many
# digits the computer keeps in its sums, its number format; it has nothing to
# do with the precision score of the next section.)


def nlptut(*args):
    """Run the nlptut command line, as if its arguments were typed in a terminal."""
    cli.main([str(arg) for arg in args])


model_dir = folder / "my-model"
quick = ["--epochs", "1"] if quick_mode() else []  # the tests' quick mode: one epoch
nlptut("train", "--dataset", my_csv, "--model", "nbow", *quick, "--out", model_dir)

# %%
# Score it on the test split
# --------------------------
# ``nlptut evaluate --split test`` scores the saved model on the test split
# of the same file, texts it never saw. The report has a row per label. In
# the ``happy`` row, :term:`precision <precision (metric)>` is the share of
# texts it called happy that are happy (positive predictive value),
# :term:`recall` the share of happy texts it found (sensitivity),
# :term:`F1` the two combined, and :term:`support` the number of happy test
# texts. Accuracy and macro-F1 for the whole test split come last.

nlptut("evaluate", model_dir, "--dataset", my_csv, "--split", "test")

# %%
# How sure is this score?
# -----------------------
# The test split is a sample, and a different sample would have given a
# different score. The :term:`bootstrap` measures by how much, with no
# formula: draw a new test split of the same size from the old one at random,
# allowing a text to be drawn twice, score the model on it, and do that 1,000
# times. The middle 95% of these scores is the *95% range*: a 95% confidence
# interval, found by redrawing instead of by a formula, and read like a
# trial's: the narrower it is, the surer the score.
#
# :meth:`TextClassifier.load <nlptut.classifier.TextClassifier.load>` opens
# the saved model in Python. ``draws`` holds 1,000 rows of random test-text
# numbers, repeats allowed; ``right[draws]`` swaps each number for that text's
# True (right) or False: one row per new split. The first
# line printed gives the accuracy and its range; the second, that of always
# answering the most common label.

model = TextClassifier.load(model_dir)
test = data["test"]
answers = [prediction.label for prediction in model.predict(test.texts)]
right = np.array(answers) == np.array(data.labels_of("test"))  # True where the model is right
# draws: a table of random test-text numbers (0 to len(test) - 1, repeats allowed),
# 1,000 rows of len(test) numbers, a row per new split; seed 0: the same draws every run
draws = np.random.default_rng(0).integers(0, len(test), size=(1000, len(test)))  # 1,000 new splits
# right[draws]: the same table, each number swapped for that text's True or False;
# .mean(axis=1), along each row, is the share of True: the accuracy on each new split
scores = right[draws].mean(axis=1)
low, high = np.percentile(scores, [2.5, 97.5])
print(f"test accuracy {right.mean():.2f} on {len(test)} texts; 95% range {low:.2f} to {high:.2f}")
print(f"always the most common label: {max(data.label_counts('test').values()) / len(test):.2f}")

fig, ax = plt.subplots(figsize=(6, 2.8), layout="constrained")
ax.hist(scores, bins=(np.arange(len(test) + 2) - 0.5) / len(test))  # a bar per accuracy
ax.axvspan(low, high, color="grey", alpha=0.2, label="the middle 95%")
ax.set(xlabel=f"accuracy on a redrawn test split of {len(test)} texts", ylabel="draws")
ax.set_title("Accuracy on 1,000 redrawn test splits (the bootstrap)")
ax.legend(loc="upper left")

# %%
# Each bar counts the draws that gave one accuracy; the grey band holds the
# middle 95% of them. A score anywhere in the band could as well have come
# out of this test split, so two models whose scores differ by less than the
# band's width may be equally good. With only a few dozen test texts the band
# is wide: to be surer, label more texts for the test split.
#
# .. dropdown:: For the curious: what the bootstrap does not measure
#
#    It measures only the luck of which texts landed in the test split. The
#    luck of training (the random starting weights, the order of the
#    batches) moves the score too: train again with another ``--seed`` to
#    see it. And neither says anything about texts unlike those of your
#    file: a model trained on tweets may do worse on letters, whatever its
#    range. The range narrows as the test split grows, with the square root
#    of its number of texts (exercise 1 measures it).

# %%
# Answer new texts
# ----------------
# ``nlptut predict`` answers texts it has never seen. For each text it prints
# its answer and the text, then the :term:`probability` of every label,
# highest first. Read each answer against your own reading of the text: a top
# probability far from 1 says the model was unsure. A model that learned from
# a few hundred texts gets some sentences wrong; the deep dive below sets a
# pretrained model beside it.

new_texts = ["i feel so lucky and grateful today", "i am so annoyed with the people next door"]
nlptut("predict", model_dir, *new_texts)

# %%
# Takeaway
# --------
# Any CSV file with a ``text`` and a ``label`` column is a dataset for
# nlptut: ``load_dataset`` checks it, and ``nlptut train``, ``evaluate`` and
# ``predict`` take you from the file to answers without writing a model. A
# test score is a measurement with a margin: print the bootstrap range beside
# it, and the score of always answering the most common label, before you
# trust it. Everything here runs on your own computer and uploads nothing:
# private texts such as patients' notes belong there, never in a hosted
# notebook.
#
# **Going further:** :doc:`plot_05_your_own_data_further` trains a
# pretrained model on the same file and says whether it is better, measures
# how many labelled texts you need, and gives advice for labelling your own
# texts and keeping them private. Next on the route:
# :doc:`../04_huggingface/plot_01_tokenizers`.

# %%
# Exercises
# ---------
# For each one, write down what you expect, then run the solution's code (it
# runs at once) and compare. nlptut's own tests run the solutions.
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
# 2. **Quote the comma.** The broken file above had a comma inside a text.
#    Write the rows with Python's ``csv`` module instead of by hand, and load
#    the file again. What does the row look like in the file?
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
#       which is why the page prints it beside the bootstrap range.
