"""
Finding names: people, places, brands (BIO tags and a CRF)
==========================================================

A :term:`named entity` is a name of something: a person ("amos kenda"), a place
("jakarta pusat"), a brand, an event, a dish. Finding them is
*named-entity recognition* (NER), the first step of many applications: which
people does an article mention, which places does a report name. This page
finds them in the same Indonesian news sentences as the previous page, on the
NERP task of IndoNLU :cite:p:`wilie2020indonlu`, from
:cite:t:`hoesen2018investigating`.

You will learn how :term:`BIO tags` mark names of several words, why choosing each
word's tag on its own can give tags that make no sense, how a :term:`CRF` :term:`layer`
:cite:p:`lafferty2001conditional` chooses the tags of a whole sentence
together (the Viterbi algorithm, step by step), and how to tag your own
sentences from the command line.

**What you need before this page**: the previous page (tagging, :term:`F1` averaged
over tags, the BiLSTM tagger).
"""

# %%
# Names of several words: BIO tags
# --------------------------------
# A name can span several words, so a tag per word must also say where a name
# begins. The BIO scheme :cite:p:`ramshaw1995text` does it with three kinds of
# tag: ``B-PPL`` for the first word (*beginning*) of a person's name, ``I-PPL``
# for a word *inside* it, and ``O`` for a word *outside* any name. The five
# types here are ``PPL`` person, ``PLC`` place, ``IND`` product or brand (the
# data also tags companies and news sites so), ``EVT`` event and ``FNB`` food
# and beverage. The first training sentence:

import tempfile
import time
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch

from nlptut import cli
from nlptut.config import quick_mode
from nlptut.conll import chunks, load_tagged, repair_bio
from nlptut.datasets import dataset_info
from nlptut.hardware import hardware_summary
from nlptut.tagging.crf import CRF
from nlptut.tagging.metrics import tag_scores
from nlptut.tagging.tagger import Tagger, TaggerConfig, TagTrainConfig

QUICK = quick_mode()
data = load_tagged("indonlu-nerp")
words, tags = data["train"].tokens[0], data["train"].tags[0]
for word, tag in zip(words, tags, strict=True):
    print(f"  {word:<16} {tag}")
print("names in it:", [(kind, " ".join(words[a:b])) for kind, a, b in chunks(tags)])

# %%
# Most words are outside any name, and the types are unequal. A name is found
# only if *all* its words get the right tags and it ends in the right place:
# "amos" alone, for "amos kenda", counts as a mistake. Names are counted
# whole, as the CoNLL shared tasks :cite:p:`tjongkimsang2003introduction`
# count them (:func:`nlptut.tagging.metrics.tag_scores`, with seqeval
# :cite:p:`nakayama2018seqeval`). CoNLL then reports the F1 of all names
# pooled (printed below as *micro F1*); IndoNLU reports the F1 of each type
# averaged over the five types, so the rare types weigh as much as people and
# places.

word_tags = Counter(t for s in data["train"].tags for t in s)
names = Counter(kind for s in data["train"].tags for kind, _, _ in chunks(s))
print(
    f"training words: {sum(word_tags.values()):,}, of which outside any name "
    f"(O): {word_tags['O'] / sum(word_tags.values()):.1%}"
)
for kind, n in names.most_common():
    print(f"  {kind}: {n:,} names")

# %%
# Tags chosen one word at a time can break the rules
# --------------------------------------------------
# The tagger of the previous page gives every word a score for every tag and
# takes the highest. Nothing stops it from tagging "kenda" ``I-PPL`` (inside a
# name) after a word tagged ``O``: the inside of a name that never began. A
# *conditional random field* (CRF) adds one learned number for every pair of
# neighbouring tags, the *transition* score: high for ``B-PPL`` then
# ``I-PPL``, very low for ``O`` then ``I-PPL`` once trained. The score of a
# whole tag sequence is the sum of its words' scores and its transitions, and
# the CRF picks the sequence with the highest total.
#
# There are far too many sequences to try them all (11 tags for 20 words is
# 11 to the power 20). The :term:`Viterbi algorithm` finds the best one word by
# word: for each tag of the current word, keep only the best way to reach it
# and remember which tag came before; at the end, start from the best last
# tag and follow the remembered tags back. A made-up example with three tags
# and three words, all numbers chosen by hand:

