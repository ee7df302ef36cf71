"""
Emotion classification, end to end
==================================

This page walks the whole path once, on real data: load 20,000 English tweets
labelled with six emotions (dair-emotion, the CARER dataset of
:cite:t:`saravia2018carer`), turn them into :term:`batches <batch>` of numbers,
train four neural networks, compare them with a TF-IDF :term:`baseline` and
hand-written keyword
rules, look at the mistakes, and save the best model so that it can answer new
sentences later.

You will learn what each step produces, how to read a learning curve and a
:term:`confusion matrix`, and why a test score alone does not tell you how a model
fails.

**Before this page:** :doc:`../01_foundations/plot_01_rules_to_deep_learning`.
**After it** you can load a dataset, train and compare classifiers, and read
their scores and mistakes.
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

import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from nlptut.classifier import RECIPES, TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import dataset_info, load_dataset
from nlptut.explain import draw_word_attributions, word_attributions
from nlptut.keywords import for_labels
from nlptut.models import NEURAL_MODELS, count_parameters
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
# to chance). The bag of words, the cheapest by far, gets three epochs on
# batches of 256 and the largest rise in rate: its tens of thousands of
# n-gram vectors each appear in few tweets and learn little per epoch. The
# learning rate still warms up and decays to zero, only over fewer steps. The
# full recipes (``nlptut train --model lstm ...`` uses them) may add a little;
# the learning curve below shows how an extra epoch helps less each time.
#
# The four models read a tweet differently: the neural bag of words (NBoW)
# averages the vectors of its words, word pairs and word pieces, and ignores
# word order beyond pairs :cite:p:`joulin2017bag,bojanowski2017enriching`; the CNN
# detects 2- to 5-word phrases :cite:p:`kim2014cnn`; the bidirectional LSTM
# reads the words in order, both ways :cite:p:`hochreiter1997lstm`; the
# Transformer lets every word attend to every other :cite:p:`vaswani2017attention`.

EPOCHS = {"nbow": 3, "cnn": 1, "lstm": 1, "transformer": 1}
BATCH = {"nbow": 256, "cnn": 128, "lstm": 128, "transformer": 128}
# Learning rates for these epochs and batches (the recipes' rates are for
# batches of 32), chosen on the validation split.
LR = {"nbow": 6e-2, "cnn": 2e-2, "lstm": 2e-2, "transformer": 1.2e-2}
if QUICK:
    EPOCHS = dict.fromkeys(EPOCHS, 1)

classifiers, results = {}, {}
for name in NEURAL_MODELS:
    classifiers[name], results[name] = TextClassifier.fit(
        data, name, epochs=EPOCHS[name], batch_size=BATCH[name], lr=LR[name], progress=False
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
test_probs = {}
for name, clf in classifiers.items():
    test_probs[name] = clf.predict_proba(test.texts)
    test_pred[name] = test_probs[name].argmax(axis=1).tolist()
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
# Confusion matrix of the best model
# ----------------------------------
# We pick the best neural model by its *validation* macro-F1 (picking by the
# test score would leak the test set into the choice). The confusion matrix
# shows, for each true label (row), where its test tweets went; the diagonal
# is the share each label gets right. Below the per-label report, the three
# most frequent confusions.

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
confusion = np.array(scores[best_name].confusion)
np.fill_diagonal(confusion, 0)
for flat in np.argsort(-confusion, axis=None)[:3]:
    true_i, pred_i = np.unravel_index(flat, confusion.shape)
    true_label, pred_label = data.labels[true_i], data.labels[pred_i]
    print(f"{confusion[true_i, pred_i]:>3} {true_label} tweets taken for {pred_label}")

fig, ax = plt.subplots(figsize=(5.5, 4.5))
ConfusionMatrixDisplay.from_predictions(
    [data.labels[i] for i in test.labels],
    [data.labels[i] for i in test_pred[best_name]],
    labels=list(data.labels),
    normalize="true",
    values_format=".0%",
    colorbar=False,
    cmap="Blues",
    ax=ax,
)
ax.set_title(f"{best_name} on the test split (rows sum to 100%)")
fig.tight_layout()

# %%
# Error analysis: the most confident mistakes
# -------------------------------------------
# A score hides *how* a model fails. The mistakes it makes with the highest
# confidence are the most instructive: read them and ask whether the model
# or the label is wrong. The labels of this dataset were assigned
# automatically, from the emotion hashtags the writers used
# :cite:p:`saravia2018carer`, so some of them are noisy.

probs = test_probs[best_name]
pred = probs.argmax(axis=1)
truth = np.array(test.labels)
confidence = probs.max(axis=1)
wrong = np.flatnonzero(pred != truth)
print(
    f"{len(wrong)} mistakes of {len(truth)}; {np.sum(confidence[wrong] > 0.9)} of them "
    "with more than 90% confidence\n"
)
for i in wrong[np.argsort(-confidence[wrong])][:8]:
    text = test.texts[i] if len(test.texts[i]) <= 110 else test.texts[i][:107] + "..."
    print(f"{confidence[i]:.0%} {data.labels[pred[i]]:<9} (true: {data.labels[truth[i]]})  {text}")

# %%
# Save, reload, check
# -------------------
# :meth:`~nlptut.classifier.TextClassifier.save` writes a folder with the
# weights, the vocabulary and a ``config.json`` that records the sha256 of
# each file; :meth:`~nlptut.classifier.TextClassifier.load` checks them before
# it reads the weights. The reloaded model must give exactly the same
# :term:`probabilities <probability>` on the whole test split.

with tempfile.TemporaryDirectory() as tmp:
    folder = best.save(Path(tmp) / f"emotion-{best_name}")
    for file in sorted(folder.iterdir()):
        print(f"{file.name:<20}{file.stat().st_size:>12,} bytes")
    reloaded = TextClassifier.load(folder)
same = np.array_equal(reloaded.predict_proba(test.texts), probs)
print(f"reloaded {reloaded.model_name}: identical test probabilities: {same}")

# %%
# Ask about new sentences
# -----------------------
# Finally, sentences that are not tweets from the dataset. Read the second one
# slowly: its words (*won*, *jackpot*) are happy words, but the writer is the
# one who did *not* win. Counting words cannot see that; whether a network
# can depends on what its training tweets taught it, and those mostly start
# with *i feel*. The table shows what each model answers beside the emotion we
# read in each sentence, and counts how many answers match our reading. These
# sentences are written unlike the training tweets (capitals, punctuation, no
# *i feel*), so a model that scores well on the test tweets can still miss
# several of them: a test score measures a model on text like its training
# text, not on everything a reader may type.

# Each sentence with the emotion we, the writers of this page, read in it.
READING = {
    "We went to Bali for holiday. It was fantastic!": "joy",
    "My neighbour won the jackpot! not me.": "sadness",
    "I can't believe they cancelled the concert without telling anyone.": "anger",
    "I'm nervous about the exam tomorrow.": "fear",
    "He brought me flowers just because.": "love",
}
sentences = list(READING)
answers = {"our reading": list(READING.values())}
answers["keywords"] = [p.label for p in keywords.predict(sentences)]
for name, clf in classifiers.items():
    answers[name] = [p.label for p in clf.predict(sentences)]
best_answers = reloaded.predict(sentences)

print(f"{'sentence':<44}" + "".join(f"{name:>12}" for name in answers))
for i, sentence in enumerate(sentences):
    short = sentence if len(sentence) <= 42 else sentence[:39] + "..."
    print(f"{short:<44}" + "".join(f"{answers[name][i]:>12}" for name in answers))
agree = {
    name: sum(a == r for a, r in zip(labels, READING.values(), strict=True))
    for name, labels in answers.items()
    if name != "our reading"
}
print(
    "answers that match our reading:",
    ", ".join(f"{n} {k}/{len(READING)}" for n, k in agree.items()),
)
print(f"\nthe saved {best_name} model, all probabilities:")
for p in best_answers[:2]:
    ranked = sorted(p.probabilities.items(), key=lambda kv: -kv[1])
    print(f"  {p.text}\n    " + ", ".join(f"{label} {prob:.0%}" for label, prob in ranked))

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
# high. The page :doc:`../04_huggingface/plot_05_read_the_meaning` asks
# whether a model reads such sentences with many pairs of sentences, several
# runs and two datasets.

# %%
# Takeaway
# --------
# The whole pipeline fits on one page: tokens, a vocabulary built on the
# training split only, bucketed batches, a training loop with early stopping
# on the validation split, and one look at the test split at the end. The
# learned models leave the hand-written keywords far behind, and the TF-IDF +
# linear SVM baseline is the yardstick every neural model must be measured
# against. The gap between the published fine-tuned Transformers and our best
# model trained from scratch is printed under the confusion matrix's report;
# it is small next to the difference in size and pretraining because in these
# tweets an emotion word usually gives the label away
# (:ref:`the Indonesian page
# <sphx_glr_auto_examples_02_emotion_plot_02_indonesian_emot.py>` shows a task
# where pretraining matters far more). And the test score is not the whole
# story: the confusion matrix shows which emotions blur together, the most
# confident mistakes show labels you may disagree with, and a sentence like
# *"My neighbour won the jackpot! not me."* shows the limits of learning
# emotions from word patterns.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it trains on 2,000 tweets, in seconds) and compare. The solutions are the
# code that nlptut's own tests run, so they stay correct.
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
#
# 2. **Reading only the start.** Train the same model twice, once reading up
#    to 64 tokens of each tweet and once only the first two
#    (``max_len=2``). What happens to the test accuracy, and why?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       With two tokens the accuracy falls to about that of always answering
#       the most common emotion: nearly every tweet of this dataset starts with
#       "i feel" or "i am", so its first two words say nothing about the
#       emotion (nlptut's tests check that it falls by more than 0.15).
#
# 3. **Negation.** What do the keyword rules answer for *"I am not happy at
#    all."*, and which word decides it?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Joy, because of the word *happy*: the rules count words and cannot see
#       the *not* in front of it. A trained model may learn such patterns from
#       its tweets, if the tweets contain enough of them.
