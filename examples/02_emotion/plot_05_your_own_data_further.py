"""
Your own data, further
======================

The lesson :doc:`plot_03_your_own_data` trained a neural bag of words on a
small CSV file with the ``nlptut`` command line and said how sure its test
score was. This page goes on with the same file. It trains the same model
from Python, fine-tunes a pretrained model on the file and asks whether it
is really better, measures how many labelled texts the task needs, and
shows what to do about long texts, what else the command line does, and the
errors a broken file gives. It ends with advice on labelling your own texts
and keeping them private.

The texts are dair-emotion tweets :cite:p:`saravia2018carer` with their
labels renamed, as in the lesson.

**Before this page:** :doc:`plot_03_your_own_data`.
"""

# %%
# The lesson's file
# -----------------
# We write the file of the lesson again, with the same code, so that this
# page can run on its own. (When the site is built, training the same model
# on the same file with the same settings is done once, and this page reuses
# the lesson's model.)

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
from nlptut.classifier import RECIPES, TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.errors import DataFormatError
from nlptut.finetuned import MINILM_RECIPE
from nlptut.predictor import load
from nlptut.text import tokenize

QUICK = quick_mode()
RENAME = {"joy": "happy", "sadness": "sad", "anger": "angry"}
emotions = load_dataset("dair-emotion").only(list(RENAME))


