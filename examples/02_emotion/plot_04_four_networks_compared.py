"""
Four networks compared
======================

A deep dive behind the lesson :doc:`plot_01_emotion_end_to_end`. That lesson
trained one network with one call; this page opens the call and compares
four networks on the same English tweets (dair-emotion: 16,000 to train on,
2,000 to check on and 2,000 to test on, as the table below prints;
:cite:t:`saravia2018carer`): how a tweet becomes a :term:`batch` of numbers,
how each network reads it, how long each takes to train, how each compares
with a strong simple baseline (:term:`TF-IDF` and a :term:`support vector
machine`) and with published results, and which words pushed two networks'
answers for the jackpot sentence.

**Before this page:** :doc:`plot_01_emotion_end_to_end` and
:doc:`../01_foundations/plot_02_how_a_model_learns` (the training settings);
:doc:`../01_foundations/plot_02_what_is_deep_learning` goes deeper.
**After it** you can say how a text classifier turns text into batches,
choose between the four kinds of network for a task, and measure them
fairly against a baseline.
"""

# %%
# Load the data
# -------------
# :func:`nlptut.datasets.load_dataset` fetches the three files once (checking
# their sha256) and returns the :term:`training <training split>`,
# :term:`validation <validation split>` and :term:`test <test split>` splits. The
# *data card* below is counted from the files, not copied from a README
# (:doc:`/datasets/dair-emotion` has the full one). The
# labels are far from balanced: there are many more *joy* tweets than
# *surprise* tweets, which is why we report :term:`macro-F1` (the plain average
# of the six per-label :term:`F1` scores) beside :term:`accuracy`.

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from nlptut.claims import expect
from nlptut.classifier import RECIPES, TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import dataset_info, load_dataset
from nlptut.explain import draw_word_attributions, word_attributions
from nlptut.keywords import for_labels
from nlptut.models import NEURAL_MODELS, count_parameters
from nlptut.shortruns import SHORT_RUNS
from nlptut.text import EncodedDataset, Vocabulary, make_loader, padding_fraction, tokenize
from nlptut.training import classification_metrics

QUICK = quick_mode()
data = load_dataset("dair-emotion", limit=1000 if QUICK else None)
info = dataset_info("dair-emotion")
train, val, test = data["train"], data["validation"], data["test"]
SPLITS = ("train", "validation", "test")

print(f"{info.title}; licence: {info.license}")
print(f"{'label':<10}" + "".join(f"{s:>12}" for s in SPLITS) + f"{'train share':>13}")
for label in data.labels:
    counts = [data.label_counts(s)[label] for s in SPLITS]
    print(
        f"{label:<10}" + "".join(f"{c:>12,}" for c in counts) + f"{counts[0] / len(train):>13.1%}"
    )
print(f"{'total':<10}" + "".join(f"{len(data[s]):>12,}" for s in SPLITS))

# %%
# Tokenize
# --------
# A model cannot read a string; first we cut it into *tokens*.
# :func:`nlptut.text.tokenize` lower-cases, keeps words (and words joined by
# a hyphen) together and makes every punctuation mark a token of its own. The
# tweets of this dataset are already lower-case and have no punctuation, but
# the sentences we will ask about at the end do, and they must be cut the same
# way.

print("tweet: ", repr(train.texts[0]))
print("tokens:", tokenize(train.texts[0]))
new_sentence = "We went to Bali for holiday. It was fantastic!"
print("new:   ", repr(new_sentence))
print("tokens:", tokenize(new_sentence))
lengths = np.array([len(tokenize(t)) for t in train.texts])
print(f"tokens per training tweet: median {np.median(lengths):.0f}, longest {lengths.max()}")

# %%
# Build the vocabulary
# --------------------
# The :term:`vocabulary` gives every token seen at least twice in the *training*
# split an id. Rarer tokens, and every token the model never saw, become
# ``<unk>`` (id 1); id 0 is ``<pad>``, the filler of short texts. Building it
# from the training split only keeps the test set truly unseen; the price is
# that some test words are unknown.

vocab = Vocabulary.build(train.texts, min_freq=2)
all_words = Vocabulary.build(train.texts, min_freq=1)
test_tokens = [tok for text in test.texts for tok in tokenize(text)]
unknown = sum(tok not in vocab for tok in test_tokens)
print(f"{len(all_words):,} distinct training tokens; {len(vocab):,} kept (seen twice or more)")
unknown_rate = unknown / len(test_tokens)
print(f"unknown tokens in the test split: {unknown:,} of {len(test_tokens):,} ({unknown_rate:.1%})")
ids = vocab.encode("i feel fantastic about the bali holiday")
print("ids:    ", ids)
print("decoded:", vocab.decode(ids))

