"""
How a model learns, in plain words
==================================

The previous page trained a network with one line of code. This page opens
that line. We build the smallest model that can learn, one with two
:term:`weights <weight>` (think of them as two knobs), and train it by hand on
real tweets: how wrong it is (the :term:`loss`), which way to turn each knob
(the :term:`gradient`), how far to turn it (the :term:`learning rate`), one
pass over the data (an :term:`epoch`), and how a model that learns too well
stops being useful (:term:`overfitting`).

**Before this page:** :doc:`plot_01_rules_to_deep_learning`. No calculus is
needed: every step is shown in numbers and pictures.
**After it** you can say in your own words what happens when a model trains,
and read the training words of the next pages: loss, gradient, learning rate,
epoch, validation, early stopping.
"""

# %%
# A model with two knobs
# ----------------------
# The keyword rules of the previous page count the words of a *joy* list and
# of a *sadness* list, and the larger count wins. Our model counts the same
# words but *learns* how much each count should weigh. Its score for a tweet is
#
#     score = knob_joy × (joy words) + knob_sad × (sadness words)
#
# and a fixed squashing function (the *sigmoid*) turns the score into a
# :term:`probability` of joy between 0 and 1: a score of 0 gives 50%, a large
# positive score nearly 100%, a large negative one nearly 0%. We keep only the
# tweets labelled joy or sadness: 2,000 training tweets to learn from, and
# those of the :term:`validation split` to check on (the output says how
# many): a second set, kept apart from the training tweets and used while we
# build the model. A third set, the :term:`test split`, is kept for the final
# score only.

import matplotlib.pyplot as plt
import torch
from sklearn.feature_extraction.text import CountVectorizer

from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels

# only the joy and sadness tweets: label 0 is sadness, 1 is joy
data = load_dataset("dair-emotion", limit=3000 if quick_mode() else None).only(["sadness", "joy"])
rules = for_labels(data.labels)


def word_counts(texts):
    """For each text: (number of joy words, number of sadness words)."""
    return torch.tensor([[p.scores["joy"], p.scores["sadness"]] for p in rules.predict(texts)])


train_texts, val_texts = data["train"].texts[:2000], data["validation"].texts[:2000]
train_y = torch.tensor(data["train"].labels[:2000]).float()  # 1.0 for joy, 0.0 for sadness
val_y = torch.tensor(data["validation"].labels[:2000]).float()
train_x = word_counts(train_texts).float()
print(f"{len(train_y):,} tweets to learn from ({train_y.mean():.0%} joy); {len(val_y):,} to check")

# %%
# The loss: one number for how wrong the model is
# -----------------------------------------------
# For each tweet we look at the probability the model gave to the *right*
# answer. Near 100% is good, near 0% is bad. The :term:`loss` turns it into a
# penalty that grows fast as that probability falls (minus its natural
# logarithm, the *ln* key of a calculator, not the base-10 *log* of school
# maths:
# a probability of 1 costs 0, a probability of 0.5 costs 0.69, one of 0.01
# costs 4.6), and averages the penalties over all tweets. Learning means
# turning the knobs so that this one number goes down.
#
# With both knobs at 0 every score is 0, so every tweet gets 50% joy and the
# loss is 0.69 whatever the tweet. In the code, ``x @ knobs`` applies the
# score formula above to every tweet at once: one score per tweet.


def loss_of(knobs, x, y):
    # x @ knobs: each tweet's counts times the knobs, added up (its score);
    # torch.sigmoid turns each score into a probability of joy
    return torch.nn.functional.binary_cross_entropy(torch.sigmoid(x @ knobs), y)  # the loss above


knobs = torch.zeros(2, requires_grad=True)
loss = loss_of(knobs, train_x, train_y)
print(f"loss with both knobs at 0: {loss:.3f}")

# %%
# The gradient: which way to turn each knob
# -----------------------------------------
# Turn one knob a tiny bit (0.001) and watch the loss: if it goes down, that
# way is good. The change in loss divided by the turn is the knob's *slope*;
# the two slopes together are the :term:`gradient`. PyTorch finds every slope
# at once, however many knobs there are: we mark the knobs with
# ``requires_grad=True``, compute the loss, and call ``backward()``. Compare
# the two ways in the output. A negative slope means "turn this knob up to
# lower the loss", a positive one "turn it down".

