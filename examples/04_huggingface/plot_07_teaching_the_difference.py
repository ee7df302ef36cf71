"""
Teaching the model the difference
=================================

The last lesson ended with "no": trained on tweets, the network got few
:term:`minimal pairs <minimal pair>` wholly right, and it did not read "My
neighbour won the jackpot! not me." as sad. This lesson tries the answer
researchers found for exactly this failure: show the model, while it
trains, pairs of texts that differ by a small edit and carry different
emotions, so that the words the two texts share stop being enough.

**Before this page:** :doc:`plot_05_read_the_meaning` (minimal pairs, pair
accuracy, runs with different seeds). **After it** you can add your own
edited examples to a model's training data, from Python or with
``nlptut train --augment``, and measure whether they helped.
"""

# %%
# What a counterfactual is
# ------------------------
# A :term:`counterfactual` of a text is a copy changed as little as possible
# so that its label changes. "all my flatmates got tickets for the festival
# and me too" is joy; change three words, "... but not me", and it is
# sadness. Kaushik, Hovy and Lipton (:cite:t:`kaushik2020learning`) had
# people write such edits for training texts: a model that sees both texts
# cannot lean on the words they share, and has to learn what the edit does.
#
# ``nlptut`` ships 450 such pairs, written for this site
# (:mod:`nlptut.counterfactual`), in nine kinds of edit: the eight kinds of
# the test pairs and sarcasm. They were kept far from the test pairs: no
# pair shares half its words, or a run of five words, with a test sentence
# (nlptut's tests check this), so a better score cannot come from copies.
# Below, the count, the hours to write them at one pair a minute, and one
# pair of three kinds of edit: ``not_me`` (the writer is left out of, or in,
# the group), ``negation`` (a "not" added or removed) and ``cause`` (who or
# what caused it). On the left, the emotion of each text.

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.contrast import LABELS, load_pairs, score_model
from nlptut.counterfactual import as_texts, load_counterfactuals
from nlptut.datasets import load_dataset
from nlptut.frozen import FrozenClassifier, SentenceVectors
from nlptut.shortruns import word_pairs_bag

extra = load_counterfactuals()
print(f"{len(extra)} pairs ({2 * len(extra)} texts); {len(extra) / 60:.1f} hours to write")
for p in [next(p for p in extra if p.edit == e) for e in ("not_me", "negation", "cause")]:
    print(f"{p.edit:<9}{p.label_a:<9}{p.text_a}\n{'':<9}{p.label_b:<9}{p.text_b}")

# %%
# The same models, with and without the pairs
# -------------------------------------------
# Two kinds of model, each trained three times (three :term:`seeds <seed>`)
# on the same tweets, once as they are and once with the 900 texts of the
# pairs added to the *training* split only (``with_extra_training``):
#
# - the last lesson's **bag of words**, with its settings
#   (``word_pairs_bag``), on 6,000 tweets per run (its runs without the
#   pairs are the last lesson's own);
# - **MiniLM + regression** (``FrozenClassifier``), in two steps. First the
#   :term:`pretrained model` MiniLM turns each text into a list of 384
#   numbers that stands for its meaning (its :term:`embedding`); MiniLM
#   itself is not trained here (:term:`frozen`): fine-tuning it as in
#   :doc:`plot_03_fine_tuning`, for every seed, with and without the pairs,
#   would take too long for this page. Then a :term:`logistic regression`, a
#   simple classifier, learns which emotion goes with which numbers. Its one
#   setting, ``c=3`` (how closely it may follow its training tweets: the
#   larger, the more closely), was chosen in the optional deep dive
#   :doc:`plot_06_read_the_meaning_further`: take it as given. MiniLM is
#   slow on a CPU, so this model learns from fewer tweets: a different two
#   thirds of the same 1,000 for each seed.
#
# Both answer with one of the five emotions of the test pairs (``LABELS``):
# joy, sadness, anger, fear and surprise; tweets labelled love are left out.
# Nothing here was chosen by looking at the test pairs.