# %%
# Batch
# -----
# :class:`~nlptut.text.EncodedDataset` turns every tweet into its ids, and
# :func:`~nlptut.text.make_loader` groups them into batches: one
# :term:`tensor` of shape (batch, longest text in the batch),
# :term:`padded <padding>` with id 0, plus a *mask* that says which positions
# are real :term:`tokens <token>`. Here is the first batch of 32.

train_set = EncodedDataset.from_texts(train.texts, train.labels, vocab, max_len=64)
batch = next(iter(make_loader(train_set, batch_size=32, shuffle=True, seed=0)))
print(batch.ids.shape, batch.ids.dtype, "(batch, seq_len)")
print("ids[0]:   ", batch.ids[0].tolist())
print("mask[0]:  ", batch.mask[0].int().tolist())
print("lengths:  ", batch.lengths.tolist())
print("labels:   ", [data.labels[i] for i in batch.labels[:6].tolist()], "...")
print("tweet [0]:", " ".join(vocab.decode(batch.ids[0])))

# %%
# Every padded position costs computation and teaches nothing. *Bucketing*
# puts tweets of similar length in the same batch (still in a shuffled order),
# so batches need little padding. Over one :term:`epoch` of the training split:

shuffled = padding_fraction(make_loader(train_set, batch_size=32, shuffle=True, bucket=False))
bucketed = padding_fraction(make_loader(train_set, batch_size=32, shuffle=True, bucket=True))
print(f"padded positions, random batches:   {shuffled:.1%}")
print(f"padded positions, bucketed batches: {bucketed:.1%}")
saved = 1 - (1 - shuffled) / (1 - bucketed)
print(f"bucketing removes {saved:.0%} of all positions the model computes")

# %%
# Train four models
# -----------------
# :meth:`TextClassifier.fit <nlptut.classifier.TextClassifier.fit>` builds the
# same vocabulary and batches as above (the bag of words adds its :term:`n-gram`
# features, and its recipe drops words seen fewer than three times), then
# trains with AdamW, a learning
# rate that warms up and decays linearly, and early stopping on validation
# macro-F1 (the :term:`weights <weight>` of the best epoch are kept). Each model has tuned
# settings, its *recipe*. The recipes run 5 to 20 epochs on batches of 32
# tweets; to keep this page within its time budget on two CPU cores we train
# the CNN, the LSTM and the :term:`Transformer` for **one epoch on batches of 128**
# (a small fraction of a recipe's steps: the table lists both settings and
# how long each model took here) and keep every other setting of the recipe but the
# :term:`learning rate`: fewer, larger steps need larger ones, so each model gets a
# higher rate, listed in the table and chosen on the validation split in our
# trial runs (one run per rate, so small differences between rates were left
# to chance). The bag of words, the cheapest per epoch (the table lists the
# seconds), gets two epochs on
# batches of 256 and the largest rise in rate: its tens of thousands of
# n-gram vectors each appear in few tweets and learn little per epoch. The
# learning rate still warms up and decays to zero, only over fewer steps. The
# full recipes (``nlptut train --model lstm ...`` uses them) may add a little;
# the learning curve below shows what each extra epoch added.
#
# The four models read a tweet differently: the neural bag of words (NBoW)
# averages the vectors of its words, word pairs and word pieces, and ignores
# word order beyond pairs :cite:p:`joulin2017bag,bojanowski2017enriching`; the CNN
# detects 2- to 5-word phrases :cite:p:`kim2014cnn`; the bidirectional LSTM
# reads the words in order, both ways :cite:p:`hochreiter1997lstm`; the
# Transformer lets every word attend to every other :cite:p:`vaswani2017attention`.

# The short runs (nlptut.shortruns): the same settings the lesson and the
# other pages use, so a site build trains each of these models only once.
EPOCHS = {name: SHORT_RUNS[name]["epochs"] for name in NEURAL_MODELS}
BATCH = {name: SHORT_RUNS[name]["batch_size"] for name in NEURAL_MODELS}
LR = {name: SHORT_RUNS[name]["lr"] for name in NEURAL_MODELS}

classifiers, results = {}, {}
for name in NEURAL_MODELS:
    classifiers[name], results[name] = TextClassifier.fit(
        data, name, progress=False, **SHORT_RUNS[name]
    )

print(
    f"{'model':<12}{'parameters':>11}{'epochs':>8}{'recipe':>8}{'batch':>7}{'recipe':>8}"
    f"{'lr':>8}{'recipe':>8}"
    f"{'best epoch':>12}{'val F1':>8}{'seconds':>9}"
)
for name in NEURAL_MODELS:
    settings, result = RECIPES[name].train, results[name]
    print(
        f"{name:<12}{count_parameters(classifiers[name].model):>11,}{EPOCHS[name]:>8}"
        f"{settings.epochs:>8}{BATCH[name]:>7}{settings.batch_size:>8}{LR[name]:>8g}{settings.lr:>8g}"
        f"{result.best_epoch:>12}{result.best_val_macro_f1:>8.3f}{result.seconds:>9.1f}"
    )