TAGS = ["O", "B-PPL", "I-PPL"]
sentence = ["kata", "amos", "kenda"]
# word scores (emissions): one row per word, one column per tag
emissions = torch.tensor(
    [
        [2.0, 0.5, 0.0],  # "kata": looks like O
        [0.3, 1.0, 0.2],  # "amos": maybe a name's start
        [1.0, 0.0, 0.9],
    ]
)  # "kenda": O slightly above I-PPL
# transitions[i, j]: how good tag j is right after tag i
transitions = torch.tensor(
    [
        [0.5, 0.0, -4.0],  # after O: I-PPL is (almost) forbidden
        [0.0, -1.0, 2.0],  # after B-PPL: I-PPL is likely
        [0.0, -1.0, 0.5],
    ]
)  # after I-PPL

print("word by word (highest score each):", [TAGS[i] for i in emissions.argmax(1).tolist()])

best = emissions[0].clone()  # best total for each tag of the first word
back = []
for i in range(1, len(sentence)):
    # every (previous tag, tag) pair: best total so far + transition + this word's score
    totals = best.unsqueeze(1) + transitions + emissions[i]
    best, came_from = totals.max(dim=0)
    back.append(came_from)
    print(
        f"after {sentence[i]!r:8}: best totals "
        + ", ".join(
            f"{t} {v:.1f} (from {TAGS[c]})"
            for t, v, c in zip(TAGS, best.tolist(), came_from.tolist(), strict=True)
        )
    )
path = [int(best.argmax())]
for came_from in reversed(back):
    path.append(int(came_from[path[-1]]))
path.reverse()
print("Viterbi, whole sentence:", [TAGS[i] for i in path])

# %%
# Word by word, "kenda" gets ``O`` (1.0 beats 0.9), and the name is cut to
# "amos". Together, ``B-PPL`` then ``I-PPL`` earns the transition bonus and
# wins. :class:`nlptut.tagging.crf.CRF` does the same for a :term:`batch` of sentences (its
# start and end scores set to zero here, to match the example):

crf = CRF(len(TAGS))
with torch.no_grad():
    crf.transitions.copy_(transitions)
print(
    "nlptut.tagging.crf.CRF.decode:",
    [TAGS[i] for i in crf.decode(emissions.unsqueeze(0), torch.ones(1, 3, dtype=torch.bool))[0]],
)

# %%
# Training learns the transition scores together with the rest of the
# network. The CRF turns the scores of all possible tag sequences into
# :term:`probabilities <probability>` (the higher a sequence's score, the more probable), and the
# :term:`loss` is the *negative log-likelihood* of the true sequence: minus
# the logarithm of its probability, 0 when the model gives it probability 1,
# large when it gives it little. Computing that probability needs the sum of
# the exponentials of all sequences' scores; the *forward algorithm* gets it
# word by word with the same loop as above, a "log-sum-exp" in place of the
# maximum. This loss is summed over the words of a sentence, so its numbers
# are larger than the per-word loss of the previous page.
#
# Train a tagger with a CRF
# -------------------------
# The network of the previous page (word vectors, letters, a bidirectional
# LSTM; as small, for the same time budget) with a CRF on top, kept at the
# :term:`epoch` with the best validation F1. Four epochs on batches of 64 sentences at
# a :term:`learning rate` of 1e-2: the best on the :term:`validation split` of the short
# settings we tried. :cite:t:`huang2015bidirectional` put a CRF
# on a bidirectional LSTM; :cite:t:`lample2016neural` and :cite:t:`ma2016end`
# added the letters of each word (Ma and Hovy with a convolution, as here).

EPOCHS = 1 if QUICK else 4
config = TaggerConfig(word_dim=64, char_filters=32, hidden=64, crf=True)
settings = TagTrainConfig(epochs=EPOCHS, batch_size=64, lr=1e-2, seed=0)
train_data = data.first(300) if QUICK else data
started = time.perf_counter()
tagger = Tagger.fit(train_data, config, settings, progress=False)
seconds = time.perf_counter() - started
for record in tagger.history:
    print(
        f"epoch {record.epoch}: training loss {record.train_loss:.3f}, "
        f"validation F1 {record.val_f1:.3f} ({record.seconds:.1f} s)"
    )
print(
    f"trained in {seconds:.0f} s on {hardware_summary().splitlines()[0]}; "
    f"number format {tagger.info['precision']}"
)

# %%
# What the CRF learned
# --------------------
# The learned transition scores, as a picture: each row is a tag, each column
# the tag that follows it. Look at the ``I-`` columns: they should be high
# only after the ``B-`` and ``I-`` of the same type.

