"""
Does the model read the meaning?
================================

The route began with a sentence that keyword rules get wrong: "My neighbour
won the jackpot! not me." They call it happy, because they see *won* and
*jackpot*; the writer did not win, and is sad. Does a trained model read the
meaning? One sentence cannot tell: one lucky training run may get it right.
This lesson tests the question the way researchers do, with many small tests
and several training runs of the same network.

**Before this page:** :doc:`../01_foundations/plot_01_rules_to_deep_learning`
(keyword rules and a bag of words) and
:doc:`../02_emotion/plot_01_emotion_end_to_end` (training and scoring a
classifier). **After it** you can test whether a model
reads the meaning of a text or only its words, and judge a model by several
training runs instead of one.
"""

# %%
# Minimal pairs
# -------------
# A :term:`minimal pair` is two sentences that differ by a small edit, a word
# or a few, yet carry different emotions:
#
# - "I got the job at the hospital!" (joy)
# - "I didn't get the job at the hospital." (sadness)
#
# A model that only looks for telling words sees nearly the same words twice
# and tends to give the same answer; a model that reads the meaning notices
# the change. ``nlptut`` ships a set of such pairs, written by hand for this
# site (:mod:`nlptut.contrast`), with eight kinds of edit: a "not", a "but",
# good news that happens to someone else, and others. The set is cut into two
# halves: a *development* half, on which one may try settings, and a *test*
# half, which we only score. The jackpot sentence is in neither. Below, the
# size of each half and one test pair of four kinds of edit: the emotion of
# each sentence, then the sentence.

from functools import partial

import numpy as np

from nlptut.classifier import ModelRecipe, TextClassifier
from nlptut.config import quick_mode
from nlptut.contrast import EDITS, LABELS, load_pairs, score_classifier
from nlptut.datasets import load_dataset
from nlptut.training import TrainConfig