print(f"precision: {results['nbow'].precision}")
per_epoch = {name: results[name].seconds / len(results[name].history) for name in NEURAL_MODELS}
expect(
    min(per_epoch, key=per_epoch.get) == "nbow",
    "the bag of words is the cheapest per epoch",
    numbers=", ".join(f"{name} {s:.1f} s per epoch" for name, s in per_epoch.items()),
)
same = [name for name, c in classifiers.items() if c.vocab == vocab]
print("fit built the same vocabulary as above for:", ", ".join(same))
bag = classifiers["nbow"].vocab
print(
    f"nbow's recipe keeps words seen at least {RECIPES['nbow'].min_freq} times: "
    f"{bag.num_words:,} words, plus {len(bag.ngrams):,} word pairs and word pieces"
)

# %%
# Learning curves
# ---------------
# The validation macro-F1 after every epoch. A curve that still climbs at the
# end says more epochs would help; one that flattens says they would add
# little; one that falls says the model starts to memorise the training
# tweets (early stopping then keeps the best epoch). Only the bag of words
# trained for more than one epoch here, so it is the only curve; the other
# models are single points.

nbow_f1 = [r.val_macro_f1 for r in results["nbow"].history]
gains = ", ".join(f"{b - a:+.3f}" for a, b in zip(nbow_f1, nbow_f1[1:], strict=False))
print(f"nbow, validation macro-F1 gained by each epoch after the first: {gains or 'none'}")
fig, ax = plt.subplots(figsize=(6.5, 3.5))
for name in NEURAL_MODELS:
    history = results[name].history
    ax.plot([r.epoch for r in history], [r.val_macro_f1 for r in history], marker="o", label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("validation macro-F1")
ax.xaxis.get_major_locator().set_params(integer=True)
ax.set_title("dair-emotion: validation macro-F1 per epoch")
ax.legend()
fig.tight_layout()

# %%
# Two baselines
# -------------
# A neural model must earn its keep against simpler methods. The strongest
# simple one is a linear support vector machine on TF-IDF features of single
# words and word pairs :cite:p:`pedregosa2011sklearn` (its training time is
# printed below).
# The weakest is the keyword model of :mod:`nlptut.keywords`: hand-written word
# lists, one per emotion, nothing learned.

start = time.perf_counter()
svm = make_pipeline(
    TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(random_state=0)
)
svm.fit(train.texts, train.labels)
svm_seconds = time.perf_counter() - start
keywords = for_labels(data.labels).fit(train.texts, [data.labels[i] for i in train.labels])
print(f"TF-IDF + linear SVM trained in {svm_seconds:.1f} s on {len(train):,} tweets")
print(keywords)

# %%
# Compare on the test set
# -----------------------
# Only now do we touch the test split, once for every model. The neural
# models were chosen (best epoch) on the validation split, so the test scores
# are an honest estimate of how they do on new tweets from the same source.

index = {label: i for i, label in enumerate(data.labels)}
test_pred = {
    "keywords": [index[p.label] for p in keywords.predict(test.texts)],
    "TF-IDF + SVM": svm.predict(test.texts).tolist(),
}
for name, clf in classifiers.items():
    test_pred[name] = clf.predict_proba(test.texts).argmax(axis=1).tolist()
seconds = {"keywords": 0.0, "TF-IDF + SVM": svm_seconds} | {
    name: r.seconds for name, r in results.items()
}

scores = {
    name: classification_metrics(test.labels, pred, data.labels) for name, pred in test_pred.items()
}
print(f"{'model':<14}{'accuracy':>10}{'macro-F1':>10}{'train seconds':>15}")
for name, m in scores.items():
    print(f"{name:<14}{m.accuracy:>10.3f}{m.macro_f1:>10.3f}{seconds[name]:>15.1f}")

# %%
# For scale, pretrained Transformers *fine-tuned* on this training split
# report, on the same test split, 94.05% accuracy (BERT-base
# :cite:p:`devlin2019bert`), 93.8% (DistilBERT :cite:p:`sanh2019distilbert`)
# and 93.95% (RoBERTa-base :cite:p:`liu2019roberta`), according to the
# comparison table on their model cards on the Hugging Face hub
# :cite:p:`savaniemotioncards`. The same cards also carry the hub's own
# evaluation of two of these models on the test split, which is lower: 92.65%
# for BERT-base and 93.1% for RoBERTa-base. Those numbers are published, not
# computed here; the models behind them read billions of words before they
# ever saw a tweet, and have 66 to 125 million parameters (the size of ours
# is in the table above).
#
# The best network
# ----------------
# We pick the best network by its *validation* macro-F1 (picking by the test
# score would leak the test set into the choice), then compare it with the
# published models above. Its confusion matrix and mistakes are read in the
# lesson :doc:`plot_01_emotion_end_to_end` for the LSTM; here, its
# per-label report.

best_name = max(NEURAL_MODELS, key=lambda n: results[n].best_val_macro_f1)
best = classifiers[best_name]
print(f"best on validation: {best_name}; test macro-F1 {scores[best_name].macro_f1:.3f}")
published = info.published_scores("accuracy")  # the cited numbers, as nlptut records them
top = max(published, key=published.get)
print(
    f"{top}'s published accuracy minus {best_name}'s: "
    f"{published[top] / 100 - scores[best_name].accuracy:+.3f}; "
    f"{best_name} has {count_parameters(best.model):,} weights"
)
print(scores[best_name].format_report())

# %%
# Which words pushed the answer?
# ------------------------------
# An :term:`attribution` gives each word a number: how much it raised or
# lowered the probability of the model's answer. :mod:`nlptut.explain` finds
# it by leaving one word out at a time and running the model again; Captum,
# PyTorch's library for explaining models (:cite:t:`kokhlikyan2020captum`),
# does this with its ``FeatureAblation``. Here for the two models that can
# connect words far apart (*not me* with *won*), the LSTM and the
# Transformer, on the jackpot sentence with and without "not me.". In the
# figure, each line starts with the model's answer, then its words: red
# where a word raised the answer's probability, blue where it lowered it
# (colours compare the words of one sentence only). Each printed line gives
# the answer, its probability, and the word whose removal changes that
# probability most (+0.22 would mean: without this word, the probability is
# 0.22 lower). Words are split at spaces, so punctuation stays with them. A
# model that read the meaning would answer sadness for the first sentence,
# pushed there by *not* and *me.*.

explained = ["My neighbour won the jackpot! not me.", "My neighbour won the jackpot!"]
names = ["lstm", "transformer"]
fig, axes = plt.subplots(len(names), 1, figsize=(7, 1.1 * len(names) + 0.3), dpi=80)
fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.02, hspace=0.6)
for ax, name in zip(axes, names, strict=True):
    rows = [word_attributions(classifiers[name].predict_proba, text) for text in explained]
    ax.set_title(name, fontsize=10, loc="left")
    draw_word_attributions(ax, rows, data.labels)
    for a in rows:
        word, score = a.strongest
        print(
            f"{name:<12}{data.labels[a.target]:<9}{a.probability:.2f}  {a.text!r}: "
            f"moved most by {word!r} ({score:+.2f})"
        )
