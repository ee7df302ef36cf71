"""
Reading the meaning: other data, other models
=============================================

A deep dive behind the lesson :doc:`plot_05_read_the_meaning`. The lesson
scored keyword rules and one small network, trained on tweets, on
:term:`minimal pairs <minimal pair>`. Is what it found down to that network,
or to the data it learned from? This page trains two kinds of model (the
lesson's bag of words, and the :term:`pretrained model` MiniLM under a
simple classifier) on two datasets whose labels were made in different
ways, and on both together. It shows
which words pushed their answers, what a "neutral" label changes, which
kinds of edit are hardest, and how far a model's score on its own test
texts carries to the pairs.

**Before this page:** :doc:`plot_05_read_the_meaning` (minimal pairs, pair
accuracy, runs with different seeds) and :doc:`plot_03_fine_tuning` (the
pretrained model MiniLM); :doc:`plot_02_pretrained_features` shows MiniLM
:term:`frozen` under a classifier in detail.
**After it** you can say how the training data shapes what a model reads,
see which words pushed an answer, and judge how far a test score carries to
texts written differently from the training texts.
"""

# %%
# The pairs
# ---------
# The lesson scored the models on the *test* half of the pairs. This page
# also uses the *development* half, to choose a setting of one of its models
# (the job a :term:`validation split` does), and reports the test half. Its
# three scores are the lesson's: sentence accuracy, pair accuracy (both
# sentences of a pair right) and flip rate (the answer changes at all).

import time

import matplotlib.pyplot as plt
import numpy as np

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.contrast import EDITS, LABELS, SEED_SENTENCES, load_pairs, score_model, score_pairs
from nlptut.datasets import LabelledData, load_dataset
from nlptut.explain import draw_word_attributions, word_attributions
from nlptut.frozen import FrozenClassifier, SentenceVectors
from nlptut.precision import choose_precision
from nlptut.shortruns import word_pairs_bag

QUICK = quick_mode()
START = time.perf_counter()
FIVE = list(LABELS)
pairs = {half: load_pairs(half) for half in ("dev", "test")}
print(
    f"pairs: {len(pairs['dev'])} development, {len(pairs['test'])} test, {len(EDITS)} kinds of edit"
)

# %%
# Two datasets, labelled in two ways
# ----------------------------------
# The models on this site learned from **dair-emotion**: tweets whose emotion
# label was taken from a hashtag the writer added (such as #sad), lower-cased
# and stripped of punctuation, many of them starting with "i feel".
# **GoEmotions** (:cite:t:`demszky2020goemotions`) is different: Reddit
# comments in natural writing, each labelled by several people who *read* it
# (see its :doc:`data card <../../datasets/goemotions>`). Both are grouped here
# into the five emotions they share, so that every model answers with the same
# five labels as the pairs: joy, sadness, anger, fear and surprise
# (dair-emotion's *love*, GoEmotions' *disgust* and *neutral* are left out).
# The lines below show how differently the two are written; the pairs are
# written like GoEmotions, with capitals and punctuation.

dair = load_dataset("dair-emotion").only(FIVE)
go = load_dataset("goemotions").only(FIVE)
for data in (dair, go):
    texts = data["train"].texts
    capitals = np.mean([any(c.isupper() for c in t.replace("[NAME]", "")) for t in texts])
    i_feel = np.mean([t.lower().startswith("i feel") for t in texts])
    print(
        f"{data.name:<13} {len(texts):>6,} training texts; with a capital letter: "
        f"{capitals:.0%}; starting 'i feel': {i_feel:.0%}; e.g. {texts[1]!r}"
    )