learned = tagger.model.crf.transitions.detach().numpy()
fig, ax = plt.subplots(figsize=(7, 6))
limit = np.abs(learned).max()
image = ax.imshow(learned, cmap="RdBu", vmin=-limit, vmax=limit)
ax.set_xticks(range(len(tagger.tags)), tagger.tags, rotation=90)
ax.set_yticks(range(len(tagger.tags)), tagger.tags)
ax.set_xlabel("next tag (the one that follows)")
ax.set_ylabel("previous tag")
fig.colorbar(image, ax=ax, label="transition score (red: unlikely, blue: likely)")
ax.set_title("Learned CRF transition scores")
plt.tight_layout()
plt.show()

o, inside = tagger.tags.index("O"), [i for i, t in enumerate(tagger.tags) if t.startswith("I-")]
print(
    f"mean score of O -> I-x: {learned[o, inside].mean():+.2f}; "
    f"of B-x -> I-x (same type): "
    f"{np.mean([learned[tagger.tags.index('B-' + tagger.tags[i][2:]), i] for i in inside]):+.2f}"
)

# %%
# Results
# -------
# Scores on the test sentences, per type, then averaged over the types as
# IndoNLU reports them, beside IndoNLU's published rows.

test = data["test"]
chosen = tagger.predict(test.tokens, repair=False)  # the CRF's choice, as it comes
viterbi = [repair_bio(tags) for tags in chosen]  # what Tagger.predict returns
scores = tag_scores(test.tags, viterbi)
print(scores.format_report())
published = dataset_info("indonlu-nerp").published_scores("tag_f1")
rows = [(f"BiLSTM + CRF, {EPOCHS} epochs (this page)", 100 * scores.f1)]
rows += [
    (f"IndoNLU: {name}", published[name])
    for name in ("Scratch", "fastText-indo4b", "IndoBERT large")
]
print()
for name, f1 in sorted(rows, key=lambda r: r[1]):
    print(f"{name:<40} F1 {f1:6.2f}")

# %%
# The page's network was trained briefly and is smaller than IndoNLU's
# models, which used other designs and settings; one run of each, so the
# table ranks these runs, not the methods.
#
# What does choosing together change? The same trained network can also take
# each word's best tag on its own, from the same word scores. How often does
# that break the BIO rules (an ``I-`` tag after a word outside that type's
# name), and what does it do to F1? Before scoring, such a tag is read as the
# start of a new name (:func:`~nlptut.conll.repair_bio`, as the CoNLL script
# reads it). This is only a rough view: these word scores were trained to
# work *with* the transitions, and a network trained without a CRF might do
# better word by word; a fair comparison would train both.

word_by_word = tagger.predict(test.tokens, together=False, repair=False)
for name, tagged in (("word by word", word_by_word), ("CRF (Viterbi)", chosen)):
    broken = sum(row != repair_bio(row) for row in tagged)
    print(
        f"{name:<14} {broken:>4} of {len(test)} test sentences break the BIO rules; "
        f"test F1 {tag_scores(test.tags, tagged).f1:.3f}"
    )

# %%
# Names it gets wrong
# -------------------
# A name counts as found only if its type and both its ends are right. The
# test names it missed or got partly wrong, grouped by what went wrong, and
# how many of the test names' words never occur in the training sentences:

truth = [{(k, a, b) for k, a, b in chunks(t)} for t in test.tags]
found = [{(k, a, b) for k, a, b in chunks(p)} for p in viterbi]
kinds = Counter()
examples = {}
for i, (true_names, guessed) in enumerate(zip(truth, found, strict=True)):
    for kind, a, b in true_names - guessed:
        overlapping = [g for g in guessed if g[1] < b and a < g[2]]
        if not overlapping:
            what = "missed entirely"
        elif any(g[1:] == (a, b) for g in overlapping):
            what = "right words, wrong type"
        else:
            what = "wrong boundaries"
        kinds[what] += 1
        examples.setdefault(
            what,
            (
                " ".join(test.tokens[i][a:b]),
                kind,
                [(g[0], " ".join(test.tokens[i][g[1] : g[2]])) for g in overlapping],
            ),
        )
total_names = sum(len(t) for t in truth)
print(f"{sum(kinds.values())} of {total_names} test names not found exactly:")
for what, n in kinds.most_common():
    name, kind, guess = examples[what]
    print(f"  {what:<24} {n:>4}   e.g. {name!r} ({kind}), tagger said {guess or 'nothing'}")
