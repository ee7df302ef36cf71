"""
What deep learning is: forward, backward, loss
==============================================

A deep learning model is a stack of :term:`layers <layer>`, and a
:term:`loss` function scores the model's output against the right answer: the
lower the loss, the better. Each layer has a *forward* function, which turns
its input into an output, and a *backward* function, which works the other way
round: told how the loss would change if the layer's output changed a little,
it says how the loss would change if the layer's input or its
:term:`weights <weight>` changed a little. Gradient descent then nudges every
weight in the direction that lowers the loss.

This page builds each piece by hand on real data, English tweets labelled with
six emotions (dair-emotion), and checks it against PyTorch's autograd, which
writes the backward functions for you.

**Before this page:** :doc:`plot_01_rules_to_deep_learning`, and school maths
(a slope says how fast something changes). **After it** you can write a
layer's forward and backward functions, check them against PyTorch, and read a
training loop line by line.
"""

# %%
# Tensors: text as numbers
# ------------------------
# A neural network only sees numbers. The simplest way to turn a tweet into
# numbers is a *bag of words*: one column per word of a :term:`vocabulary`, holding how
# often the word occurs. We use scikit-learn's ``CountVectorizer`` with
# nlptut's tokenizer, and keep the 2,000 most frequent words.

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import accuracy_score

from nlptut.claims import expect
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.text import tokenize

torch.manual_seed(0)
QUICK = quick_mode()
data = load_dataset("dair-emotion", limit=2000 if QUICK else None)
train, val = data["train"], data["validation"]
print(f"{len(train)} training tweets, {len(val)} validation tweets")
print("labels:", ", ".join(data.labels))

vectorizer = CountVectorizer(
    tokenizer=tokenize, lowercase=False, token_pattern=None, max_features=2000
)
x_train = torch.tensor(vectorizer.fit_transform(train.texts).toarray(), dtype=torch.float32)
x_val = torch.tensor(vectorizer.transform(val.texts).toarray(), dtype=torch.float32)
y_train = torch.tensor(train.labels)
y_val = torch.tensor(val.labels)
print("x_train:", tuple(x_train.shape), x_train.dtype, "  y_train:", tuple(y_train.shape))
print("first tweet:", repr(train.texts[0]))
print(
    "its non-zero columns:",
    {
        vectorizer.get_feature_names_out()[i]: int(x_train[0, i])
        for i in x_train[0].nonzero().flatten().tolist()
    },
)

# %%
# A layer is a forward and a backward function
# --------------------------------------------
# **In words.** A *linear layer* is the simplest layer: each of its outputs
# is a weighted sum of all its inputs, plus a constant. Here the inputs are
# the 2,000 word counts of a tweet and there are six outputs, one score per
# emotion. The multipliers are the layer's :term:`weights <weight>` and the
# constants its :term:`biases <bias>`: think of them as knobs, 2,000 x 6
# weights (one per word and emotion, saying how much that word pushes
# towards that emotion) plus 6 biases. Training means turning the knobs.
#
# Which way to turn each knob? That is the *backward* function's job. It
# receives, for each output, how much the loss would go up if that output
# went up a little (a slope, as in school maths). From those slopes it
# works out the slope of the loss for each knob, and for each input (which
# the layer before it needs, to do the same for its own knobs). An example:
# if "happy" occurs twice in a tweet, turning its joy knob up by a little
# raises the joy score by twice that little, so the loss's slope for that
# knob is twice its slope for the joy score; a word absent from the tweet
# gets slope zero, since its knob changes nothing there. These slopes
# are the :term:`gradients <gradient>`; lowering the loss means turning each
# knob a little *against* its slope. A :term:`tensor` is simply PyTorch's
# name for a table of numbers with any number of dimensions: a tweet's word
# counts, the table of weights, the slopes.
#
# Below, ``torch.autograd.Function`` lets us write the two functions by hand.
# In the code, ``@`` multiplies tables of numbers the way the weighted sums
# need (matrix multiplication) and ``.T`` turns a table on its side
# (rows become columns).
# ``forward`` computes the scores and keeps what ``backward`` will need later
# (``ctx.save_for_backward``: the inputs and the weights); ``backward``
# turns the slopes of the outputs into slopes for the input, the weights and
# the biases.
#
# .. dropdown:: For the curious: the formulas
#
#    With the inputs as rows of :math:`x`, the layer computes
#    :math:`y = x W^T + b`. Given :math:`\partial L / \partial y`, how the loss
#    :math:`L` changes with each output, the chain rule gives
#
#    .. math::
#
#       \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} W, \qquad
#       \frac{\partial L}{\partial W} = \left(\frac{\partial L}{\partial y}\right)^T x, \qquad
#       \frac{\partial L}{\partial b} = \sum_{\text{batch}} \frac{\partial L}{\partial y}
#
#    which are the three lines of ``backward``.


class HandLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T + bias  # (batch, out)

    @staticmethod
    def backward(ctx, grad_out):  # grad_out: (batch, out)
        x, weight = ctx.saved_tensors
        grad_x = grad_weight = grad_bias = None
        # Compute only the gradients someone asked for: the input of the first
        # layer is data, so its gradient would be wasted work.
        if ctx.needs_input_grad[0]:
            grad_x = grad_out @ weight  # (batch, in)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_out.T @ x  # (out, in)
        if ctx.needs_input_grad[2]:
            grad_bias = grad_out.sum(dim=0)  # (out,)
        return grad_x, grad_weight, grad_bias


# %%
# Is our backward function right? ``torch.autograd.gradcheck`` checks it the
# way you would by hand: it nudges each input and each knob by a tiny amount,
# measures how much the output moves (a slope measured, not computed), and
# compares that with the slopes our ``backward`` returns. It works in double
# precision (``float64``, about 16 significant digits) so that the tiny
# nudges are not lost in rounding. Here on a small random layer: 4 inputs of
# 5 numbers, 3 outputs.

x = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
w = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
b = torch.randn(3, dtype=torch.float64, requires_grad=True)
print("gradcheck passed:", torch.autograd.gradcheck(HandLinear.apply, (x, w, b)))

# %%
# And against autograd: the same layer written with ordinary tensor operations,
# whose backward function PyTorch derives on its own. A backward pass needs a
# single number to start from, as a loss is; here the sum of all the outputs
# stands in for one. The printed differences are the largest gaps between
# our slopes and PyTorch's, for the input x, the weights W and the biases b.

out_hand = HandLinear.apply(x, w, b).sum()
grads_hand = torch.autograd.grad(out_hand, (x, w, b))
out_auto = (x @ w.T + b).sum()
grads_auto = torch.autograd.grad(out_auto, (x, w, b))
for name, g_hand, g_auto in zip("xWb", grads_hand, grads_auto, strict=True):
    print(f"d loss / d {name}: largest difference {(g_hand - g_auto).abs().max().item():.1e}")

# %%
# The loss: cross-entropy on emotion logits
# -----------------------------------------
# The layer's six outputs per tweet are :term:`logits`: raw scores, one per
# emotion, any number from very negative to very positive. The
# :term:`softmax` turns them into :term:`probabilities <probability>`: all
# between 0 and 1, adding up to 1, the highest score getting the highest
# probability. The :term:`loss` then asks one question: how much probability
# did the model give to the right emotion? Close to 1, the loss is close to 0;
# close to 0, the loss is large. This loss, *cross-entropy*, is minus the
# logarithm of that probability, averaged over the tweets (the logarithm of
# 1 is 0 and it plunges towards minus infinity as the probability nears 0;
# the minus sign makes the loss positive). A layer whose knobs are all set
# to zero, as here, gives each of the six emotions the same probability,
# 1/6, so the loss is :math:`\ln 6`, about 1.79 (``ln``: the natural
# logarithm).

weight = torch.zeros(len(data.labels), x_train.shape[1], requires_grad=True)
bias = torch.zeros(len(data.labels), requires_grad=True)
logits = HandLinear.apply(x_train[:3], weight, bias)  # (3, 6)
probs = logits.softmax(dim=1)
by_hand = -probs[torch.arange(3), y_train[:3]].log().mean()
print(f"cross-entropy by hand:  {by_hand.item():.4f}")
print(f"F.cross_entropy:        {F.cross_entropy(logits, y_train[:3]).item():.4f}")
print(f"ln(6):                  {torch.log(torch.tensor(6.0)).item():.4f}")

# %%
# Gradient descent by hand
# ------------------------
# Training repeats four steps: forward, loss, backward, and a small step of
# every weight against its gradient. Here ``loss.backward()`` calls our
# ``HandLinear.backward`` (and autograd's backward of cross-entropy), and we
# update the weights ourselves.

steps = 20 if QUICK else 100
learning_rate = 0.5
hand_losses = []
for _ in range(steps):
    loss = F.cross_entropy(HandLinear.apply(x_train, weight, bias), y_train)
    loss.backward()
    with torch.no_grad():
        weight -= learning_rate * weight.grad
        bias -= learning_rate * bias.grad
        weight.grad.zero_()
        bias.grad.zero_()
    hand_losses.append(loss.item())

with torch.no_grad():
    hand_pred = HandLinear.apply(x_val, weight, bias).argmax(dim=1)
hand_accuracy = accuracy_score(y_val, hand_pred)
print(
    f"after {steps} steps: training loss {hand_losses[-1]:.3f}, "
    f"validation accuracy {hand_accuracy:.3f}"
)

# %%
# The same with ``torch.nn`` and ``torch.optim``
# ----------------------------------------------
# In practice a layer is an ``nn.Module`` whose backward function autograd
# derives, and an :term:`optimizer` does the update. Adam adapts the step size of
# each weight. To compare it fairly with the gradient descent above, it starts
# from the same weights (all zero) and, like it, uses every training tweet at
# every step, so nothing in either run is random and one run of each says
# all there is to say. The line under the numbers says which got further.