# %%
# The models
# ----------
# Two kinds of model, each trained on dair-emotion, on GoEmotions and on
# both together. As in the lesson, every model is trained **three times
# with different** :term:`seeds <seed>` (a seed fixes the random choices:
# which training texts, the starting :term:`weights <weight>`), because one
# run can be lucky:
#
# - the lesson's **bag-of-words network** (it averages the vectors of the
#   words and of the pairs of neighbouring words, so it can see "not me" as
#   one feature), on a random sample of each dataset
#   (``LabelledData.sampled``) to fit this page's time budget. Its three
#   runs on dair-emotion are the lesson's: the same call with the same data
#   and seeds, which a site build trains only once;
# - **MiniLM + logistic regression**: all-MiniLM-L6-v2, the small
#   :term:`pretrained model` of :doc:`plot_03_fine_tuning`, here kept
#   :term:`frozen` (not trained further), turns each text into one vector of
#   384 numbers (as on :doc:`plot_02_pretrained_features`); a
#   :term:`logistic regression` learns from those vectors which emotion is
#   meant. ``nlptut.frozen.FrozenClassifier`` does both steps. Its one
#   setting, ``c``, says how closely the regression may fit its training
#   texts: a small ``c`` keeps its weights near zero (a simpler model), a
#   large one lets it follow the training texts closely. We try two values
#   and keep the one whose three runs score the higher mean pair accuracy
#   on the *development* half of the pairs. This model learns from fewer texts
#   than the network (the counts are printed below), because running MiniLM
#   on a text takes far longer than a bag of words does.
#
# A Transformer trained from scratch, the LSTM and the CNN are scored on
# the pairs in the same way by a benchmark named at the end of this page:
# training them three times on each dataset would not fit this page's time.

SEEDS = (0, 1, 2)
N_SCRATCH = 600 if QUICK else 6000  # training texts per dataset and seed
N_POOL = 150 if QUICK else 1000  # texts per dataset that MiniLM embeds for the regression
N_TEST = 150 if QUICK else 300  # test-split texts per dataset scored for every model
TRAINED_ON = {"dair-emotion": [dair], "goemotions": [go], "both": [dair, go]}


def sampled(datasets: list, n: int, seed: int, split: str = "train") -> LabelledData:
    """Each dataset with ``n`` random texts of ``split``, joined into one when there are two."""
    parts = [d.sampled(n, seed, split) for d in datasets]
    return parts[0].combined(parts[1]) if len(parts) == 2 else parts[0]


bag = word_pairs_bag(QUICK)  # the lesson's settings
models: dict[tuple[str, str], list] = {}
t0 = time.perf_counter()
for name, datasets in TRAINED_ON.items():
    models[("bag of words", name)] = [
        TextClassifier.fit(sampled(datasets, N_SCRATCH, seed), "nbow", recipe=bag, seed=seed)[0]
        for seed in SEEDS
    ]
print(
    f"bag-of-words networks: {3 * len(SEEDS)} in {time.perf_counter() - t0:.1f} s (trained "
    f"here, or reused from the lesson), each on {N_SCRATCH:,} texts of each dataset it learns from"
)

# %%
# MiniLM turns a text into a vector once (``SentenceVectors`` remembers
# them); the regressions then train on those vectors, each seed on a
# different random sample of a pool of embedded texts. The time is printed
# with the number format used: float32 is the ordinary 32-bit format; on a
# CPU that computes bfloat16 natively nlptut uses that 16-bit format instead
# (see :term:`mixed precision`).

vectors = SentenceVectors()
pool = {d.name: d.sampled(N_POOL, 100) for d in (dair, go)}
t0 = time.perf_counter()
for d in (dair, go):  # embed the pools and the test texts in one go, to time it
    vectors(pool[d.name]["train"].texts + d.sampled(N_TEST, 100, split="test")["test"].texts)
print(
    f"embedded {len(vectors):,} texts in {time.perf_counter() - t0:.1f} s "
    f"({choose_precision('auto', 'cpu').name}); each regression learns from "
    f"{2 * N_POOL // 3:,} texts of each dataset"
)

