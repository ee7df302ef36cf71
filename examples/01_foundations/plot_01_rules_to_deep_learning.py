"""
From rules to deep learning
===========================

The oldest way to tell the emotion of a text is a list of keywords for each
emotion: count the words of the text found in each list, and the emotion with
the most matches wins. This lesson puts such rules beside a small neural
network that learned from 16,000 English tweets, each :term:`labelled
<label>` with one of six emotions (the dair-emotion data of
:cite:t:`saravia2018carer`): first on two sentences, then on 2,000 tweets
that neither of them has seen.

**Before this page:** a little Python; :doc:`/intro/tale-of-nlp` tells the
story this page puts numbers on. **After it** you can say what keyword rules
and a trained model each get right and wrong, and why.
"""

# %%
# Two sentences
# -------------
# The writer of the first sentence is happy. The writer of the second is sad,
# because the luck was someone else's. We also load the tweets: the output
# says how many there are to learn from and to test on, and their six
# emotions.

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels, highlight
from nlptut.shortruns import SHORT_RUNS, describe
from nlptut.training import classification_metrics

data = load_dataset("dair-emotion", limit=2000 if quick_mode() else None)
sentences = [
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
]
truth = ["joy", "sadness"]  # what the writers felt
print(f"{len(data['train']):,} training tweets, {len(data['test']):,} test tweets")
print("emotions:", ", ".join(data.labels))

# %%
# Keyword rules
# -------------
# ``nlptut`` holds a hand-written list of words for each emotion. The rules
# cut a text into words, count the words found in each list, and answer the
# emotion with the most matches. A text with no match at all gets the most
# common emotion of the training tweets. Every answer shows its evidence: the
# matched words, in ``**bold**``. Read the verdict after each sentence: right
# or WRONG.

rules = for_labels(data.labels).fit(data["train"].texts, data.labels_of("train"))
for text, label, answer in zip(sentences, truth, rules.predict(sentences), strict=True):
    verdict = "right" if answer.label == label else "WRONG"
    matches = ", ".join(f"{name} {n}" for name, n in answer.scores.items() if n)
    print(f"{highlight(text, answer)}\n    rules: {answer.label} ({verdict}); matches: {matches}")

# %%
# Why the second sentence fools the rules
# ---------------------------------------
# The rules read one word at a time. "won" and "jackpot" are on the list of
# joy words, so the second sentence scores two points for joy. The part that
# carries its meaning, "not me", has no emotion word in it, and the rules
# cannot see that it turns the jackpot into someone else's luck. We could add
# a rule for "not me", but then "not me, thank goodness" would be sad too:
# rules for words in context multiply without end.

# %%
# A network that learns from examples
# -----------------------------------
# A neural network learns from examples instead of being told rules. It is a
# :term:`model` with many :term:`weights <weight>`: numbers, like knobs, that
# training turns until the model's answers on the training tweets are mostly
# right. We train the simplest network of nlptut, the *neural bag of words*
# (``"nbow"``). It gives each word it knows a list of numbers, the word's
# :term:`embedding`; it averages the lists of a tweet's words, and turns the
# average into a score for each emotion. Like the rules it ignores word order,
# apart from pairs of neighbouring words, which get numbers of their own (a
# :term:`bag of words`); unlike the rules, it learned from the examples which
# words count, and how much.
#
# How training works is the subject of the next lesson,
# :doc:`plot_02_how_a_model_learns`; here one line does it. To keep this page
# quick it trains briefly, with settings that other pages share. The output
# says how long it took; the words in brackets are those settings, which the
# next lesson explains.
#
# .. dropdown:: For the curious: what the network is given
#
#    The network knows only words of its training tweets, and only those seen
#    a few times; every other word, and every punctuation mark (the tweets
#    have none), becomes the same :term:`token` ``<unk>``, "unknown". Besides
#    whole words, each pair of neighbouring words ("not me") and each piece
#    of a word of one to six letters ("jack", "pot") gets an embedding of
#    its own, so a word it never saw still counts through the pieces it
#    shares with known words. This is how :term:`fastText` works
#    :cite:p:`joulin2017bag,bojanowski2017enriching`. The network's full
#    recipe (``nlptut train --model nbow``) trains for longer, on smaller
#    batches; the deep dive :doc:`../02_emotion/plot_04_four_networks_compared`
#    compares it with three other networks.

classifier, result = TextClassifier.fit(data, "nbow", progress=False, **SHORT_RUNS["nbow"])
print(f"trained in {result.seconds:.0f} s ({describe('nbow')})")

# %%
# The network on the two sentences
# --------------------------------
# The network answers with a :term:`probability` for every emotion: how sure
# it is, from 0 to 1, the six adding up to 1. Its answer is the emotion with
# the highest bar; the writer's emotion is the green one.

fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True, layout="constrained")
axes[0].set(ylabel="network's probability", ylim=(0, 1))
for ax, answer, label in zip(axes, classifier.predict(sentences), truth, strict=True):
    verdict = "right" if answer.label == label else "WRONG"
    colors = ["tab:green" if name == label else "tab:gray" for name in data.labels]
    ax.bar(data.labels, list(answer.probabilities.values()), color=colors)
    ax.set_title(f"{answer.text}\nnetwork: {answer.label} ({verdict})", fontsize=9)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)