pairs = load_pairs("test")
print(f"{len(load_pairs('dev'))} development and {len(pairs)} test pairs, {len(EDITS)} kinds")
for pair in pairs[:: len(pairs) // 4][:4]:  # the pairs are in order of their kind of edit
    print(f"[{pair.edit}]\n  {pair.label_a:<9}{pair.text_a}\n  {pair.label_b:<9}{pair.text_b}")

# %%
# How a pair is scored
# --------------------
# Three numbers describe a model on the pairs:
#
# - **sentence accuracy**: the share of the sentences it labels right;
# - **pair accuracy**: the share of pairs in which it gets *both* sentences
#   right. This is the real test: a model that answers "joy" to both
#   sentences of the job pair is right once, but has not read the "didn't";
# - **flip rate**: the share of pairs in which its answer changes at all.
#   A model that never changes its answer cannot be reading the edit.
#
# The first model is the keyword rules of the first lessons, set up for the
# five emotions of the pairs (joy, sadness, anger, fear and surprise) with
# the tweets of dair-emotion, the route's dataset: from them the rules learn
# only which emotion to give when no keyword matches. For three test pairs,
# each line gives the right emotions, the rules' answers, and whether the
# pair counts as right.

tweets = load_dataset("dair-emotion").only(LABELS)
rules, _ = TextClassifier.fit(tweets, "keywords")


def answers(model, texts):  # the emotion that the model gives each text
    return [prediction.label for prediction in model.predict(texts)]


for pair in pairs[:3]:
    right, got = "/".join(pair.labels), "/".join(answers(rules, pair.texts))
    print(f"right: {right:<16}rules: {got:<16}both right? {got == right}")

# %%
# Three runs of one network
# -------------------------
# Now a trained network: a :term:`bag of words` like the one of
# :doc:`../01_foundations/plot_01_rules_to_deep_learning`, here without the
# pieces of words. It learns from words and from pairs of neighbouring
# words, so it can treat "not me" as one clue. We train it three times.
# Each run has its own :term:`seed` (a number that fixes the random
# choices): it learns from a different random sample of the training tweets
# and starts from different random :term:`weights <weight>`. One run can be
# lucky; three show how much the result moves. The line below gives the
# size of each sample.

N_TRAIN = 600 if quick_mode() else 6000
bag = ModelRecipe(
    TrainConfig(epochs=1 if quick_mode() else 2, lr=6e-2, batch_size=256, progress=False),
    model={"embed_dim": 64, "hidden_dim": 0, "dropout": 0.5},
    min_freq=2,  # a word must appear in 2 training tweets to be learned
    word_bigrams=True,  # pairs of neighbouring words count as words too
)
runs = []
for seed in (0, 1, 2):
    # the dataset with a random sample of its training tweets (the same for the same seed)
    data = tweets.sampled(N_TRAIN, seed)
    runs.append(TextClassifier.fit(data, "nbow", recipe=bag, seed=seed)[0])
print(f"{len(runs)} runs, each on {N_TRAIN:,} of the {len(tweets['train']):,} training tweets")

# %%
# Scores on the test pairs
# ------------------------
# The rules and each run of the network, on all the test pairs. Read the
# *pairs* column first: the pair accuracy, and how many pairs it stands for.
# Then compare the runs with each other: if they disagree on whether the
# network beats the rules, one run alone could have told either story.

models = {"keyword rules": rules} | {f"network, run {i}": m for i, m in enumerate(runs, 1)}
scores = {name: score_classifier(partial(answers, m), pairs) for name, m in models.items()}
print(f"{'':<17}{'sentences':>10}{'flips':>7}{'pairs':>7}")
for name, s in scores.items():
    right = f"{s.pair_accuracy:.2f} = {s.pair_accuracy * len(pairs):.0f} of {len(pairs)}"
    print(f"{name:<17}{s.sentence_accuracy:>10.2f}{s.flip_rate:>7.2f}{right:>18}")

# %%
# The jackpot sentence, run by run
# --------------------------------
# Each run's answer for the jackpot sentence, and the :term:`probability`
# it gives joy, P(joy), for "My neighbour won the jackpot!" without and then
# with "not me.". A model that reads those two words should give joy less
# probability with them. A drop is a hint, not a proof: a model may react to
# any added words, or to "not" alone. The pairs above are the real test.

jackpot, alone = "My neighbour won the jackpot! not me.", "My neighbour won the jackpot!"
print(f"keyword rules: {answers(rules, [jackpot])[0]}")
read = [answers(model, [jackpot])[0] for model in runs]
for i, model in enumerate(runs):
    without, with_tail = model.predict_proba([alone, jackpot])[:, LABELS.index("joy")]
    print(f"run {i + 1}: {read[i]:<8} P(joy) {without:.2f} -> {with_tail:.2f}")

# %%
# The verdict
# -----------
# Printed from the numbers above, not written in advance. Two yardsticks
# come first: what guessing at random would score, and how much one pair is
# worth. A difference of a pair or two between models may be chance.

net = [scores[f"network, run {i}"].pair_accuracy for i in range(1, len(runs) + 1)]
rule = scores["keyword rules"].pair_accuracy
print(
    f"Guessing at random among {len(LABELS)} emotions gets a pair right "
    f"{1 / len(LABELS) ** 2:.0%} of the time; one test pair is worth {1 / len(pairs):.1%}.\n"
    f"Pair accuracy: keyword rules {rule:.0%}; the network {np.mean(net):.0%} "
    f"± {np.std(net, ddof=1):.0%} (runs from {min(net):.0%} to {max(net):.0%}); "
    f"{sum(a > rule for a in net)} of {len(runs)} runs beat the rules.\n"
    f"The jackpot sentence: sadness in {read.count('sadness')} of {len(runs)} runs, "
    f"a negative emotion (sadness, anger or fear) in "
    f"{sum(label in ('sadness', 'anger', 'fear') for label in read)}.\n"
    f"So the network gets most pairs right in {sum(a > 0.5 for a in net)} of its "
    f"{len(runs)} runs" + (": it does not read the meaning reliably." if max(net) < 0.5 else ".")
)

# %%
# What this means for you
# -----------------------
# A model learns what its data rewards. These tweets were labelled by the
# hashtags their writers added (#sad, #angry), which rewards spotting emotion
# words; the pairs were written so that the emotion must be read from what
# happens. A good score on a :term:`test split` says that a model
# does well on texts like its training texts, not that it reads the meaning.
#
# For your own texts, three habits follow:
#
# - **Write minimal pairs** for the distinctions that matter to you, such as
#   "The patient reports chest pain." and "The patient denies chest pain.",
#   and score the pair accuracy, not only the accuracy.
# - **Train more than once**, with different seeds, and report the spread:
#   a comparison that one seed wins and another loses is not settled.
# - **Keep yardsticks**: random guessing and simple keyword rules say what
#   a score is worth.
#
# **Going further:** the deep dive :doc:`plot_06_read_the_meaning_further`
# asks the same of the :term:`pretrained model` MiniLM, trained on a
# second dataset whose labels were given by people who read each text,
# shows which words pushed their answers, and measures how far a model's
# own test score carries to the pairs. Longer runs, among
# them MiniLM fine-tuned as in :doc:`plot_03_fine_tuning`, are in the
# benchmark reports :doc:`/benchmarks/results/meaning` (on samples of each
# dataset) and :doc:`/benchmarks/results/meaning-aim` (on every comment of
# the second dataset).
#
# **Next on the route:** :doc:`plot_07_teaching_the_difference`: training
# the same network with pairs of edited texts, to teach it what the edit
# means.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it runs at once, without training anything) and compare. The solutions are
# the code that nlptut's own tests run, so they stay correct.
#
# 1. **Always joy.** A "model" answers joy whatever it reads. What are its
#    sentence accuracy, pair accuracy and flip rate on the development pairs?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/read_the_meaning.py
#          :start-after: # --- exercise 1 ---
#          :end-before: # --- exercise 2 ---
#
#       Sentence accuracy 0.40 (the share of sentences whose emotion is
#       joy), pair accuracy 0 and flip rate 0: the two sentences of a pair
#       never share an emotion, so a model that never changes its answer can
#       never get a pair right. This is why the page reads pair accuracy
#       first: sentence accuracy alone would give this model credit.
#
# 2. **Swapped.** Another "model" gives each sentence the emotion of the
#    *other* sentence of its pair. What are its three scores?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/read_the_meaning.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       Sentence and pair accuracy 0, flip rate 1: it notices every edit and
#       reads every one backwards. The flip rate says whether a model reacts
#       to the small edit, not whether it reads it right.
#
# 3. **Lucky guessers.** Many guessers each pick one of the five emotions at
#    random for every sentence of the test pairs. What pair accuracy do
#    they get on average, and what share of them get 3 or more of the pairs
#    right? Compare with the keyword rules' count in the table above.
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/read_the_meaning.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       On average 0.04: each sentence is guessed right one time in five,
#       so both sentences of a pair one time in 25. Yet about a quarter of
#       the guessers get 3 or more pairs right (nlptut's tests check both):
#       with 45 pairs, a few pairs more or less can be luck. This is why the
#       page trains the network three times and prints the spread.