for name, datasets in TRAINED_ON.items():
    pools = [pool[d.name] for d in datasets]
    candidates = {
        c: [
            FrozenClassifier.fit(sampled(pools, 2 * N_POOL // 3, seed), c=c, vectors=vectors)
            for seed in SEEDS
        ]
        for c in (0.3, 3.0)
    }
    dev = {
        c: np.mean([score_model(m, pairs["dev"]).pair_accuracy for m in runs])
        for c, runs in candidates.items()
    }
    best_c = max(dev, key=dev.get)
    print(
        f"MiniLM + regression on {name}: pair accuracy on the development half "
        + ", ".join(f"c={c:g}: {a:.3f}" for c, a in dev.items())
        + f"; keeping c={best_c:g}"
    )
    models[("MiniLM + regression", name)] = candidates[best_c]


def labels_of(model, texts: list[str]) -> list[str]:
    """The model's answer for each text."""
    return [p.label for p in model.predict(texts)]


def joy_of(model, texts: list[str]) -> list[float]:
    """The probability the model gives joy, for each text."""
    return [p.probabilities["joy"] for p in model.predict(texts)]


# %%
# The jackpot sentence, run by run
# --------------------------------
# As in the lesson, but for every model: its answer for the two sentences of
# the route's first page, in each of its runs (``joy/joy/anger`` means: joy
# in the first two runs, anger in the third), and the :term:`probability` it
# gives *joy* (``P(joy)``, here averaged over the runs) for "My neighbour won
# the jackpot!" alone and then with "not me." added. A drop is what reading
# would cause, not proof of it; the pair accuracy below is the real test.
# The first row is the lesson's network, for comparison. In the table,
# *Bali* is "We went to Bali for holiday. It was fantastic!" (right answer:
# joy), *jackpot* is the whole sentence "My neighbour won the jackpot! not
# me." (right answer: sadness), and *alone* means without "not me.".

bali, jackpot, no_tail = SEED_SENTENCES[0], SEED_SENTENCES[1], "My neighbour won the jackpot!"
print(f"{'model':<21}{'trained on':<14}{'Bali':<18}{'jackpot':<26}P(joy): alone -> with 'not me.'")
jackpot_rows = {}
for (kind, name), runs in models.items():
    bali_labels = [labels_of(m, [bali])[0] for m in runs]
    jack_labels = [labels_of(m, [jackpot])[0] for m in runs]
    joy_without, joy_with = np.mean([joy_of(m, [no_tail, jackpot]) for m in runs], axis=0)
    jackpot_rows[(kind, name)] = (jack_labels, joy_without, joy_with)
    print(
        f"{kind:<21}{name:<14}{'/'.join(bali_labels):<18}{'/'.join(jack_labels):<26}"
        f"{joy_without:.2f} -> {joy_with:.2f}"
    )

# %%
# The minimal pairs: test half
# ----------------------------
# Now the real test: the test pairs, for every model, as the mean over its
# runs, ± their :term:`standard deviation` (how far a typical run lies from
# that mean). Beside them, each model's accuracy on its own
# :term:`test split`: texts written like its training texts (a random sample
# of it, to save time), and, as a yardstick rather than a result, the
# accuracy of always answering the most common label there ("majority").
# The end of the page gives the same yardsticks for the pairs, and the
# lesson printed the keyword rules' scores. In the figure after the table,
# each bar is a model's mean pair accuracy and the black line across its end
# shows how far its runs spread (none when every run scored the same).

results, majority = {}, {}
for (kind, name), runs in models.items():
    scores = [score_model(m, pairs["test"]) for m in runs]
    own_test = sampled(TRAINED_ON[name], N_TEST, 100, split="test")
    texts, gold = own_test["test"].texts, own_test.labels_of("test")
    own = [np.mean([a == b for a, b in zip(labels_of(m, texts), gold, strict=True)]) for m in runs]
    majority[(kind, name)] = max(gold.count(label) for label in FIVE) / len(gold)
    results[(kind, name)] = {
        "sentence": [s.sentence_accuracy for s in scores],
        "pair": [s.pair_accuracy for s in scores],
        "flip": [s.flip_rate for s in scores],
        "own": own,
        "by_edit": {e: np.mean([s.by_edit.get(e, 0.0) for s in scores]) for e in EDITS},
    }


def ms(values) -> str:
    """The mean of the runs ± their standard deviation."""
    return f"{np.mean(values):.2f} ± {np.std(values, ddof=1):.2f}"


print(
    f"{'model':<21}{'trained on':<14}{'own test':>12}{'majority':>12}{'sentences':>13}"
    f"{'pairs':>13}{'flips':>13}"
)
for (kind, name), r in results.items():
    print(
        f"{kind:<21}{name:<14}{ms(r['own']):>12}{majority[(kind, name)]:>12.2f}"
        f"{ms(r['sentence']):>13}{ms(r['pair']):>13}{ms(r['flip']):>13}"
    )

fig, ax = plt.subplots(figsize=(8, 3.6))
keys = list(results)
means = [np.mean(results[k]["pair"]) for k in keys]
spread = [np.std(results[k]["pair"], ddof=1) for k in keys]  # as the table's ±
colours = {
    "bag of words": "tab:blue",
    "MiniLM + regression": "tab:green",
}
ax.barh(range(len(keys)), means, xerr=spread, color=[colours[k[0]] for k in keys])
ax.set_yticks(range(len(keys)), [f"{k[0]}, {k[1]}" for k in keys])
ax.invert_yaxis()
ax.set_xlabel("pair accuracy on the test half (both sentences right), mean of the runs")
ax.set_xlim(0, 1)
ax.set_title("Pair accuracy of each model, data and setting")
fig.tight_layout()
plt.show()

# %%
# Which words pushed the answer?
# ------------------------------
# An :term:`attribution` says how much each word contributed to an answer.
# The simplest kind leaves one word out, runs the model again, and sees how
# much the probability of its answer drops. Captum, PyTorch's library for
# explaining models (:cite:t:`kokhlikyan2020captum`), does this bookkeeping
# with ``FeatureAblation``: here each "feature" is one word, and "ablating" it
# means leaving it out (:mod:`nlptut.explain` wraps it for any model that
# turns texts into probabilities). Leaving out one word at a time misses
# words that only matter together ("not" with "me"), and the figure shows the
# first run of three models trained on GoEmotions only, so read it as an
# illustration, not as proof. The same picture for an LSTM and a Transformer
# trained on dair-emotion is on :doc:`../02_emotion/plot_04_four_networks_compared`,
# and for a fine-tuned MiniLM on :doc:`plot_03_fine_tuning`.
# In the figure, the label left of each sentence is the *model's* answer, not
# the right one, and its words are coloured: a red word raised the
# probability of the model's answer; a blue word lowered it. Colours compare
# the words of one sentence with each other, not across sentences. The right
# emotion of each sentence is printed under the figure, in the same order
# ("My neighbour won the jackpot!" alone we take to be joy).


examples, truth = [jackpot, no_tail], ["sadness", "joy"]
for edit in ("not_me", "negation"):
    pair = next(p for p in pairs["test"] if p.edit == edit)
    examples += [pair.text_a, pair.text_b]
    truth += [pair.label_a, pair.label_b]
explained = [(kind, "goemotions") for kind in ("bag of words", "MiniLM + regression")]
# 80 dots per inch: a picture of words, readable at that size, and a lighter page
fig, axes = plt.subplots(
    len(explained), 1, figsize=(11, 0.42 * len(examples) * len(explained) + 1), dpi=80
)
fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.02, hspace=0.25)
for ax, key in zip(axes, explained, strict=True):
    model = models[key][0]
    ax.set_title(f"{key[0]}, trained on {key[1]} (first run)", fontsize=10, loc="left")
    draw_word_attributions(
        ax, [word_attributions(model.predict_proba, text) for text in examples], FIVE
    )
plt.show()
print("the right emotion of each sentence, top to bottom:")
for text, label in zip(examples, truth, strict=True):
    print(f"  {label:<9} {text}")

# %%
# What the data changes
# ---------------------
# The same kind of model, trained on different data, side by side: how its
# pair accuracy and its reading of the jackpot sentence change with the data.
# GoEmotions differs from dair-emotion in several ways at once (who gave the
# labels, how the texts are written, how common each emotion is), so a
# difference here cannot be pinned on one of them. The last line says it
# in one sentence.

changes = {}
for kind in ("bag of words", "MiniLM + regression"):
    mean_pairs = {name: np.mean(results[(kind, name)]["pair"]) for name in TRAINED_ON}
    parts = [
        f"{name}: pair accuracy {mean_pairs[name]:.2f}, jackpot read as "
        + "/".join(jackpot_rows[(kind, name)][0])
        for name in TRAINED_ON
    ]
    print(f"{kind}: " + "; ".join(parts))
    change = changes[kind] = mean_pairs["goemotions"] - mean_pairs["dair-emotion"]
    print(
        "  trained on GoEmotions instead of dair-emotion, its pair accuracy "
        + ("rises" if change > 0 else "falls" if change < 0 else "stays the same")
        + (
            f" by {abs(change):.2f} (about {abs(change) * len(pairs['test']):.0f} of the "
            f"{len(pairs['test'])} test pairs, on average over the runs)"
            if change
            else ""
        )
    )

rise = [k for k, v in changes.items() if v > 0]
fall = [k for k, v in changes.items() if v < 0]
said = [f"{' and '.join(fall)} scored lower on the pairs"] if fall else []
said += [f"{' and '.join(rise)} scored higher"] if rise else []
print(
    "In one sentence: trained on the reader-labelled comments instead of the tweets, "
    + ("; ".join(said) or "neither model's pair accuracy changed")
    + (
        ": better labels alone did not teach these small models to read the meaning."
        if not rise
        else "."
    )
)

# %%
# The models above answer with the five emotions of the pairs. GoEmotions'
# raters chose among 27 emotions and *neutral*; nlptut groups the emotions
# into the psychologist Paul Ekman's six basic ones (anger, disgust, fear,
# joy, sadness, surprise), so GoEmotions has seven groups with neutral
# (its :doc:`data card <../../datasets/goemotions>` shows how). Raters chose
# neutral for many comments (the first line below counts them). A model
# trained on all seven groups can say "no emotion here", which the
# five-emotion models cannot; but *neutral* and *disgust* are never right for
# a pair's sentence, so every such answer costs its pair. The same
# bag-of-words network, trained on the same number of comments drawn from
# all seven groups:

go7 = load_dataset("goemotions")
neutral_train = go7.label_counts("train")["neutral"] / len(go7["train"])
print(f"GoEmotions training comments labelled neutral: {neutral_train:.0%}")
seven = []
for seed in SEEDS:
    go7_sample = go7.sampled(N_SCRATCH, seed)
    clf, _ = TextClassifier.fit(go7_sample, "nbow", recipe=bag, seed=seed)
    seven.append(clf)
pair_texts = [p.text_a for p in pairs["test"]] + [p.text_b for p in pairs["test"]]
n_test = len(pairs["test"])
scores7, neutral_share = [], []
for clf in seven:
    answers = [p.label for p in clf.predict(pair_texts)]
    scores7.append(score_pairs(pairs["test"], answers[:n_test], answers[n_test:]))
    neutral_share.append(np.mean([a not in FIVE for a in answers]))
jackpot7 = [clf.predict([jackpot])[0].label for clf in seven]
# in the last run's sample:
emotional = sum(label in FIVE for label in go7_sample.labels_of("train"))
print(
    f"bag of words on GoEmotions, seven groups ({', '.join(go7.labels)}): "
    f"pair accuracy {ms([s.pair_accuracy for s in scores7])}, sentence accuracy "
    f"{ms([s.sentence_accuracy for s in scores7])}; answers outside the five emotions "
    f"(neutral or disgust) for {np.mean(neutral_share):.0%} of the pairs' sentences; "
    f"jackpot read as {'/'.join(jackpot7)}; of its {len(go7_sample['train']):,} training comments, "
    f"{emotional:,} carry one of the five emotions (last run)"
)
print(
    "the same network on the five emotions only: pair accuracy "
    f"{ms(results[('bag of words', 'goemotions')]['pair'])}, sentence accuracy "
    f"{ms(results[('bag of words', 'goemotions')]['sentence'])}"
)

# %%
# Most sentences of the pairs describe what happened without an emotion word
# ("I didn't get the job"), and a model that has learned *neutral* from
# comments without emotion words may take many of them for neutral: the
# share of its answers outside the five emotions, printed above, says how
# many. The five-emotion models are forced to pick an emotion, which is part
# of how they score, and the seven-group model also learned from fewer
# comments of the five emotions (counted above).
#
# And the pair accuracy by kind of edit, over the five-emotion models. It
# rests on a handful of pairs per kind (the second exercise counts them).

print("pair accuracy by kind of edit (mean over every model and run):")
trained = list(results)
for edit in EDITS:
    print(f"  {edit:<17}{np.mean([results[k]['by_edit'][edit] for k in trained]):.2f}")

# %%
# How far a test score carries
# ----------------------------
# Each model's score on its own test texts (the *own test* column of the
# table) against its sentence accuracy on the pairs. Part of any gap is how
# easy each set is to guess, so the line also gives the yardstick of always
# answering the most common label on both.

test_gold = [p.label_a for p in pairs["test"]] + [p.label_b for p in pairs["test"]]
common = max(FIVE, key=test_gold.count)
gaps = [np.mean(results[k]["own"]) - np.mean(results[k]["sentence"]) for k in trained]
print(
    f"On texts like their training texts the models are right "
    f"{min(np.mean(results[k]['own']) for k in trained):.0%} to "
    f"{max(np.mean(results[k]['own']) for k in trained):.0%} of the time; on the pairs' "
    f"sentences, {min(np.mean(results[k]['sentence']) for k in trained):.0%} to "
    f"{max(np.mean(results[k]['sentence']) for k in trained):.0%}. Own test score minus "
    f"pair-sentence score, model by model: {100 * min(gaps):+.0f} to {100 * max(gaps):+.0f} "
    "percentage points. Always answering the most common label scores "
    f"{min(majority.values()):.0%} to {max(majority.values()):.0%} on their own test texts "
    f"and {test_gold.count(common) / len(test_gold):.0%} ({common}) on the pairs' sentences."
)

# %%
# The verdict
# -----------
# Printed from the numbers above, not written in advance. The lesson's
# yardsticks come first, for the test pairs.

best = max(trained, key=lambda k: np.mean(results[k]["pair"]))
best_pairs = np.mean(results[best]["pair"])
notice = [k for k in trained if jackpot_rows[k][2] < jackpot_rows[k][1]]
sad = {k: jackpot_rows[k][0].count("sadness") for k in trained}
negative = {
    k: sum(label in ("sadness", "anger", "fear") for label in jackpot_rows[k][0]) for k in trained
}
print(
    f"Yardsticks on the test pairs: always answering {common} gets "
    f"{test_gold.count(common) / len(test_gold):.0%} of the sentences right and no pair; "
    f"guessing at random among {len(FIVE)} labels gets a pair wholly right "
    f"{1 / len(FIVE) ** 2:.0%} of the time."
)
print(
    f"The highest pair accuracy here is {best_pairs:.0%} ({best[0]} trained on {best[1]}, "
    f"± {np.std(results[best]['pair'], ddof=1):.0%} over {len(SEEDS)} runs): "
    + ("far from reading the meaning reliably." if best_pairs < 0.5 else "a real step.")
    + f" With {len(pairs['test'])} test pairs one pair is worth "
    f"{100 / len(pairs['test']):.1f} points, so models a few points apart may differ by chance."
)
still_joy = sum(jackpot_rows[k][0].count("joy") * 2 > len(SEEDS) for k in notice)
print(
    f"Adding 'not me.' lowers the mean probability of joy for {len(notice)} of the "
    f"{len(trained)} models"
    + (": " + ", ".join(f"{k[0]} on {k[1]}" for k in notice) + "." if notice else ".")
    + (
        f" Yet {still_joy} of them still answer joy in most runs with 'not me.': a lower "
        "probability is not always a changed answer."
        if still_joy
        else ""
    )
)
most_sad = max(trained, key=lambda k: (sad[k], negative[k]))
runs_total = len(trained) * len(SEEDS)
print(
    f"The jackpot sentence is read as sadness in {sum(sad.values())} of the {runs_total} runs"
    + (
        f" (at most {sad[most_sad]} of {len(SEEDS)}, by {most_sad[0]} on {most_sad[1]})"
        if sad[most_sad]
        else ""
    )
    + f", as a negative emotion (sadness, anger or fear) in {sum(negative.values())}, and "
    f"as a negative emotion in every run by {sum(v == len(SEEDS) for v in negative.values())} "
    f"of the {len(trained)} models."
)
print(f"this page's computations took {time.perf_counter() - START:.0f} s")

# %%
# What this means for you
# -----------------------
# A model learns what its data rewards. Tweets labelled by their own hashtags
# reward spotting emotion words; comments labelled by readers could reward
# more. Whether they did for the small models of this page is printed under
# "What the data changes" above, and it depends on the model and on the run:
# a page-sized sample is a few thousand texts. The benchmarks named below
# train on every text of each dataset and compare the same.
# The spread between runs shows how much one lucky run could mislead: judge a
# model by several. The difference between a model's own test score and its
# score on the pairs is a warning: a test score describes texts like the
# training texts, and your texts may be written differently (the pairs are
# also harder on purpose: few of them contain an emotion word). Before you
# trust a test score, label a sample of your own texts by hand and score the
# model on them.
#
# The longer runs behind this page, all-MiniLM-L6-v2 fine-tuned end to end
# (``nlptut train --model minilm``) and the bag-of-words network's full recipe
# on all the data, are in ``benchmarks/bench_meaning.py``; its report,
# :doc:`/benchmarks/results/meaning`, says how far they got. The same script
# trains the other three from-scratch models (the CNN, the LSTM and the
# Transformer) with their full recipes on all of each dataset, three seeds
# each, and scores them on the pairs in the same way; their report is
# :doc:`/benchmarks/results/meaning-scratch`.
# ``benchmarks/bench_meaning_aim.py`` goes further: MiniLM fine-tuned on every
# GoEmotions comment, with and without a loss that counts rare emotions as
# much as common ones, the better of the two chosen on the development half
# and then trained with more seeds. Its report,
# :doc:`/benchmarks/results/meaning-aim`, says how much that raises the pair
# accuracy on the test half, and how its runs read the jackpot sentence; a
# second report, :doc:`/benchmarks/results/meaning-aim-both`, does the same
# with the tweets and the comments together. The end of the beginner route,
# :doc:`/intro/what-you-can-do-now`, sums up what these reports answer.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it runs at once) and compare. The solutions are the code that nlptut's own
# tests run, so they stay correct.
#
# 1. **Words that matter together.** A made-up model calls "it was great and
#    fantastic" happy if *either* "great" or "fantastic" is in it. What does
#    ``FeatureAblation`` give each word when it leaves out one word at a
#    time, and what when "great" and "fantastic" are left out together?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/read_the_meaning_further.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       One at a time, every word gets 0: without "great", "fantastic"
#       still makes the text happy, and the other way round. As one group
#       (a ``feature_mask`` that gives both words the same number), the two
#       words share the whole effect of 1. This is the caution of the
#       attribution figure above: leaving out one word at a time can miss
#       words that matter together.
#
# 2. **A handful of pairs.** How many test pairs does each kind of edit
#    have, and by how much does one pair more or less move that kind's pair
#    accuracy for one run?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/read_the_meaning_further.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- end ---
#
#       5 or 6 pairs each (nlptut's tests check it), so one pair moves a
#       kind's pair accuracy by 0.17 to 0.20 in a run. The table by kind of
#       edit averages many models and runs, which steadies it, but the same
#       few pairs are behind every one of them: a kind that stands out may
#       hold a pair or two that happen to be easy, rather than an easy kind
#       of edit.
