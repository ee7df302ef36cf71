"""
Fine-tuning a pretrained model
==============================

A :term:`pretrained model` has already read a great deal of text: it was
trained, before you ever saw it, to turn sentences into numbers that capture
what they say. :term:`Fine-tuning <fine-tuning>` trains it a little more on
*your* :term:`labelled <label>` texts, so that it learns your labels. This
lesson fine-tunes all-MiniLM-L6-v2 (:cite:t:`wang2020minilm`,
:cite:t:`reimers2019sentencebert`), a small pretrained :term:`Transformer`
:term:`encoder`, on 1,000 English tweets labelled with six emotions
(dair-emotion, :cite:t:`saravia2018carer`), and compares it with a network
that learns from those 1,000 tweets alone.

**Before this page:** :doc:`plot_01_tokenizers` and
:doc:`../01_foundations/plot_02_how_a_model_learns`. **After it** you can
fine-tune a small pretrained model on your labelled texts on an ordinary
computer, and judge whether it was worth it.
"""

# %%
# The data
# --------
# Fine-tuning moves all of MiniLM's 22 million :term:`weights <weight>`, so it
# is slow on an ordinary processor. To keep this page within its time we
# fine-tune on the first 1,000 of the 16,000 training tweets, check it
# during training on 500 validation tweets, and score it on the first 1,000
# of the 2,000 test tweets.

import matplotlib.pyplot as plt

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import dataset_info, load_dataset
from nlptut.explain import draw_word_attributions, word_attributions
from nlptut.finetuned import FinetunedClassifier

QUICK = quick_mode()  # the tests' quick mode (NLPTUT_QUICK set): far fewer tweets, to run fast
everything = load_dataset("dair-emotion", limit=200 if QUICK else None)
n_train = 96 if QUICK else 1000  # how many training tweets to keep
n_val = 64 if QUICK else 500  # validation tweets
n_test = 64 if QUICK else 1000  # test tweets
# .first(n, split) gives a copy of the data whose split keeps only its first n tweets
# (the training split when no split is named); the other splits stay as they are
data = everything.first(n_train)
data = data.first(n_val, "validation")
data = data.first(n_test, "test")
print({split: len(data[split]) for split in ("train", "validation", "test")})

# %%
# Fine-tune
# ---------
# :meth:`FinetunedClassifier.fit <nlptut.finetuned.FinetunedClassifier.fit>`
# loads MiniLM, puts a new :term:`head <head>` on it (a small layer that turns
# MiniLM's numbers for a tweet into six emotion scores, random at first), and
# trains both with the steps of :doc:`../01_foundations/plot_02_how_a_model_learns`:
# one pass (:term:`epoch`) in :term:`batches <batch>` of 16 tweets, a
# :term:`learning rate` that rises over the first tenth of the steps and then
# falls (:term:`warm-up`), and tweets cut at 64 :term:`tokens <token>`. These
# settings were chosen on the :term:`validation split`; the deep dive
# :doc:`/deep-dives/fine-tuning-loop` walks through the loop line by line.

model, result = FinetunedClassifier.fit(
    data, epochs=1, batch_size=16, lr=3e-4, warmup=0.1, max_length=64, seed=0, progress=False
)
print(f"fine-tuned in {result.seconds:.0f} s; validation macro-F1 {result.best_val_macro_f1:.3f}")

# %%
# Was it worth it?
# ----------------
# The fair comparison is between the two models trained here, on the *same*
# 1,000 tweets: the fine-tuned MiniLM, and nlptut's neural bag of words
# trained from nothing (batches of 64, at a learning rate chosen on the
# validation split). The table adds two rows for reference only, marked
# *published*: the test accuracy of two larger pretrained models, BERT-base
# and DistilBERT, that someone else fine-tuned on all 16,000 tweets and
# published on each model's *model card*, the web page that comes with a
# shared model and says how it was trained and how well it did
# :cite:p:`devlin2019bert,sanh2019distilbert,savaniemotioncards`. Those models
# learned from 16 times more tweets and were scored on the whole test split:
# they show where more data and bigger models lead, not how our two compare.
# The LSTM of :doc:`the emotion lesson <../02_emotion/plot_01_emotion_end_to_end>`
# also learned from all 16,000 training tweets, so its accuracy there cannot
# be compared with this page's either.

scratch, scratch_result = TextClassifier.fit(data, "nbow", batch_size=64, lr=4e-2, progress=False)
scores = {"MiniLM, fine-tuned": model.evaluate(data), "bag of words": scratch.evaluate(data)}
print(f"{'model':<34}{'train tweets':>13}{'accuracy':>10}{'macro-F1':>10}")
for name, m in scores.items():
    print(f"{name + ' (here)':<34}{len(data['train']):>13,}{m.accuracy:>10.1%}{m.macro_f1:>10.3f}")
published = dataset_info("dair-emotion").published_scores("accuracy")
for name in ("BERT-base", "DistilBERT"):
    print(f"{name + ' (published)':<34}{16000:>13,}{published[name] / 100:>10.1%}{'-':>10}")
print(f"training time: {result.seconds:.0f} s against {scratch_result.seconds:.0f} s")

