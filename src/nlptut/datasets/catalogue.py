"""The known datasets (:data:`DATASETS`) and how to look one up by name."""

from __future__ import annotations

import difflib

from nlptut.datasets.registry import SPLITS, DatasetInfo, PublishedResult, RemoteFile
from nlptut.errors import UnknownName

_DAIR_URL = "https://www.dropbox.com/s/{key}/{filename}?dl=1"
_INDONLU_URL = (
    "https://raw.githubusercontent.com/IndoNLP/indonlu/master/dataset/"
    "emot_emotion-twitter/{filename}"
)
_INDONLU_DATA = (
    "https://raw.githubusercontent.com/IndoNLP/indonlu/master/dataset/{folder}/{filename}"
)
_INDONLU_CITATION = (
    "Bryan Wilie, Karissa Vincentio, Genta Indra Winata, Samuel Cahyawijaya, "
    "Xiaohong Li, Zhi Yuan Lim, Sidik Soleman, Rahmad Mahendra, Pascale Fung, "
    "Syafri Bahar, and Ayu Purwarianti. 2020. IndoNLU: Benchmark and Resources "
    "for Evaluating Indonesian Natural Language Understanding. In Proceedings of "
    "the 1st Conference of the Asia-Pacific Chapter of the Association for "
    "Computational Linguistics and the 10th International Joint Conference on "
    "Natural Language Processing (AACL-IJCNLP 2020)."
)
_INDONLU_LICENSE = "Apache-2.0 (the IndoNLU repository's LICENSE; MIT before June 2022)"


def _indonlu_files(folder: str, suffix: str, sha: tuple[str, str, str], rows: tuple[int, int, int]):
    return tuple(
        RemoteFile(
            split,
            f"{stem}_preprocess.{suffix}",
            _INDONLU_DATA.format(folder=folder, filename=f"{stem}_preprocess.{suffix}"),
            digest,
            count,
        )
        for split, stem, digest, count in zip(
            SPLITS, ("train", "valid", "test"), sha, rows, strict=True
        )
    )


_HOESEN_CITATION = (
    "Devin Hoesen and Ayu Purwarianti. 2018. Investigating Bi-LSTM and CRF with POS Tag "
    "Embedding for Indonesian Named Entity Tagger. In Proceedings of the 2018 International "
    "Conference on Asian Language Processing (IALP), pages 35-38. IEEE."
)


def _indonlu_tagging(
    name: str,
    title: str,
    folder: str,
    tags: tuple[str, ...],
    sha: tuple[str, str, str],
    what: str,
    scores: tuple[tuple[str, float], ...],
):
    return DatasetInfo(
        name=name,
        title=title,
        language="id",
        labels=tags,
        files=_indonlu_files(folder, "txt", sha, (6_720, 840, 840)),
        format="conll",
        license=_INDONLU_LICENSE,
        citation=_HOESEN_CITATION + "\n" + _INDONLU_CITATION,
        bibtex_key="hoesen2018investigating",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "8,400 Indonesian news sentences (lower-cased, split into words), split "
            f"6,720 / 840 / 840 sentences (156,409 / 19,629 / 19,952 words), {what} "
            "IndoNLU's POSP and NERP tasks tag the same sentences."
        ),
        # Wilie et al. (2020), Table 5: test F1 of the tag types, averaged over types.
        published=tuple(
            PublishedResult(system, "tag_f1", percent, "wilie2020indonlu")
            for system, percent in scores
        ),
        task="tagging",
    )


# the 26 parts of speech of IndoNLU POSP, alphabetical; its files write each as B-TAG
_POSP_TAGS = (
    "$$$",
    "ADJ",
    "ADK",
    "ADV",
    "ART",
    "CCN",
    "CSN",
    "INT",
    "KUA",
    "NEG",
    "NNO",
    "NNP",
    "NUM",
    "PAR",
    "PPO",
    "PRI",
    "PRK",
    "PRN",
    "PRR",
    "SYM",
    "UNS",
    "VBE",
    "VBI",
    "VBL",
    "VBP",
    "VBT",
)

_GOEMOTIONS_URL = (
    "https://raw.githubusercontent.com/google-research/google-research/master/goemotions/data/"
    "{filename}"
)