layer = torch.nn.Linear(x_train.shape[1], len(data.labels))
with torch.no_grad():  # the same start as gradient descent by hand: all zero
    layer.weight.zero_()
    layer.bias.zero_()
optimizer = torch.optim.Adam(layer.parameters(), lr=0.01)
adam_losses = []
for _ in range(steps):
    optimizer.zero_grad()
    loss = F.cross_entropy(layer(x_train), y_train)
    loss.backward()
    optimizer.step()
    adam_losses.append(loss.item())

with torch.no_grad():
    adam_accuracy = accuracy_score(y_val, layer(x_val).argmax(dim=1))
print(
    f"after {steps} steps: training loss {adam_losses[-1]:.3f}, "
    f"validation accuracy {adam_accuracy:.3f}"
)
further = "Adam" if adam_losses[-1] < hand_losses[-1] else "gradient descent by hand"
print(f"lower training loss after {steps} steps from the same start: {further}")
# guessing: always the emotion most common among the training tweets
guessing = (y_val == torch.bincount(y_train).argmax()).float().mean().item()
print(f"validation accuracy of always guessing the most common emotion: {guessing:.3f}")
expect(
    min(hand_accuracy, adam_accuracy) > guessing + 0.1,
    "one linear layer over word counts already beats guessing by far",
    numbers=f"{hand_accuracy:.3f} and {adam_accuracy:.3f} against {guessing:.3f}",
)

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(hand_losses, label=f"gradient descent by hand (val. acc. {hand_accuracy:.2f})")
ax.plot(adam_losses, label=f"torch.optim.Adam (val. acc. {adam_accuracy:.2f})")
ax.axhline(torch.log(torch.tensor(6.0)).item(), color="grey", ls=":", label="ln 6 (guessing)")
ax.set_xlabel("step")
ax.set_ylabel("training loss (cross-entropy)")
ax.set_title("One linear layer learns emotions from word counts")
ax.legend()
fig.tight_layout()

# %%
# The autograd graph
# ------------------
# During the forward pass autograd records every operation in a graph; the
# backward pass walks it from the loss back to the weights. Each node is the
# backward function of one operation.


def show_graph(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    for next_fn, _ in fn.next_functions:
        show_graph(next_fn, depth + 1)


loss = F.cross_entropy(torch.relu(layer(x_train[:2])), y_train[:2])
show_graph(loss.grad_fn)

# %%
# Takeaway
# --------
# A layer is a forward function and a backward function; the backward function
# follows from the chain rule, and autograd writes it for every operation you
# use, so you only write the forward pass. One linear layer over word counts
# already beats guessing by far on real tweets (by more than 0.1 of accuracy:
# the lines above print both). The next tutorials stack more
# layers: :term:`embeddings <embedding>`, convolutions, recurrent networks and :term:`attention`.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (a few numbers, it runs at once) and compare. The solutions are the code that
# nlptut's own tests run, so they stay correct.
#
# 1. **Slopes by hand.** A one-number "layer" computes ``y = w * x + b``, and
#    the loss is ``(y - t) ** 2``. With ``w = 2``, ``b = 1``, ``x = 3`` and
#    the target ``t = 10``, what are the loss and its slopes with respect to
#    ``w`` and ``b``? Work them out by hand, then ask autograd.
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/what_is_deep_learning.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       ``y = 7``, so the loss is ``(7 - 10) ** 2 = 9``. The loss changes by
#       ``2 * (y - t) = -6`` per unit of ``y`` (the chain rule's first
#       link); ``y`` changes by ``x = 3`` per unit of ``w`` and by 1 per unit
#       of ``b``, so the slopes are -18 and -6. Autograd gives the same. Both
#       are negative: raising ``w`` or ``b`` lowers the loss, so a training
#       step raises them.
#
# 2. **Catch the bug.** Write a backward function for ``x * x`` that forgets
#    the 2 of its slope ``2x``. Does ``gradcheck`` notice?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/what_is_deep_learning.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       Yes: called with ``raise_exception=False``, as here, it returns
#       ``False``; with its default, ``raise_exception=True``, it stops with a
#       message that shows the two slopes side by side. This is why the page
#       checks its hand-written layer: a wrong backward function does not
#       crash, it only makes training go the wrong way.
#
# 3. **The step size.** Take steps of gradient descent on the loss
#    ``w ** 2`` from ``w = 1`` (its slope is ``2w``; the best ``w`` is 0),
#    20 steps with :term:`learning rates <learning rate>` 0.1, 0.5, 0.9 and 1.1. Where does ``w``
#    end?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/what_is_deep_learning.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Each step multiplies ``w`` by ``1 - 2 × rate``. At 0.1 it shrinks
#       slowly toward 0 (about 0.01 after 20 steps); at 0.5 it lands on 0 in
#       one step; at 0.9 it jumps from side to side but still shrinks; at 1.1
#       every step overshoots more than the last, and ``w`` grows past 30. A
#       learning rate too large makes training blow up; too small makes it
#       crawl.