known = {w for s in data["train"].tokens for w in s}
pairs = [
    (w, x) for s, t in zip(test.tokens, test.tags, strict=True) for w, x in zip(s, t, strict=True)
]
new_in_names = np.mean([w not in known for w, x in pairs if x != "O"])
new_elsewhere = np.mean([w not in known for w, x in pairs if x == "O"])
print(
    f"test words never seen in training: {new_in_names:.0%} of the words inside names, "
    f"{new_elsewhere:.0%} of the others"
)

# %%
# Tag your own sentences
# ----------------------
# Save the tagger and ask the command line for tags, as a reader of this page
# would in a terminal: :func:`nlptut.cli.main` runs what the ``nlptut``
# command runs. Words outside any name are shown bare, the others as
# ``word/TAG``. Sentences are split at spaces, so put spaces
# around punctuation, as in the dataset. (To train one from the command line:
# ``nlptut train --dataset indonlu-nerp --model tagger --out ner``; a file of
# your own ``word<TAB>tag`` lines, with a blank line between sentences, works
# in place of ``indonlu-nerp``.) The two sentences are made up: "President
# Joko Widodo opens a new airport in Kulon Progo, Yogyakarta" and "I eat
# rendang (a dish) at a Padang restaurant near the Pertamina (an oil company)
# office". Compare what the tagger finds with what you would mark.

folder = Path(tempfile.mkdtemp()) / "ner"
tagger.save(folder)
sentences = [
    "presiden joko widodo meresmikan bandara baru di kulon progo , yogyakarta .",
    "saya makan rendang di restoran padang dekat kantor pertamina .",
]
# the same as typing `nlptut predict <folder> "<sentence>" ...` in a terminal
status = cli.main(["predict", str(folder), *sentences])
print("exit status", status)

# %%
# What the numbers mean
# ---------------------
# The table above places this short run (a small network, a few epochs, one
# :term:`seed`) among IndoNLU's published rows; ``benchmarks/bench_tagging.py``
# trains the default network longer with three seeds, and its report gives
# the spread. Names are much harder than parts of speech: they are rare
# (most words are ``O``), their words are far more often new (the share
# printed above), and a name counts only if every word of it is right. The
# per-type table shows where the tagger struggles: compare each type's
# precision (of the names it marked, how many were right) with its :term:`recall` (of
# the true names, how many it found), and the number of names it missed
# entirely with the other kinds of mistake.
#
# A tagger from scratch knows only its training sentences. The pretrained
# Indonesian models of IndoNLU (the IndoBERT rows) start from far more text;
# the Hugging Face pages show how such a model is loaded. :term:`Fine-tuning <fine-tuning>` one to
# tag words (a classification layer on each :term:`token`, ``AutoModelForTokenClassification``
# in the transformers library) is the next step this site does not run yet.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (a few tags and a tiny CRF, it runs at once) and compare. The solutions are
# the code that nlptut's own tests run, so they stay correct.
#
# 1. **Half a name.** In "joko widodo tiba di bandung" ("Joko Widodo arrives
#    in Bandung") the true tags are ``B-PPL I-PPL O O B-PLC``. A tagger
#    outputs ``B-PPL O O O B-PLC``: it found "joko" but not "widodo". What
#    share of the words did it tag right, and what are the F1 of each type
#    and their average?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/named_entities.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Four words of five (80%) are right, but the person's F1 is 0: the
#       tagger's person "joko" is not the true person "joko widodo", and a
#       name counts only with both ends right. The place scores 1, and the
#       average over the two types is 0.5. This is why a tagger's word
#       :term:`accuracy` looks so much better than its F1.
#
# 2. **Read the way CoNLL reads.** Which names does ``I-PLC I-PLC O I-PPL
#    B-PPL`` hold? (An ``I-`` tag should follow a ``B-`` or ``I-`` tag of its
#    type, but a tagger without a CRF may break that rule.)
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/named_entities.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       Three: a place of two words, then two people of one word each. An
#       ``I-`` tag that does not continue a name of its type starts a new one
#       (it is read as ``B-``), and a ``B-`` tag always starts a new name,
#       even right after a name of its type. seqeval and IndoNLU's conlleval
#       read the tags the same way.
#
# 3. **Viterbi against brute force.** Give a CRF random scores for 4 words
#    and 3 tags, score every possible tag sequence with ``CRF.score`` and
#    take the best. How many sequences are there, and does ``CRF.decode``
#    (Viterbi) find the same one?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/named_entities.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       81 (3 × 3 × 3 × 3), and yes, the same sequence (nlptut's tests check
#       it for several random seeds). Brute force grows as the number of tags
#       to the power of the number of words (11 tags and 20 words would be
#       more sequences than a computer can try), while Viterbi's work grows
#       only with the number of words times the tags squared.