DATASETS: dict[str, DatasetInfo] = {
    "dair-emotion": DatasetInfo(
        name="dair-emotion",
        title="dair-ai emotion: English tweets, 6 emotions (CARER)",
        language="en",
        labels=("sadness", "joy", "love", "anger", "fear", "surprise"),
        files=(
            RemoteFile(
                "train",
                "train.txt",
                _DAIR_URL.format(key="1pzkadrvffbqw6o", filename="train.txt"),
                "3ab03d945a6cb783d818ccd06dafd52d2ed8b4f62f0f85a09d7d11870865b190",
                16_000,
            ),
            RemoteFile(
                "validation",
                "val.txt",
                _DAIR_URL.format(key="2mzialpsgf9k5l3", filename="val.txt"),
                "34faaa31962fe63cdf5dbf6c132ef8ab166c640254ab991af78f3aea375e79ef",
                2_000,
            ),
            RemoteFile(
                "test",
                "test.txt",
                _DAIR_URL.format(key="ikkqxfdbdec3fuj", filename="test.txt"),
                "60f531690d20127339e7f054edc299a82c627b5ec0dd5d552d53d544e0cfcc17",
                2_000,
            ),
        ),
        format="semicolon",
        license="educational and research purposes (per the dataset card)",
        citation=(
            "Elvis Saravia, Hsien-Chi Toby Liu, Yen-Hao Huang, Junlin Wu, and Yi-Shin Chen. "
            "2018. CARER: Contextualized Affect Representations for Emotion Recognition. "
            "In Proceedings of the 2018 Conference on Empirical Methods in Natural Language "
            "Processing (EMNLP), pages 3687-3697, Brussels, Belgium. Association for "
            "Computational Linguistics. https://doi.org/10.18653/v1/D18-1404"
        ),
        bibtex_key="saravia2018carer",
        homepage="https://github.com/dair-ai/emotion_dataset",
        description=(
            "20,000 lower-cased English tweets, each labelled with one of six emotions "
            "(sadness, joy, love, anger, fear, surprise), split 16,000 / 2,000 / 2,000. "
            "The classes are imbalanced: joy and sadness make up over 60% of the "
            "training set, surprise under 4%."
        ),
        # The comparison table on the model cards of three fine-tuned models
        # (bhadresh-savani on the Hugging Face hub): test accuracy.
        published=tuple(
            PublishedResult(system, "accuracy", percent, "savaniemotioncards")
            for system, percent in (
                ("BERT-base", 94.05),
                ("DistilBERT", 93.8),
                ("RoBERTa-base", 93.95),
            )
        ),
    ),
    "indonlu-emot": DatasetInfo(
        name="indonlu-emot",
        title="IndoNLU EmoT: Indonesian tweets, 5 emotions",
        language="id",
        labels=("sadness", "anger", "love", "fear", "happy"),
        files=(
            RemoteFile(
                "train",
                "train_preprocess.csv",
                _INDONLU_URL.format(filename="train_preprocess.csv"),
                "51bb4e77d989004d0ca49c158f404d7eda956015a18b805401f7dee9b4d85fc1",
                3_521,
            ),
            RemoteFile(
                "validation",
                "valid_preprocess.csv",
                _INDONLU_URL.format(filename="valid_preprocess.csv"),
                "3cba3d7b2cc3afa5cdd452a13df2498ff8a32b420f59ed10a48e41a452c98f50",
                440,
            ),
            RemoteFile(
                "test",
                "test_preprocess.csv",
                _INDONLU_URL.format(filename="test_preprocess.csv"),
                "e983b8e4b079a3b76f299cc801305f1098e35281f5b95636432981a2f2a1b461",
                440,
            ),
        ),
        format="csv",
        license=(
            "CC BY-NC-SA 4.0 (original dataset); distributed in the IndoNLU repository (Apache-2.0)"
        ),
        citation=(
            "Mei Silviana Saputri, Rahmad Mahendra, and Mirna Adriani. 2018. Emotion "
            "Classification on Indonesian Twitter Dataset. In Proceedings of the 2018 "
            "International Conference on Asian Language Processing (IALP), pages 90-95. "
            "IEEE.\n" + _INDONLU_CITATION
        ),
        bibtex_key="saputri2018emotion",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "4,401 Indonesian tweets, each labelled with one of five emotions (sadness, "
            "anger, love, fear, happy), split 3,521 / 440 / 440: the EmoT task of the "
            "IndoNLU benchmark. User names are masked as [USERNAME]; a few tweets span "
            "several lines."
        ),
        # Wilie et al. (2020), Table 5: EmoT test macro-F1.
        published=tuple(
            PublishedResult(system, "macro_f1", percent, "wilie2020indonlu")
            for system, percent in (
                ("Scratch", 57.31),
                ("fastText-cc-id", 65.36),
                ("fastText-indo4b", 69.23),
                ("mBERT", 67.30),
                ("XLM-R base", 71.15),
                ("XLM-R large", 78.51),
                ("IndoBERT base", 75.48),
                ("IndoBERT base, phase 2", 76.28),
                ("IndoBERT large", 77.08),
                ("IndoBERT large, phase 2", 79.47),
            )
        ),
    ),
    "goemotions": DatasetInfo(
        name="goemotions",
        title="GoEmotions: English Reddit comments, Ekman's 6 emotions + neutral",
        language="en",
        # Ekman's six in the order of ekman_mapping.json (alphabetical), then
        # neutral, which is also last in the dataset's emotions.txt.
        labels=("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"),
        files=(
            RemoteFile(
                "train",
                "train.tsv",
                _GOEMOTIONS_URL.format(filename="train.tsv"),
                "1c254a142be5c00e80d819b9ae1bbd36d94b2eeb8f4b1271846508d57e57d9c5",
                43_410,
            ),
            RemoteFile(
                "validation",
                "dev.tsv",
                _GOEMOTIONS_URL.format(filename="dev.tsv"),
                "575489c079c9de1097062a01738f998590d6b7ead66dd1c9fd1d2ba01fd8bc62",
                5_426,
            ),
            RemoteFile(
                "test",
                "test.tsv",
                _GOEMOTIONS_URL.format(filename="test.tsv"),
                "0587b2dd8b27b97352adbfc3fb083d46005c8946657fdc2b1ca8b1cc7f1f8be4",
                5_427,
            ),
        ),
        extra_files=(
            RemoteFile(
                None,
                "emotions.txt",
                _GOEMOTIONS_URL.format(filename="emotions.txt"),
                "45c3ef86782d2a4d7fedcd6d8c111aa0d0e94720689bd164fac94fefb4495a89",
                28,
            ),
            RemoteFile(
                None,
                "ekman_mapping.json",
                _GOEMOTIONS_URL.format(filename="ekman_mapping.json"),
                "d6b1fea382917c1685c42e1324a0344106be9390f52a3850ce032656d103a328",
                None,
            ),
        ),
        format="goemotions",
        license=(
            "CC BY 4.0 (google-research repository README); the Hugging Face copy's card "
            "says Apache-2.0"
        ),
        citation=(
            "Dorottya Demszky, Dana Movshovitz-Attias, Jeongwoo Ko, Alan Cowen, Gaurav "
            "Nemade, and Sujith Ravi. 2020. GoEmotions: A Dataset of Fine-Grained Emotions. "
            "In Proceedings of the 58th Annual Meeting of the Association for Computational "
            "Linguistics (ACL), pages 4040-4054. Association for Computational Linguistics. "
            "https://doi.org/10.18653/v1/2020.acl-main.372"
        ),
        bibtex_key="demszky2020goemotions",
        homepage="https://github.com/google-research/google-research/tree/master/goemotions",
        description=(
            "54,263 English Reddit comments, split 43,410 / 5,426 / 5,427, each labelled "
            "by 3 to 5 human raters with one or more of 27 emotions or neutral; user names "
            "are masked as [NAME]. Unlike dair-emotion, whose labels were derived from "
            "hashtags, the labels are people's judgements, and the texts keep their "
            "capitals, punctuation and emoji. nlptut groups the 27 emotions into Ekman's six "
            "(anger, disgust, fear, joy, sadness, surprise) with the dataset's "
            "ekman_mapping.json, plus neutral: a comment whose labels all fall in one group "
            "gets that group; a comment whose labels fall in several groups (also an "
            "emotion together with neutral; about 9% of the comments) is left out, because "
            "a single-label classifier cannot be scored on it. LabelledData.left_out "
            "counts them per split."
        ),
    ),
    "indonlu-smsa": DatasetInfo(
        name="indonlu-smsa",
        title="IndoNLU SmSA: Indonesian review sentiment, 3 labels",
        language="id",
        labels=("positive", "neutral", "negative"),
        files=_indonlu_files(
            "smsa_doc-sentiment-prosa",
            "tsv",
            (
                "50f38ceed9b31521bf1581e126620532cc9b790712938159a2cdcf6906977a9b",
                "6ab41ddc9d58a35086f05ebd2e209c74cb03d87d4f51d6abdfba674eafbefa74",
                "4e8016daa8e4e1b193f2a28a79d3a7804dd4e3f926a3ab7e8a64264f5f416a6f",
            ),
            (11_000, 1_260, 500),
        ),
        format="tsv-plain",
        license=_INDONLU_LICENSE,
        citation=(
            "Ayu Purwarianti and Ida Ayu Putu Ari Crisdayanti. 2019. Improving Bi-LSTM "
            "Performance for Indonesian Sentiment Analysis Using Paragraph Vector. In "
            "Proceedings of the 2019 International Conference of Advanced Informatics: Concepts, "
            "Theory and Applications (ICAICTA), pages 1-5. IEEE.\n" + _INDONLU_CITATION
        ),
        bibtex_key="purwarianti2019improving",
        homepage="https://github.com/IndoNLP/indonlu",
        description=(
            "12,760 Indonesian comments and reviews (lower-cased, split into words), each "
            "labelled positive, neutral or negative, split 11,000 / 1,260 / 500: the SmSA "
            "task of the IndoNLU benchmark. Positive is over half of the training set, "
            "neutral about a tenth."
        ),
        # Wilie et al. (2020), Table 5: SmSA test macro-F1.
        published=tuple(
            PublishedResult(system, "macro_f1", percent, "wilie2020indonlu")
            for system, percent in (
                ("Scratch", 67.35),
                ("fastText-cc-id", 76.92),
                ("fastText-indo4b", 82.13),
                ("IndoBERT base", 87.73),
                ("IndoBERT large", 92.72),
            )
        ),
    ),
    "indonlu-posp": _indonlu_tagging(
        "indonlu-posp",
        "IndoNLU POSP: Indonesian news, a part-of-speech tag per word (26 tags)",
        "posp_pos-prosa",
        tuple(f"B-{t}" for t in _POSP_TAGS),
        (
            "667d16f7e3e424fc1bf3d1aff8d99a0045ff07ca382c467f612d9ddc420803a1",
            "9af8289324391466c282132a8b47323b38e84daa3f0dd9b0d972da0a9f0970a9",
            "bc3f87f79d3753598f3d83218405c29468d9cc8aab02482710110657f5dd36b6",
        ),
        "each word tagged with one of 26 parts of speech (written B-NNO, B-VBI, ...: "
        "each word is a chunk of its own).",
        (
            ("Scratch", 86.78),
            ("fastText-cc-id", 94.35),
            ("fastText-indo4b", 94.94),
            ("IndoBERT base", 95.26),
            ("IndoBERT base, phase 2", 95.23),
            ("IndoBERT large", 95.71),
            ("IndoBERT large, phase 2", 95.34),
        ),
    ),
    "indonlu-nerp": _indonlu_tagging(
        "indonlu-nerp",
        "IndoNLU NERP: Indonesian news, named entities of five types (BIO tags)",
        "nerp_ner-prosa",
        (
            "O",
            "B-PPL",
            "I-PPL",
            "B-PLC",
            "I-PLC",
            "B-IND",
            "I-IND",
            "B-EVT",
            "I-EVT",
            "B-FNB",
            "I-FNB",
        ),
        (
            "0361c2b4a40298f00c027ad80b3c29a1f2a14c3d6fea91ec292820af25821a2d",
            "5e08679148ada73a809a52fbe9695ac8d9b0acfe4e3e8f686fa6ab16048b4863",
            "c262b1bfd339e58ee347e1f7fd8fbc4584c61ed6e36e5da4786539611c80aa03",
        ),
        "each word tagged O (outside any name) or B-/I- (beginning or inside) a name of "
        "one of five types: PPL person, PLC place, IND product or brand, EVT event, FNB "
        "food and beverage.",
        (
            ("Scratch", 30.66),
            ("fastText-cc-id", 46.46),
            ("fastText-indo4b", 46.79),
            ("IndoBERT base", 75.52),
            ("IndoBERT base, phase 2", 75.68),
            ("IndoBERT large", 79.25),
            ("IndoBERT large, phase 2", 77.99),
        ),
    ),
}


def list_datasets() -> list[DatasetInfo]:
    """Return the known datasets, in registry order.

    Returns
    -------
    list of DatasetInfo
    """
    return list(DATASETS.values())


def _unknown_dataset(name: str, *, paths_accepted: bool = False) -> UnknownName:
    known = ", ".join(DATASETS)
    close = difflib.get_close_matches(name, DATASETS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    also = (
        " A path to a .csv, .tsv or .txt file, or to a folder of them, is also accepted."
        if paths_accepted
        else ""
    )
    return UnknownName(f"unknown dataset {name!r}; known datasets: {known}.{hint}{also}")


def dataset_info(name: str) -> DatasetInfo:
    """Return the registry entry of a known dataset.

    Parameters
    ----------
    name : str
        A dataset name such as ``"dair-emotion"``.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset (the message lists the known ones).
    """
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise _unknown_dataset(str(name)) from None