# %%
# Where the gain comes from
# -------------------------
# The :term:`F1` score of each emotion, for both models trained here, with
# how many training tweets each emotion has. Read the last column: a
# positive number means fine-tuning did better on that emotion.

counts = data.label_counts("train")
print(f"{'emotion':<10}{'tweets':>7}{'bag of words':>14}{'MiniLM':>8}{'gain':>8}")
for label in data.labels:
    f1 = [scores[name].report[label]["f1-score"] for name in ("bag of words", "MiniLM, fine-tuned")]
    print(f"{label:<10}{counts[label]:>7}{f1[0]:>14.3f}{f1[1]:>8.3f}{f1[1] - f1[0]:>+8.3f}")

# %%
# A gain can also be small, or below zero. This is one run on 1,000 tweets,
# and every emotion's F1 moves from one run to the next, most of all for an
# emotion with few test tweets, where a handful of answers moves it a long
# way: read a single emotion's gain as a hint.

# %%
# Our two sentences
# -----------------
# The two sentences this site follows, with the :term:`probability` the
# fine-tuned model gives each emotion. Neither looks like the training
# tweets (capitals, punctuation, no "i feel"), and the second is ambiguous
# even for a person: good news for the neighbour, perhaps envy for the
# writer.

for prediction in model.predict(
    ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]
):
    ranked = sorted(prediction.probabilities.items(), key=lambda item: -item[1])[:3]
    print(prediction.text, "->", ", ".join(f"{label} {p:.0%}" for label, p in ranked))

# %%
# Which words pushed the answer?
# ------------------------------
# An :term:`attribution` gives each word a number: how much it raised or
# lowered the probability of the model's answer, found by leaving the word
# out and asking the model again (:mod:`nlptut.explain`, with Captum,
# :cite:t:`kokhlikyan2020captum`). In the figure, each line starts with the
# model's answer; red words raised its probability, blue words lowered it.
# The colours are measured against that answer: for a model that read "not
# me." rightly, those words would be blue if it answered joy (they lower
# joy), and red if it answered sadness (they raise it). The printed
# lines say what this run found: for each sentence, the words (two at most)
# that raised its answer's probability most and those that lowered it most,
# each with the change it made. One run, one word at a time: read it as a
# hint, not a proof.

explained = ["My neighbour won the jackpot! not me.", "My neighbour won the jackpot!"]
attributions = [word_attributions(model.predict_proba, text) for text in explained]
fig, ax = plt.subplots(figsize=(8, 1.5), dpi=80, layout="constrained")
draw_word_attributions(ax, attributions, data.labels)
ax.set_title("Which words raised (red) or lowered (blue) the answer", fontsize=10)
for a in attributions:
    ranked = sorted(zip(a.scores, a.words, strict=True), reverse=True)  # most raising first
    up = " and ".join(f"{w!r} ({s:+.2f})" for s, w in ranked[:2] if s > 0) or "no word"
    down = " and ".join(f"{w!r} ({s:+.2f})" for s, w in ranked[::-1][:2] if s < 0) or "no word"
    print(f"{a.text!r} -> {data.labels[a.target]} {a.probability:.2f}")
    print(f"   raised most by {up}; lowered most by {down}")

# %%
# Takeaway
# --------
# The table says how much the pretrained model gains over the network that
# learned from the same 1,000 tweets alone, and the per-emotion gains show
# where. What MiniLM brings is its knowledge of what words mean, which
# fine-tuning only has to point at emotions; the bag of words has to learn
# everything from these tweets. Fine-tuning costs far more computing time
# (the last line of the table). With your own texts, ``nlptut train --model
# minilm`` does the same from the command line
# (:doc:`../02_emotion/plot_05_your_own_data_further`). Whether a model reads
# the *meaning* of the jackpot sentence is the next lesson's question:
# :doc:`plot_05_read_the_meaning` asks it of a bag of words trained three
# times; its deep dive asks MiniLM and others.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# and compare (each takes a few seconds). The solutions are the code that
# nlptut's own tests run, so they stay correct.
#
# 1. **How big is the head?** The head turns MiniLM's 384 numbers for a
#    tweet into 6 emotion scores. How many weights does it have, and what
#    share of the whole model is that?
#
#    .. dropdown:: Solution
#
#       Run it with ``print(head_weights())``.
#
#       .. literalinclude:: ../../exercises/fine_tuning.py
#          :start-after: # --- exercise 4 ---
#          :end-before: # --- end ---
#
#       2,310: one weight for each pair of an input number and an emotion
#       (384 × 6) and one starting value (:term:`bias`) per emotion. That is
#       about a hundredth of a percent of the model (the solution prints the
#       share): fine-tuning mostly adjusts what MiniLM already learned, while
#       the head is learned from nothing.
#
# 2. **Cut tweets.** The page cuts tweets at 64 MiniLM tokens
#    (``max_length=64``). What share of the training tweets is longer and so
#    gets cut?
#
#    .. dropdown:: Solution
#
#       Run it with ``print(cut_tweets())``.
#
#       .. literalinclude:: ../../exercises/fine_tuning.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- exercise 4 ---
#
#       Well under 1% (nlptut's tests check it): these tweets are short, so
#       64 costs almost nothing in what the model reads, and keeps the
#       longest batches, and so the slowest steps, small. For longer texts,
#       measure the lengths the same way before choosing ``max_length``.
