"""
Emotion classification, end to end
==================================

This lesson trains one neural network on 16,000 English tweets labelled with
six emotions (dair-emotion, the CARER dataset of :cite:t:`saravia2018carer`)
and then reads its results the way you would read any classifier's: how
often it is right, which emotions it mixes up, which mistakes it makes with
confidence, and what it says about sentences of our own.

**Before this page:** :doc:`../01_foundations/plot_01_rules_to_deep_learning`
and :doc:`../01_foundations/plot_02_how_a_model_learns`.
**After it** you can train a classifier with nlptut, judge it against simple
yardsticks, read a :term:`confusion matrix`, and save the model for later.
"""

# %%
# Load the data
# -------------
# :func:`~nlptut.datasets.load_dataset` fetches the dataset once and returns
# three parts, called *splits*: the :term:`training split` to learn from, the
# :term:`validation split` to check the model while it learns, and the
# :term:`test split`, kept aside until the very end. Below, how many tweets
# each emotion has in each split: far more *joy* than *surprise*.

import tempfile
import textwrap

import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels
from nlptut.mistakes import confident_mistakes
from nlptut.shortruns import SHORT_RUNS, describe
from nlptut.training import classification_metrics

data = load_dataset("dair-emotion", limit=1000 if quick_mode() else None)
print(f"{'':<10}{'train':>11}{'validation':>11}{'test':>11}")
for label in data.labels:
    counts = [data.label_counts(split)[label] for split in ("train", "validation", "test")]
    print(f"{label:<10}" + "".join(f"{n:>11,}" for n in counts))

# %%
# Train a network
# ---------------
# We train an :term:`LSTM`, a network that reads a tweet one word at a time,
# in order, keeping a running summary of what it has read (it reads each tweet
# in both directions). :meth:`TextClassifier.fit
# <nlptut.classifier.TextClassifier.fit>` does every step of the previous
# lesson for us: it cuts the tweets into words, gives each word an id, and
# trains with the loss, the gradient and the learning rate, keeping the epoch
# with the best validation score (:term:`early stopping`): the *val macro-F1*
# of the output, a score the next section explains.
#
# To keep this page within a minute on two processor cores we make a *short
# run*: one pass (one :term:`epoch`) in :term:`batches <batch>` of 128
# tweets, with a larger learning rate to match (the first line of the output
# gives the settings). The LSTM's full recipe (``nlptut train --model lstm``)
# runs up to 15 epochs on smaller batches; the deep dive
# :doc:`plot_04_four_networks_compared` compares it with three other networks.

model, result = TextClassifier.fit(data, "lstm", progress=False, **SHORT_RUNS["lstm"])
print(f"{describe('lstm')}: {result.seconds:.0f} s, val macro-F1 {result.best_val_macro_f1:.3f}")

# %%
# How good is it?
# ---------------
# Now, and only now, the test split. Two scores. :term:`Accuracy <accuracy>`
# is the share of test tweets the model labels right. For the second, take one
# emotion, say joy, and ask two questions, as of a diagnostic test: of the
# tweets the model called joy, how many were joy (the *positive predictive
# value*)? And of the real joy tweets, how many did it find (the
# *sensitivity*)? The :term:`F1` of joy is their *harmonic mean*, twice their
# product divided by their sum, which is pulled towards the weaker of the two:
# 0.9 and 0.5 give about 0.64, where their plain average is 0.7. So F1 is
# high only when both are. The :term:`macro-F1` is the plain average of the
# six emotions' F1s, so a rare emotion such as *surprise* counts as much as a
# common one. A score means little alone, so we set two yardsticks beside it:
# always answering the most common emotion, and the keyword rules of the first
# lesson.

test = data["test"]
rules = for_labels(data.labels).fit(data["train"].texts, data.labels_of("train"))
# data.label_counts("train") is a dict, {emotion: its number of training tweets};
# max, with key=its .get, picks the emotion whose count is the largest
most_common = max(data.labels, key=data.label_counts("train").get)
answers = {
    "always " + most_common: [data.labels.index(most_common)] * len(test),
    "keyword rules": [data.labels.index(p.label) for p in rules.predict(test.texts)],
    # as in the first lesson: each test tweet's column of highest probability, its
    # emotion as a label number; .tolist() turns the NumPy array into a plain list
    "LSTM": model.predict_proba(test.texts).argmax(axis=1).tolist(),
}
print(f"{'':<16}{'accuracy':>9}{'macro-F1':>10}")
scores = {n: classification_metrics(test.labels, p, data.labels) for n, p in answers.items()}
for name, m in scores.items():
    print(f"{name:<16}{m.accuracy:>9.3f}{m.macro_f1:>10.3f}")

# %%
# Which emotions does it mix up?
# ------------------------------
# A :term:`confusion matrix` has a row for each true emotion and a column for
# each answer. Each row shows where that emotion's test tweets went; the
# diagonal is the share answered right. Below it, the three most common
# mix-ups, counted in tweets.

fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
style = {"normalize": "true", "values_format": ".0%", "colorbar": False, "cmap": "Blues"}
lstm_answers = [data.labels[i] for i in answers["LSTM"]]
ConfusionMatrixDisplay.from_predictions(
    data.labels_of("test"), lstm_answers, labels=list(data.labels), ax=ax, **style
)
ax.set_title("LSTM on the test split (each row adds up to 100%)")
for true_label, answer, count in scores["LSTM"].top_confusions(3):
    print(f"{count:>4} {true_label} tweets answered {answer}")

# %%
# The most confident mistakes
# ---------------------------
# A score hides *how* a model fails. The mistakes it makes with the most
# confidence (the highest probability on a wrong answer) are worth reading:
# ask whether the model or the label is wrong. This dataset's labels came
# from the emotion hashtags the writers used :cite:p:`saravia2018carer`, so
# some of them are wrong.

for mistake in confident_mistakes(model, data, "test", n=6):
    print(f"{mistake.confidence:.0%} {mistake.answer}, label {mistake.label}:")
    print(textwrap.fill(mistake.text, 76, initial_indent="    ", subsequent_indent="    "))

# %%
# Sentences of our own
# --------------------
# Finally, sentences that are not tweets of the dataset, each with the
# emotion we, the writers of this page, read in it. The second is the one
# the keyword rules got wrong in the first lesson: *won* and *jackpot* are
# happy words, but the luck was the neighbour's. These sentences are written
# unlike the training tweets: they have punctuation, and none starts with
# "i feel" (the first line below prints the share of training tweets that
# do). So a model that does well on test tweets can still miss some of them.

reading = {
    "We went to Bali for holiday. It was fantastic!": "joy",
    "My neighbour won the jackpot! not me.": "sadness",
    "I can't believe they cancelled the concert without telling anyone.": "anger",
    "I'm nervous about the exam tomorrow.": "fear",
    "He brought me flowers just because.": "love",
}
starts = sum(t.startswith("i feel") for t in data["train"].texts) / len(data["train"])
print(f"training tweets that start with 'i feel': {starts:.0%}\n")
print(f"{'sentence':<46}{'we read':>9}{'rules':>9}{'LSTM':>9}")
by_rules, by_lstm = rules.predict(reading), model.predict(list(reading))  # in reading's order
for i, (text, ours) in enumerate(reading.items()):
    print(f"{text[:44]:<46}{ours:>9}{by_rules[i].label:>9}{by_lstm[i].label:>9}")

# %%
# Save it for later
# -----------------
# :meth:`~nlptut.classifier.TextClassifier.save` writes the model to a
# folder; :meth:`~nlptut.classifier.TextClassifier.load` reads it back and
# checks that no file was damaged. The reloaded model answers exactly as the
# original. (Here the folder is temporary; give your own path to keep it.)

with tempfile.TemporaryDirectory() as folder:
    model.save(f"{folder}/emotion-lstm")
    reloaded = TextClassifier.load(f"{folder}/emotion-lstm")
same = (reloaded.predict_proba(test.texts) == model.predict_proba(test.texts)).all()
print(f"the reloaded model gives the same probabilities on every test tweet: {same}")

# %%
# Takeaway
# --------
# One call trains a network; the work is in reading it. Compare it with
# yardsticks (the table above says by how much it beats them), look at which
# emotions blur together, read the confident mistakes, and try sentences
# unlike the training data. A good test score says the model does well on
# text like its training text, not that it understands every sentence.
#
# **Going further:** :doc:`plot_04_four_networks_compared` opens the box:
# how text becomes numbers in batches, three more networks, a strong
# non-neural baseline, learning curves, and which words pushed each answer.
# Next on the route: :doc:`plot_03_your_own_data`.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it trains on 2,000 tweets, in seconds) and compare. The solutions are the
# code that nlptut's own tests run, so they stay correct.
#
# 1. **Reading only the start.** Train a bag of words twice, once reading up
#    to 64 words of each tweet and once only the first two
#    (``max_len=2``). What happens to the test accuracy, and why?
#
#    .. dropdown:: Solution
#
#       First the lines every solution of this page shares, then its own
#       part; run it with ``print(how_many_words())``.
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 1 ---
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       The accuracy falls sharply (nlptut's tests check that it falls by more
#       than 0.15): the first two words of most tweets are "i feel", "i am",
#       "im feeling" and the like (the page prints how many start with
#       "i feel"), which say almost nothing about the emotion.
#
# 2. **Negation.** What do the keyword rules answer for *"I am not happy at
#    all."*, and which word decides it?
#
#    .. dropdown:: Solution
#
#       First the lines every solution of this page shares, then its own
#       part; run it with ``print(negation())``.
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 1 ---
#
#       .. literalinclude:: ../../exercises/emotion_end_to_end.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Joy, because of the word *happy*: the rules count words and cannot see
#       the *not* in front of it. A trained model may learn such patterns from
#       its tweets, if the tweets contain enough of them.
#
# 3. **Your own sentence.** Add a sentence of your own to ``reading``, with
#    the emotion you read in it, and run the "Sentences of our own" cell
#    again. Does the
#    LSTM agree with you? Try a sentence with "not".
#
#    .. dropdown:: What to expect
#
#       There is no single right answer: the point is to see that the model's
#       answer comes with a probability (``model.predict`` gives all six),
#       and that sentences unlike the training tweets are where it fails
#       most often.