plt.show()

# %%
# Read these as hints, not proofs: each is one run of one model, and
# leaving out one word at a time misses words that matter only together
# (*not* with *me*). For models that read words in order, leaving out a word
# also moves every word after it, so a plain word such as "My" can score
# high. The lesson :doc:`../04_huggingface/plot_05_read_the_meaning` asks
# whether a model reads such sentences with many pairs of sentences and
# several runs, and its deep dive
# :doc:`../04_huggingface/plot_06_read_the_meaning_further` with two datasets.

# %%
# Takeaway
# --------
# The whole pipeline fits on one page: tokens, a vocabulary built on the
# training split only, bucketed batches, a training loop with early stopping
# on the validation split, and one look at the test split at the end. The
# comparison table says how far each network is from the hand-written
# keywords and from the TF-IDF + linear SVM baseline, the yardstick every
# neural model must be measured against, and what each cost in seconds. The
# gap between the published fine-tuned Transformers and our best network
# trained from scratch is printed above its report; in these tweets an
# emotion word often gives the label away, which helps small models
# (:ref:`the Indonesian page
# <sphx_glr_auto_examples_02_emotion_plot_02_indonesian_emot.py>` shows a task
# where pretraining matters far more).

# %%
# Exercises
# ---------
# First write down what you expect, then run the solution's code (it trains
# on 2,000 tweets, in seconds) and compare. The solutions are the code that
# nlptut's own tests run, so they stay correct.
#
# 1. **Word order.** A bag of words averages the vectors of a tweet's words.
#    Train one on words alone (no word pairs) and ask it about
#    *"i am not happy i am sad"* and *"i am not sad i am happy"*. Will it give
#    the two sentences different probabilities?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       The two rows of probabilities are the same: the sentences hold the same
#       words, and an average does not depend on their order. That is why the
#       bag of words' recipe adds the pairs of neighbouring words ("not happy",
#       "not sad") as features of their own.
