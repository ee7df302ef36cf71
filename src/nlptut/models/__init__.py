"""Neural text classifiers: bag of words, CNN, LSTM and Transformer.

Every model here is an :class:`torch.nn.Module` with the same call, so that the
training loop, the evaluation code and the tutorials can swap one for another::

    logits = model(ids, mask)  # (batch, seq_len), (batch, seq_len) -> (batch, num_classes)

``ids`` holds token ids (a ``torch.long`` tensor) padded with ``pad_id`` (0)
on the right, as :mod:`nlptut.text` builds batches; ``mask`` is a bool tensor
that is ``True`` at real tokens. Every row must hold at least one real token.
The logits are raw scores: pass them to :func:`torch.nn.functional.cross_entropy`
for training, or to ``softmax`` for probabilities.

Each model keeps its settings in a small ``@dataclass`` config (``model.config``)
whose defaults suit tweet-sized texts (tens of tokens) and a training set of
about 16,000 examples, trained from scratch on a laptop CPU in a few minutes.

==================  ==================================================================
``"nbow"``          :class:`NBoWClassifier`: the average of the word embeddings
``"cnn"``           :class:`CNNClassifier`: n-gram detectors (1-d convolutions), max-pooled
``"lstm"``          :class:`LSTMClassifier`: a bidirectional LSTM, max-pooled
``"transformer"``   :class:`TransformerClassifier`: self-attention, mean-pooled
==================  ==================================================================

:func:`build_model` makes one by name; ``"keywords"`` (in :data:`MODEL_NAMES`)
is the rule baseline of :mod:`nlptut.keywords`, which is not a neural network.

How the package is laid out
---------------------------
One module per model, each importing only those before it in this list:
``shared`` (config checks, embeddings, pooling over real tokens, the
bidirectional LSTM), ``nbow``, ``cnn``, ``lstm``, ``transformer`` and
``registry`` (the models by name). Import the public names from
``nlptut.models`` itself.
"""

from nlptut.models.cnn import CNNClassifier, CNNConfig
from nlptut.models.lstm import LSTMClassifier, LSTMConfig
from nlptut.models.nbow import NBoWClassifier, NBoWConfig
from nlptut.models.registry import (
    MODEL_NAMES,
    MODELS,
    NEURAL_MODELS,
    build_model,
    config_from_dict,
    config_to_dict,
    count_parameters,
    make_config,
)
from nlptut.models.shared import bidirectional_lstm, check_config, gather_positions, reverse_within
from nlptut.models.transformer import PositionalEncoding, TransformerClassifier, TransformerConfig

__all__ = [
    "NBoWConfig",
    "NBoWClassifier",
    "CNNConfig",
    "CNNClassifier",
    "LSTMConfig",
    "LSTMClassifier",
    "TransformerConfig",
    "PositionalEncoding",
    "TransformerClassifier",
    "MODELS",
    "NEURAL_MODELS",
    "MODEL_NAMES",
    "make_config",
    "build_model",
    "config_to_dict",
    "config_from_dict",
    "count_parameters",
    "check_config",
    "bidirectional_lstm",
    "reverse_within",
    "gather_positions",
]
