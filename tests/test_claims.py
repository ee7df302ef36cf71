"""nlptut.claims: a sentence of a page held to the page's numbers."""

from __future__ import annotations

import pytest

from nlptut.claims import ClaimContradicted, ClaimWarning, expect


def test_a_claim_that_holds_is_silent(monkeypatch):
    monkeypatch.setenv("NLPTUT_QUICK", "0")
    expect(0.9 > 0.5, "the network beats the rules")


def test_a_contradicted_claim_stops_a_full_build_and_names_the_numbers(monkeypatch):
    monkeypatch.setenv("NLPTUT_QUICK", "0")
    with pytest.raises(ClaimContradicted) as info:
        expect(1.0 > 1.2, "two processes were slower", numbers="1.00 times as long")
    message = str(info.value)
    assert "two processes were slower" in message and "1.00 times as long" in message
    assert "\n" not in message


def test_a_contradicted_claim_only_warns_in_quick_mode(monkeypatch):
    monkeypatch.setenv("NLPTUT_QUICK", "1")
    with pytest.warns(ClaimWarning, match="the rules"):
        expect(False, "the network beats the rules")