# %%
# What its examples taught it
# ---------------------------
# The network can only weigh what its training tweets showed it. For three
# parts of the second sentence, the output counts the training tweets that
# contain them, and their emotions. A word found in more joyful tweets than
# in tweets of any other emotion pulls towards joy; a word found in no tweet
# teaches nothing; and a pair found in a handful of tweets is weak evidence
# against a joyful word.

tweets = list(zip(data["train"].texts, data.labels_of("train"), strict=True))
for words in ("won", "jackpot", "not me"):
    found = Counter(emotion for text, emotion in tweets if f" {words} " in f" {text} ")
    emotions = ", ".join(f"{emotion} {n}" for emotion, n in found.most_common())
    print(f'training tweets with "{words}": {found.total()}' + (f" ({emotions})" if found else ""))

# %%
# The models of the later Hugging Face pages start from a vast amount of
# reading, in which "jackpot" is no stranger; the :ref:`fine-tuning page
# <sphx_glr_auto_examples_04_huggingface_plot_03_fine_tuning.py>` asks one of
# them about this sentence. Now let us see what learning from 16,000 tweets
# does buy.

# %%
# The whole test set
# ------------------
# Both now classify the 2,000 tweets of the :term:`test split`, which neither
# has seen. Two scores: :term:`accuracy`, the share of tweets labelled right,
# and :term:`macro-F1`, which scores each emotion separately and averages
# them, so that a rare emotion counts as much as a common one. For both, 1
# is perfect. The last line gives the share of test tweets that hold
# no keyword at all, for which the rules can only guess.

test = data["test"]
rule_answers = rules.predict(test.texts)
rule_pred = np.array([data.labels.index(answer.label) for answer in rule_answers])
# predict_proba gives a table of numbers (a NumPy array): one row per tweet, one
# column per emotion, in the order of data.labels. axis=1 means "along each row",
# so argmax(axis=1) gives, for each tweet, the column of its highest probability:
# the network's emotion, as a label number (.mean(axis=1) would give each row's average)
net_pred = classifier.predict_proba(test.texts).argmax(axis=1)
print(f"{'':<16}{'accuracy':>9}{'macro-F1':>10}")
for name, predicted in {"keyword rules": rule_pred, "network (nbow)": net_pred}.items():
    scores = classification_metrics(test.labels, predicted, data.labels)
    print(f"{name:<16}{scores.accuracy:>9.3f}{scores.macro_f1:>10.3f}")
no_keyword = np.mean([not any(answer.scores.values()) for answer in rule_answers])
print(f"test tweets without any keyword: {no_keyword:.0%}")

# %%
# Where each one wins
# -------------------
# Neither is always right. The output counts the test tweets that only the
# network gets right, and those that only the rules get right, each with its
# two shortest examples: the rules' keywords in ``**bold**`` (nothing in
# bold: no keyword, so the rules guessed), then the true emotion and the two
# answers.

y = np.array(test.labels)
said = {"true": y, "rules": rule_pred, "network": net_pred}  # each as label numbers
for name, wins in {
    "network right, rules wrong": (net_pred == y) & (rule_pred != y),
    "rules right, network wrong": (rule_pred == y) & (net_pred != y),
}.items():
    print(f"{name}: {wins.sum()} tweets, such as")
    for i in sorted(np.flatnonzero(wins), key=lambda i: len(test.texts[i]))[:2]:
        print(f"    {highlight(test.texts[i], rule_answers[i])}")
        print("      " + ", ".join(f"{who} {data.labels[a[i]]}" for who, a in said.items()))

# %%
# Takeaway
# --------
# Hand-written rules are transparent: every answer shows its evidence. But
# they read words one at a time, and many tweets hold no keyword at all. A
# network that learned from 16,000 labelled tweets is right more often, as the
# test scores show, including on tweets whose wording no rule foresaw. It is
# still no reader: it knows only what its examples contain, so a sentence
# whose key word it never saw ("jackpot"), or whose meaning hangs on a rare
# turn of phrase ("not me"), can fool it as it fools the rules. The next
# lesson, :doc:`plot_02_how_a_model_learns`, opens the line that trained it.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# and compare. The solutions are the code that nlptut's own tests run.
#
# 1. **Shouting.** Do capital letters and exclamation marks change what the
#    keyword rules answer? Compare *"I am SO HAPPY!!"* with
#    *"i am so happy"*.
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/rules_to_deep_learning.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Both are joy: the rules turn every word into lower case before they
#       look it up, and the exclamation marks are no keyword.
#
# 2. **No keyword at all.** What do the rules answer for *"The meeting is at
#    noon."*, where no word of any list occurs?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/rules_to_deep_learning.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- end ---
#
#       No list matches, so the rules fall back on the answer they learned
#       from the training tweets: the most common emotion there, which is the
#       label the solution prints last. Every tweet without a keyword gets
#       that same answer, right or wrong.