for name, turned in [("knob_joy", [0.001, 0.0]), ("knob_sad", [0.0, 0.001])]:
    # both knobs are at 0; turned: the two knobs with this one turned by 0.001
    change = loss_of(torch.tensor(turned), train_x, train_y) - loss  # the change in loss
    print(f"{name}: loss change / turn = {change / 0.001:+.3f}")
loss.backward()
print(f"PyTorch's gradient:      {knobs.grad[0]:+.3f}, {knobs.grad[1]:+.3f}")

# %%
# The learning rate: how far to turn
# ----------------------------------
# One training step turns every knob against its slope:
# new knob = knob − learning rate × slope. The :term:`learning rate` says how
# big the step is. Too small, and the loss creeps down; too large, and the
# knobs jump past the bottom and the loss jumps about. Here all 2,000 tweets
# are used in every step, so one step is one :term:`epoch` (one pass over the
# training data); with more data, each step uses a :term:`batch` of a few
# dozen tweets and an epoch is many steps.
#
# We train three times from (0, 0), with three learning rates, and print the
# loss after 0, 1, 5 and 30 steps. An arrow marks a rate whose first step
# made the loss worse.
#
# In ``train``, ``knobs.grad = None`` forgets the last gradient: otherwise
# PyTorch adds the new one to it. PyTorch records each calculation with the
# knobs to find slopes; ``torch.no_grad()`` pauses that while we turn them by
# hand.


def train(x, y, learning_rate, steps):
    """Plain gradient descent from all knobs at 0; returns the knobs after every step."""
    knobs = torch.zeros(x.shape[1], requires_grad=True)
    path = [knobs.detach().clone()]  # a copy of the knobs now, which later steps will not change
    for _ in range(steps):
        knobs.grad = None
        loss_of(knobs, x, y).backward()  # the slopes, into knobs.grad
        with torch.no_grad():
            knobs -= learning_rate * knobs.grad  # one step against the slopes
        path.append(knobs.detach().clone())
    return path


# paths: a dict keyed by learning rate; paths[rate] holds the knobs after every step of that run
paths = {rate: train(train_x, train_y, rate, steps=30) for rate in (0.5, 10, 150)}
print("loss after step:      0      1      5     30")
for rate, path in paths.items():
    curve = [loss_of(k, train_x, train_y).item() for k in path]
    worse = "<- the first step made it worse" if curve[1] > curve[0] else ""
    print(f"learning rate {rate:>4}: " + " ".join(f"{curve[i]:6.3f}" for i in (0, 1, 5, 30)), worse)

# %%
# Where did the knobs end? A positive knob means its words push towards joy,
# a negative one away from it: the model has learned, from the examples
# alone, what the keyword rules were told by hand.

joy, sad = paths[10][-1]  # paths[10]: the run at learning rate 10; [-1]: its last knobs
print(f"after 30 steps at learning rate 10: knob_joy {joy:+.2f}, knob_sad {sad:+.2f}")

# %%
# Learning too well: overfitting
# ------------------------------
# Two knobs cannot memorise anything. Real models have thousands or millions.
# Here is a model with one knob *per word*, trained on only 200 tweets and
# checked on the validation tweets. Watch both losses, epoch by epoch.

