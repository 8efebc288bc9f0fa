"""Confidence statistics against hand-worked figures."""

import math

import pytest

from assure.workforce.stats import confidence, signed_rank


def test_exact_p_values_worked_by_hand():
    # Six increases 1..6: W+ = 21, the largest of 2^6 = 64 sign choices: p = 2/64.
    assert signed_rank([1, 2, 3, 4, 5, 6]).p_value == pytest.approx(0.03125)
    # Five equal increases share rank 3: W+ = 15 only when all five are positive: p = 2/32.
    test = signed_rank([1, 1, 1, 1, 1])
    assert (test.n, test.w_plus, test.p_value) == (5, 15, pytest.approx(0.0625))
    # [2, -1, 3, 1, 2, 0, 1]: the 0 is dropped; |1| x3 share rank 2, |2| x2 rank 4.5, |3| 6.
    # W- = 2 (the one decrease); W+ = 19. Sign choices with W- <= 2: none negative, or one of
    # the three 1s: 4 of 64, so p = 2 x 4/64 = 0.125.
    test = signed_rank([2, -1, 3, 1, 2, 0, 1])
    assert (test.n, test.w_plus, test.w_minus) == (6, 19, 2)
    assert test.p_value == pytest.approx(0.125)
    assert signed_rank([0, 0]).p_value is None


def test_normal_approximation_above_fifty_pairs():
    # 60 equal increases: ranks all 30.5, W+ = 1830, mean 915; variance 60*61*121/24 minus the
    # ties' (60^3 - 60)/48 = 18452.5 - 4498.75 = 13953.75; z = (915 - 0.5) / sqrt(13953.75).
    test = signed_rank([1] * 60)
    z = 914.5 / math.sqrt(13953.75)
    assert test.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert test.p_value is not None
    assert test.p_value < 1e-12


def test_confidence_distribution_mean_change_and_words():
    pairs = [(2, 4), (3, 4), (2, 3), (1, 3), (3, 3), (2, 4)]
    c = confidence(pairs)
    assert c.paired == 6
    assert c.before == {1: 1, 2: 3, 3: 2, 4: 0, 5: 0}
    assert c.after == {1: 0, 2: 0, 3: 3, 4: 3, 5: 0}
    assert c.mean_before == pytest.approx(13 / 6)
    assert c.mean_after == pytest.approx(21 / 6)
    assert c.mean_change == pytest.approx(8 / 6)
    # Changes 2, 1, 1, 2, 0, 2: five non-zero, all up: W+ = 15, p = 2/32 = 0.0625.
    assert c.test is not None
    assert c.test.p_value == pytest.approx(0.0625)
    assert c.in_words.startswith("The change could be chance (p = 0.062")


def test_fewer_than_five_pairs_are_not_shown():
    c = confidence([(1, 5), (1, 5), (1, 5), (1, 5)])
    assert not c.shown
    assert c.in_words == "Fewer than 5 paired answers: not shown."
    many = confidence([(1, 4), (2, 4), (1, 5), (2, 5), (1, 3), (2, 3), (1, 4)])
    assert many.shown
    assert "unlikely to be chance" in many.in_words