tweets = load_dataset("dair-emotion").only(LABELS)
texts, labels = as_texts(extra)  # the 900 texts of the pairs, and their emotions
# vectors: MiniLM's numbers for each text, computed once and shared by all the runs;
# pool: 1,000 training tweets drawn at random; 100 is the seed of that draw
vectors, pool = SentenceVectors(), tweets.sampled(150 if quick_mode() else 1000, 100)
runs = {}  # (kind of model, pairs added or not) -> the list of its three trained models
for added in (False, True):
    for seed in (0, 1, 2):
        data = tweets.sampled(600 if quick_mode() else 6000, seed)
        # // divides and drops the remainder, a whole number: two thirds of the pool,
        # drawn with this seed, so a different two thirds for each seed
        small = pool.sampled(2 * len(pool["train"]) // 3, seed)
        if added:
            data = data.with_extra_training(texts, labels, source="the pairs")
            small = small.with_extra_training(texts, labels, source="the pairs")
        bow, _ = TextClassifier.fit(data, "nbow", recipe=word_pairs_bag(quick_mode()), seed=seed)
        frozen = FrozenClassifier.fit(small, c=3.0, vectors=vectors)
        # setdefault gives the list stored under this key, first storing an empty
        # one if there is none yet; .append adds this run's model to it
        runs.setdefault(("bag of words", added), []).append(bow)
        runs.setdefault(("MiniLM + regression", added), []).append(frozen)

# %%
# The scores
# ----------
# One line per model, with and without the pairs, and three columns. *test
# pairs*: its pair accuracy (both texts of a pair right) on the 45 test
# pairs, as the mean of the three runs ± their :term:`standard deviation`
# (how far a typical run lies from the mean). *own tweets*: its accuracy on
# 300 of its own test tweets, texts like its training texts: did the pairs
# cost anything there? *jackpot*: each run's answer for the jackpot
# sentence. Only sadness counts as right: the writer did not win. Anger does
# not count: it fits when someone chose to leave you out, as in the pay-rise
# pair above, but nobody chooses who wins a jackpot. Joy, fear and surprise
# are wrong too: a model that merely stops saying joy has not yet read "not
# me". The jackpot sentence is not among the training pairs, and no
# training pair mentions a jackpot or a lottery.

import numpy as np

test_pairs, own = load_pairs("test"), tweets.sampled(300, 100, split="test")
jackpot = "My neighbour won the jackpot! not me."
pair_acc, own_acc = {}, {}
print(f"{'model':<21}{'pairs added':<13}{'test pairs':>11}{'own tweets':>13}   jackpot")
for (kind, added), models in runs.items():
    pair_acc[kind, added] = [score_model(m, test_pairs).pair_accuracy for m in models]
    own_acc[kind, added] = [m.evaluate(own, "test").accuracy for m in models]
    print(f"{kind:<21}{'yes' if added else 'no':<13}", end="")
    for values in (pair_acc[kind, added], own_acc[kind, added]):
        print(f"{np.mean(values):>6.2f} ± {np.std(values, ddof=1):.2f}", end="")
    print("   " + " / ".join(m.predict([jackpot])[0].label for m in models))

# %%
# Which words pushed the answer?
# ------------------------------
# Below, each word's :term:`attribution`, as on :doc:`plot_03_fine_tuning`,
# for the first run of the bag of words without and with the pairs. The label
# on the left is the model's answer; a red word raised its probability, a
# blue word lowered it. Look at "not" and "me": a model that reads the tail
# gives them strong colours, one that ignores it leaves them pale and lets
# "won" and "jackpot" decide.

import matplotlib.pyplot as plt

from nlptut.explain import draw_word_attributions, word_attributions

fig, axes = plt.subplots(2, 1, figsize=(9, 2.2), dpi=80, layout="tight")
for ax, added in zip(axes, (False, True), strict=True):
    ax.set_title(f"bag of words, pairs added: {'yes' if added else 'no'}", loc="left", fontsize=10)
    first_run = runs["bag of words", added][0].predict_proba
    draw_word_attributions(ax, [word_attributions(first_run, jackpot)], LABELS)
plt.show()

# %%
# The verdict
# -----------
# Printed from the numbers above, for each of the three columns. "Clearly
# higher" means that every run with the pairs beat every run without them;
# "overlapping" that some did not, so the difference may be down to the
# seeds (``judge_runs``). A pair is worth 1/45, about 2 percentage points.
# Read all three parts: pairs can raise the pair accuracy yet lower the
# accuracy on ordinary tweets (a minus sign after "own tweets").

from nlptut.compare import judge_runs

for kind in ("bag of words", "MiniLM + regression"):
    without, with_pairs = pair_acc[kind, False], pair_acc[kind, True]
    own_with, own_without = own_acc[kind, True], own_acc[kind, False]
    cost = 100 * (np.mean(own_with) - np.mean(own_without))
    sad = sum(m.predict([jackpot])[0].label == "sadness" for m in runs[kind, True])
    change = f"{np.mean(without):.0%} -> {np.mean(with_pairs):.0%}"
    print(f"{kind}: pair accuracy {change} ({judge_runs(with_pairs, without)}); ", end="")
    print(f"own tweets {cost:+.1f} points ({judge_runs(own_with, own_without)}); ", end="")
    print(f"the jackpot sentence read as sadness in {sad} of {len(runs[kind, True])} runs.")

# %%
# What it costs, and what it does not fix
# ---------------------------------------
# The pairs' cost is a person's time: the hours on the first line this page
# printed, at one pair a minute, a guess for a careful writer.
# Whether that time pays off is printed above: read the test-pair column,
# and the jackpot runs.
#
# What they were not written to teach is an edit of another kind. None of
# the pairs turns an event into a wish ("If only I had ..."). One such pair,
# and what each of the three runs with the pairs answers for its two
# sentences (runs separated by ``;``; joy / sadness is right): one right run
# in three can be luck.

wish = ["I got the scholarship I applied for!", "If only I had got the scholarship I applied for."]
for kind in ("bag of words", "MiniLM + regression"):
    answers = [" / ".join(p.label for p in m.predict(wish)) for m in runs[kind, True]]
    print(f"{kind:<21}{'; '.join(answers)} ({answers.count('joy / sadness')} of 3 runs right)")

# %%
# What this means for you
# -----------------------
# If a model misreads a kind of sentence that matters to you, such as "The
# patient denies chest pain", write pairs for it: the sentence, and a
# minimal edit with the other label. Add them to the training split only,
# keep them far from your test texts, and score the test pairs before and
# after, over several runs. From the command line::
#
#     nlptut train --dataset my_notes.csv --model nbow --augment my_pairs.tsv --out model
#
# A pairs file has a header ``text_a label_a text_b label_b`` (tab-separated),
# one pair a line; ``--augment builtin`` adds this lesson's pairs, for
# datasets with the five emotions. The saved model records which file was
# added and its fingerprint (sha256).
#
# **Going further:** the benchmark :doc:`/benchmarks/results/counterfactual`
# trains more models on both datasets with and without the pairs, and
# measures how the gain grows with the number of pairs.
#
# **Next on the route:** :doc:`/intro/what-you-can-do-now`, the route's end.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's
# code and compare. The solutions are the code that nlptut's own tests run.
#
# 1. **Count the kinds.** How many pairs of each kind of edit are there, and
#    which emotion appears most often among the 900 texts?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/teaching_the_difference.py
#          :start-after: # --- exercise 1 ---
#          :end-before: # --- exercise 2 ---
#
#       55 pairs each for *negation*, *but*, *other_person*, *not_me*,
#       *missing_person* and *reversed_outcome*, 45 each for *cause* and
#       *expectation* (the unexpected against the expected), 30 for
#       *sarcasm*; joy is the most common emotion
#       (more than a third of the texts), because most edits turn good news
#       bad.
#
# 2. **Your own pairs file.** Write a pairs file with two pairs of your own
#    and read it back with ``read_augment_file``: how many texts does it
#    add, and what does a checkpoint record of it?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/teaching_the_difference.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- end ---
#
#       Four texts (both texts of each pair); the record names the file,
#       its sha256, its kind ("pairs") and the number of texts.