words = CountVectorizer(binary=True).fit(train_texts[:200])  # a column per word: 1 if present
# .toarray(): a table of 0s and 1s, one row per tweet, one column per word (1: the tweet has it)
few_x = torch.tensor(words.transform(train_texts[:200]).toarray()).float()
check_x = torch.tensor(words.transform(val_texts).toarray()).float()
path = train(few_x, train_y[:200], learning_rate=1.0, steps=300)
train_loss = [loss_of(k, few_x, train_y[:200]).item() for k in path]
val_loss = [loss_of(k, check_x, val_y).item() for k in path]
best = val_loss.index(min(val_loss))
print(f"best epoch ({best}): training {train_loss[best]:.3f}, validation {val_loss[best]:.3f}")
print(f"last epoch (300): training {train_loss[-1]:.3f}, validation {val_loss[-1]:.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.plot(train_loss, label="training tweets (200)")
ax.plot(val_loss, label=f"validation tweets ({len(val_y):,})")
ax.axvline(best, color="grey", linestyle="--", label="best validation loss")
ax.set(xlabel="epoch", ylabel="loss", title="Loss on training and validation tweets, by epoch")
ax.legend()

# %%
# The training loss keeps falling towards 0, but the validation loss stops
# falling early and then rises: the model is learning its 200 tweets by
# heart, words such as names and typos included, and grows ever more sure of
# answers that do not carry over to new tweets. That is :term:`overfitting`.
# The cure used on the next pages is to check the model on the validation
# split after every epoch, keep the knobs of the best epoch, and stop when it
# no longer improves: :term:`early stopping`. (There the check is macro-F1, a
# score of right answers, rather than the loss.)

# %%
# What the library adds
# ---------------------
# ``TextClassifier.fit`` on the next page does exactly these steps, with many
# more knobs and three refinements, which is all the phrase "trained with
# AdamW, a learning rate that warms up and decays, and early stopping" means:
#
# * :term:`AdamW`, a smarter step rule: each knob gets its own step size,
#   larger for knobs whose slopes have been small and steady.
# * :term:`warm-up` and decay: the learning rate starts small, grows for the
#   first steps, then shrinks towards zero, so the last steps only fine-tune.
# * :term:`early stopping`, the cure for overfitting above: the knobs of the
#   best validation epoch are kept.
#
# .. dropdown:: For the curious: the formulas
#
#    The probability is :math:`p = 1 / (1 + e^{-s})` with score
#    :math:`s = w_1 x_1 + w_2 x_2`; the loss of one tweet is :math:`-\log p` if
#    it is joy and :math:`-\log(1 - p)` if not (binary cross-entropy); a step
#    is :math:`w \leftarrow w - \eta \, \partial L / \partial w` with learning
#    rate :math:`\eta`. How PyTorch computes :math:`\partial L / \partial w`
#    for any model, layer by layer, is the subject of the deep dive
#    :doc:`plot_02_what_is_deep_learning`.

# %%
# Takeaway
# --------
# Training is a loop of four steps: score the examples, measure how wrong the
# scores are (the loss), find which way to turn every knob (the gradient),
# and turn them a little (the learning rate). An epoch is one pass over the
# training data. A model with many knobs can learn its training examples by
# heart, so we always check it on data it did not learn from, and keep the
# epoch where that check was best.
#
# **Next on the route:** :doc:`../02_emotion/plot_01_emotion_end_to_end`,
# where one call does all of this for a network with far more knobs.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's
# code and compare. The solutions are run by nlptut's own tests.
#
# 1. **A tweet with no keyword.** What probability of joy does the two-knob
#    model give to a tweet with no joy word and no sadness word, whatever the
#    knobs? Why?
#
#    .. dropdown:: Solution
#
#       First the lines every solution of this page shares, then its own
#       part; run it with ``print(no_keyword())``.
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 1 ---
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- exercise 1 ---
#          :end-before: # --- exercise 2 ---
#
#       50%: both counts are 0, so the score is 0 whatever the knobs, and the
#       sigmoid of 0 is 0.5. To lean one way without any word, the model
#       needs a third knob that every tweet has, a :term:`bias` (exercise 3's
#       solution adds one to its one-knob-per-word model).
#
# 2. **One step by hand.** Starting from both knobs at 0 with a learning rate
#    of 1, what are the knobs after one step? (Hint: new knob = knob −
#    learning rate × slope.)
#
#    .. dropdown:: Solution
#
#       First the lines every solution of this page shares, then its own
#       part; run it with ``print(one_step())``.
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 1 ---
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       The knobs become minus the gradient printed above: the joy knob goes
#       up and the sadness knob down, and the loss falls.
#
# 3. **More data, less overfitting.** Train the one-knob-per-word model on
#    1,000 tweets instead of 200, for the same 300 epochs. When is its best
#    validation epoch now, and is its best validation loss lower?
#
#    .. dropdown:: Solution
#
#       First the lines every solution of this page shares, then its own
#       part; run it with ``print(more_tweets())``.
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 1 ---
#
#       .. literalinclude:: ../../exercises/how_a_model_learns.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       With 1,000 tweets the validation loss is still falling at the last
#       epoch, so the best epoch comes much later, and the best validation
#       loss is lower: with more examples, learning them by heart gets
#       harder and learning the general pattern pays more.
