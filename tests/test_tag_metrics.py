"""Tagging F1: seqeval, averaged over types as IndoNLU reports it, against cases worked by hand."""

from __future__ import annotations

import pytest

from nlptut.tagging.metrics import tag_scores


def test_a_case_worked_by_hand():
    true = [["B-PPL", "I-PPL", "O", "B-PLC"], ["B-PLC", "O", "B-PPL"]]
    pred = [["B-PPL", "I-PPL", "O", "O"], ["B-PLC", "O", "B-PLC"]]
    s = tag_scores(true, pred)
    # PPL: 2 true, 1 found (right): P 1/1, R 1/2, F1 2/3
    # PLC: 2 true, 2 found, 1 right: P 1/2, R 1/2, F1 1/2
    assert s.per_type["PPL"].precision == pytest.approx(1.0)
    assert s.per_type["PPL"].recall == pytest.approx(0.5)
    assert s.per_type["PPL"].f1 == pytest.approx(2 / 3)
    assert s.per_type["PLC"].f1 == pytest.approx(0.5)
    assert s.per_type["PPL"].support == 2
    assert s.f1 == pytest.approx((2 / 3 + 1 / 2) / 2)  # averaged over types
    # pooled: 4 true, 3 found, 2 right -> P 2/3, R 1/2
    assert s.micro_f1 == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))
    assert s.accuracy == pytest.approx(5 / 7)
    assert (s.words, s.sentences) == (7, 2)


def test_a_chunk_counts_only_if_whole():
    s = tag_scores([["B-PPL", "I-PPL", "I-PPL"]], [["B-PPL", "I-PPL", "O"]])
    assert s.f1 == 0.0
    assert s.accuracy == pytest.approx(2 / 3)


def test_a_type_only_predicted_counts_with_f1_zero():
    s = tag_scores([["B-PPL", "O"]], [["B-PPL", "B-EVT"]])
    assert s.per_type["EVT"].f1 == 0.0 and s.per_type["EVT"].support == 0
    assert s.f1 == pytest.approx(0.5)


def test_an_inside_tag_without_a_beginning_starts_a_chunk():
    assert tag_scores([["O", "B-PPL", "I-PPL"]], [["O", "I-PPL", "I-PPL"]]).f1 == 1.0


def test_pos_tags_are_one_word_chunks():
    s = tag_scores([["B-NNO", "B-VBI", "B-NNO"]], [["B-NNO", "B-NNO", "B-NNO"]])
    # NNO: 2 true, 3 found, 2 right -> F1 0.8; VBI: F1 0
    assert s.per_type["NNO"].f1 == pytest.approx(0.8)
    assert s.f1 == pytest.approx(0.4)


def test_no_chunks_anywhere_scores_zero_not_nan():
    s = tag_scores([["O", "O"]], [["O", "O"]])
    assert s.f1 == 0.0 and s.accuracy == 1.0 and s.per_type == {}


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="one prediction per sentence"):
        tag_scores([["O"]], [])
    with pytest.raises(ValueError, match="sentence 0"):
        tag_scores([["O", "O"]], [["O"]])


def test_report_lists_every_type():
    report = tag_scores([["B-PPL", "B-PLC"]], [["B-PPL", "O"]]).format_report()
    assert "PPL" in report and "PLC" in report and "average" in report