def write_csv(path, rows):
    """Write (text, label) rows to a CSV file with a text,label header."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


tmp = tempfile.TemporaryDirectory()  # removed when Python exits
workdir = Path(tmp.name)
my_csv = workdir / "my.csv"
n = 200 if QUICK else 750
texts, labels = emotions["train"].texts[:n], emotions.labels_of("train")[:n]
rows = [("Well, that went better than I expected!", "happy")]
rows.append(('She said "fine" and slammed the door.', "angry"))
rows += [(text, RENAME[label]) for text, label in zip(texts, labels, strict=True)]
write_csv(my_csv, rows)
data = load_dataset(my_csv)
print({split: len(data[split]) for split in ("train", "validation", "test")})

# %%
# The same model from Python
# --------------------------
# :meth:`TextClassifier.fit <nlptut.classifier.TextClassifier.fit>` is what
# ``nlptut train`` calls: with the same data, recipe and :term:`seed`, it
# trains the same model. From Python you also get the training history and
# an object to keep using in your program. The first line gives the nbow
# recipe: the most :term:`epochs <epoch>`, and how many epochs without a
# better validation :term:`macro-F1` end the training early. Then come the
# epochs it ran, its test scores (the lesson's), and the three mix-ups it
# made most often on the test split, counted in texts
# (:meth:`~nlptut.training.Metrics.top_confusions`).

recipe = RECIPES["nbow"].train
print(f"nbow recipe: at most {recipe.epochs} epochs, stop after {recipe.patience} without gain")
quick = {"epochs": 1} if QUICK else {}  # the lesson's command line got --epochs 1 in quick mode
classifier, result = TextClassifier.fit(data, "nbow", progress=False, **quick)
metrics = classifier.evaluate(data, "test")
print(
    f"trained {len(result.history)} epoch(s) in {result.seconds:.0f} s, kept epoch "
    f"{result.best_epoch}; test accuracy {metrics.accuracy:.2f}, macro-F1 {metrics.macro_f1:.2f}"
)
for true_label, answer, count in metrics.top_confusions(3):
    print(f"{count:>3} {true_label} test texts answered {answer}")

# %%
# A pretrained model: ``--model minilm``
# --------------------------------------
# ``nbow`` learns every word from your file alone. ``--model minilm`` starts
# instead from all-MiniLM-L6-v2, a small :term:`pretrained model` that was
# trained beforehand on a very large number of pairs of related sentences
# :cite:p:`wang2020minilm,reimers2019sentencebert`, and
# :term:`fine-tunes <fine-tuning>` it on your texts (the lesson
# :doc:`../04_huggingface/plot_03_fine_tuning` shows what happens inside).
# It needs nlptut's optional Hugging Face part (the install line of Start
# here includes it, with the model's weights), and it trains far slower (compare
# the time on its epoch line with the nbow time above); with a few hundred
# labelled texts it is usually the better start. Its folder works with
# ``evaluate`` and ``predict`` like any other. We train one epoch here to
# keep the page short (the command's default is printed first)::
#
#     nlptut train --dataset my.csv --model minilm --epochs 1 --out my-minilm
#
# The page runs the command line in its own process, as the lesson did, and
# also prints the command's *exit status*, which a terminal does not show
# (type ``echo $?`` after a command to see it): 0 when it succeeded, another
# number when it failed. Scripts check it before going on to the next step.


def nlptut(*args) -> None:
    """Run the nlptut command line with these arguments; print its output, then its status."""
    with contextlib.redirect_stderr(sys.stdout):  # warnings and errors too, in order
        status = cli.main([str(a) for a in args])
    print(f"[exit status {status}]")


print(f"nlptut train --model minilm trains {MINILM_RECIPE.epochs} epochs by default")
minilm_dir = workdir / "my-minilm"
nlptut("train", "--dataset", my_csv, "--model", "minilm", "--epochs", "1", "--out", minilm_dir)

# %%
# Is it better, or was it luck?
# -----------------------------
# Both models on the same test split of the file, then on the lesson's two
# new sentences. From Python, :func:`nlptut.predictor.load` opens any
# folder that ``nlptut train`` wrote (``TextClassifier.load`` opens only the
# models trained from scratch). The test split is small, so the gap between
# the two could partly be the luck of which texts landed in it. The
# :term:`bootstrap` of the lesson measures that too: draw the test texts
# again at random, with repeats, 1,000 times, and count in how many draws
# each model is ahead.


def ahead_and_behind(right_a, right_b, seed=0):
    """In how many of 1,000 redrawn test splits model a scores above b, and below it."""
    draws = np.random.default_rng(seed).integers(0, len(right_a), size=(1000, len(right_a)))
    a, b = right_a[draws].mean(axis=1), right_b[draws].mean(axis=1)
    return float(np.mean(a > b)), float(np.mean(a < b))


minilm = load(minilm_dir)
test_split, truth = data["test"], data.labels_of("test")
right = {}
for name, model in (("nbow (from scratch)", classifier), ("minilm (fine-tuned)", minilm)):
    answers = [p.label for p in model.predict(test_split.texts)]
    right[name] = np.array(answers) == np.array(truth)
    print(
        f"{name:<21} test accuracy {right[name].mean():.2f} "
        f"({right[name].sum()} of {len(test_split)} texts right)"
    )
ahead, behind = ahead_and_behind(right["minilm (fine-tuned)"], right["nbow (from scratch)"])
print(f"minilm ahead in {ahead:.0%} of 1,000 redrawn test splits, behind in {behind:.0%}\n")

new_texts = ["i feel so lucky and grateful today", "i am so annoyed with the people next door"]
for text, mine, pretrained in zip(
    new_texts, classifier.predict(new_texts), minilm.predict(new_texts), strict=True
):
    print(f"{text:<44} nbow {mine.label:<6} minilm {pretrained.label}")

# %%
# As a rule of thumb, when one model is ahead in nearly every draw (97% of
# them or more), its lead is unlikely to be the luck of the test texts; when
# it is ahead in about 60% and behind in 40%, this test split cannot tell the
# two apart, and only more test texts would (exercise 1).

# %%
# How many examples do you need?
# ------------------------------
# The answer depends on the task, so measure it. Here we keep a fixed
# validation set (the first 100 tweets of each of the three emotions in
# dair-emotion's own validation split: enough to decide when to stop
# training) and a fixed test set (all the tweets of the three emotions in its
# test split), and train the same model on
# 10 to 300 examples per label, beside a :term:`TF-IDF` + linear
# :term:`SVM` :term:`baseline` (a classic model from before deep learning)
# trained on the same examples. This also shows the second layout
# nlptut reads: a folder with one file per split, ``train.csv``,
# ``valid.csv`` and ``test.csv``.


def first_per_label(split, per_label=None):
    """(text, new label) rows of one dair-emotion split: the first per_label of each emotion."""
    rows, taken = [], Counter()
    for text, label in zip(emotions[split].texts, emotions.labels_of(split), strict=True):
        if per_label is None or taken[label] < per_label:
            rows.append((text, RENAME[label]))
            taken[label] += 1
    return rows


folder = workdir / "by-size"
folder.mkdir()
write_csv(folder / "valid.csv", first_per_label("validation", 100))
write_csv(folder / "test.csv", first_per_label("test"))
sizes = [10, 30] if QUICK else [10, 30, 100, 300]
accuracy, svm_accuracy = [], []
print("examples per label   nbow   TF-IDF + SVM  (test accuracy)")
for per_label in sizes:
    write_csv(folder / "train.csv", first_per_label("train", per_label))
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

fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
ax.plot(sizes, accuracy, marker="o", label="nbow, trained from scratch")
ax.plot(sizes, svm_accuracy, marker="s", label="TF-IDF + linear SVM")
ax.axhline(majority, color="grey", ls=":", label="always the most common label")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.set_xlabel("training examples per label")
ax.set_ylabel(f"test accuracy ({n_test:,} tweets)")
ax.set_ylim(0, 1)
ax.set_title("Test accuracy by number of training examples per label")
ax.legend(loc="lower right")

# %%
# Better than the baseline?
# -------------------------
# This test set holds far more texts than the lesson's test split, so the
# bootstrap ranges are narrower (compare them with the lesson's). For the two
# models trained on the most examples above: each one's accuracy and 95%
# range, then in how many draws the bag of words is ahead of the SVM, and the
# first test texts it misread.

answers = {
    "nbow": model.predict_proba(by_size["test"].texts).argmax(axis=1),
    "TF-IDF + linear SVM": svm.predict(by_size["test"].texts),
}
gold = np.array(by_size["test"].labels)
correct = {name: np.asarray(predicted) == gold for name, predicted in answers.items()}
draws = np.random.default_rng(0).integers(0, n_test, size=(1000, n_test))
for name, right_answers in correct.items():
    low, high = np.percentile(right_answers[draws].mean(axis=1), [2.5, 97.5])
    print(f"{name:<20} accuracy {right_answers.mean():.2f}, 95% range {low:.2f} to {high:.2f}")
ahead, behind = ahead_and_behind(correct["nbow"], correct["TF-IDF + linear SVM"])
print(f"nbow ahead of the SVM in {ahead:.0%} of the draws, behind in {behind:.0%}")
wrong = np.flatnonzero(~correct["nbow"])
print(f"\n{len(wrong)} of {n_test} test texts misread by nbow; the first three:")
for i in wrong[:3]:
    label, said = by_size.labels[gold[i]], by_size.labels[answers["nbow"][i]]
    print(f"  {said:<8} (label: {label})  {by_size['test'].texts[i][:90]}")

# %%
# Whether the accuracy is *enough* is not a statistical question: it depends
# on what a mistake costs where the model is used. Look at the mistakes
# themselves, as printed above, and decide whether you could live with
# them; where you cannot, keep a person in the loop for the answers the
# model is least sure of.

# %%
# Long texts
# ----------
# A model reads at most ``max_len`` :term:`tokens <token>` of each text and
# leaves out the rest. Count how many of your texts are longer before you
# trust the scores: ``nlptut train`` prints the count for the training texts,
# ``nlptut predict`` warns when a text it answers is cut, and ``too_long``
# lists them from Python.

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
# probabilities), which also tells you *where* in the document an emotion is
# (exercise 3).

# %%
# The rest of the command line
# ----------------------------
# ``nlptut --help`` lists every command: ``datasets`` and ``fetch`` for the
# tutorials' datasets, ``train``, ``evaluate`` and ``predict``, and
# ``export``, which writes a model for use outside Python (the deep dive
# :doc:`../03_performance/plot_04_model_to_application` uses it).

nlptut("--help")

# %%
# Two options are worth knowing for your own files. Without ``--split``,
# ``evaluate`` scores a file *whole*: right for a new file of labelled texts
# that the model has never seen, wrong for the file it was trained on. Here
# the nbow model of this page, saved to a folder, is scored on the
# ``test.csv`` of the learning curve, tweets it never saw: many more than
# the lesson's test split, so set its accuracy beside the range the lesson
# printed. And ``--json`` makes the output easy for another program to read
# (``--file`` reads the texts from a file, one per line).

classifier.save(workdir / "my-model")
nlptut("evaluate", workdir / "my-model", "--dataset", folder / "test.csv")
nlptut("predict", workdir / "my-model", "--json", "this is so unfair")

# %%
# When the file is broken
# -----------------------
# Real files have mistakes. nlptut checks every row and stops at the first
# problem with a :class:`~nlptut.errors.DataFormatError` whose message names
# the file and, where there is one, the line, and says how to fix it. The
# lesson showed a comma inside an unquoted text; here are four more: a row
# without a label, a header that names no text column, the text and label
# columns swapped, and a file with one label only.

broken = {
    "missing_label.csv": "text,label\ni feel great,happy\ni miss my friends,\n",
    "wrong_header.csv": "sentence_id,emotion\n1,happy\n",
    "one_label.csv": "text,label\n" + "".join(f"happy text number {i},happy\n" for i in range(20)),
}
for filename, content in broken.items():
    (workdir / filename).write_text(content, encoding="utf-8")
write_csv(workdir / "swapped.csv", [(label, text) for text, label in rows[2:32]])
for filename in ["missing_label.csv", "wrong_header.csv", "swapped.csv", "one_label.csv"]:
    try:
        load_dataset(workdir / filename)
    except DataFormatError as error:
        print(f"{type(error).__name__}: {error}")

# %%
# The command line prints the same message as one line, without the
# traceback a Python error shows, and exits with status 2:

not_written = workdir / "not-written"
nlptut("train", "--dataset", workdir / "missing_label.csv", "--model", "nbow", "--out", not_written)

# %%
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
#   examples is the one the model misses most (its :term:`recall`, in the
#   report of ``nlptut evaluate``, shows it).
#
# Privacy
# -------
# Everything on these pages runs on your own computer: nlptut reads your file
# and uploads nothing (its only use of the network is downloading the public
# datasets of the tutorials and, if you ask for one by name, a pretrained
# model). What you train can still carry your data: the model folder holds
# the :term:`vocabulary`, which for the bag of words is every word seen at
# least a few times in your texts plus word pairs and pieces of words, so
# names and fragments of names too; and a model can learn rare phrases by
# heart. Share a model as you would share the texts it was trained on, and
# remove or replace names, e-mail addresses and phone numbers before
# training if it is to be shared (the Indonesian tweets of the other pages
# come with user names already replaced by ``[USERNAME]``).

# %%
# Takeaway
# --------
# ``nlptut train`` and ``TextClassifier.fit`` are the same training; the
# command line is enough until you need the model inside a program. A
# pretrained model fine-tuned on a few hundred texts can beat a model that
# learns every word from them, and the bootstrap of the gap says whether
# this test split can tell. What no tool fixes is the size of the data: the
# lines printed under the learning curve say from how many examples per
# label each model stays clearly above always answering the most common
# label, on this task. Measure the same curve on your own data, try the
# linear baseline first, and keep a test split that you never train on.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's
# code (made-up numbers and small files, it runs at once) and compare. The
# solutions are the code that nlptut's own tests run, so they stay correct.
#
# 1. **Can the test split tell them apart?** Two models are scored on the
#    same 50 test texts: one is right on 40, the other on 43, and they are
#    right on different texts. In how many of 1,000 bootstrap draws is the
#    second one ahead? And with ten times the test texts, 400 against 430
#    right out of 500?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data_further.py
#          :start-after: # --- exercise 1 ---
#          :end-before: # --- exercise 2 ---
#
#       With 50 texts the second model is ahead in only about 70% of the
#       draws and behind in about 20%: this test split cannot tell the two
#       apart. With 500 texts it is ahead in nearly every draw (more than
#       97%): the same gap of 6 points, measured on ten times the texts, is
#       now unlikely to be luck.
#
# 2. **Your own column names.** Your spreadsheet's header reads
#    ``comment,category``. What does ``load_dataset`` say, and what is the
#    smallest change that makes it load? Does the order of the columns
#    matter?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data_further.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       A ``DataFormatError`` for line 1: it expects a text column named
#       ``text``, ``tweet`` or ``sentence``. Renaming the two header cells to
#       ``text`` and ``label`` is enough, in either order: nlptut finds the
#       columns by their names, not by their place.
#
# 3. **A long letter.** A letter of three paragraphs is longer than the
#    64 tokens the bag of words reads by default. Cut it at its blank
#    lines: how many tokens do the letter and each paragraph have?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/your_own_data_further.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       The whole letter has more than 64 tokens, so a model would read only
#       its beginning; each paragraph has fewer, so each is read whole. Each
#       paragraph can then get its own answer, and the answers show where in
#       the letter each emotion is.
