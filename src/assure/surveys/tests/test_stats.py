"""The two-proportion test against figures worked by hand."""

import math

import pytest

from assure.surveys.stats import two_proportion


def test_a_rise_from_60_of_100_to_90_of_120_is_unlikely_to_be_chance() -> None:
    # By hand: p1 = 0.6, p2 = 0.75, pooled = 150/220 = 0.681818;
    # se = sqrt(0.681818 * 0.318182 * (1/100 + 1/120)) = sqrt(0.216942 * 0.0183333) = 0.063066;
    # z = 0.15 / 0.063066 = 2.3785; two-sided p = 2 * (1 - Phi(2.3785)) = 2 * 0.00869 = 0.0174.
    result = two_proportion(60, 100, 90, 120)
    assert result is not None
    assert result.z == pytest.approx(2.3785, abs=1e-3)
    assert result.p_value == pytest.approx(0.0174, abs=5e-4)
    assert result.change_points == pytest.approx(15.0)
    assert result.significant
    assert result.words == (
        "Unlikely to be chance: if nothing had really changed, a difference this large would "
        "still happen about 2 times in 100 (p = 0.017)."
    )


def test_a_small_change_could_be_chance() -> None:
    # p1 = 20/40 = 0.5, p2 = 24/40 = 0.6, pooled = 0.55;
    # se = sqrt(0.55 * 0.45 * (2/40)) = sqrt(0.012375) = 0.111243; z = 0.1 / 0.111243 = 0.8989;
    # two-sided p = 2 * (1 - Phi(0.8989)) = 2 * 0.18436 = 0.3687.
    result = two_proportion(20, 40, 24, 40)
    assert result is not None
    assert result.z == pytest.approx(0.8989, abs=1e-3)
    assert result.p_value == pytest.approx(0.3687, abs=5e-4)
    assert not result.significant
    assert result.words.startswith("Could be chance:")
    assert "about 37 times in 100 (p = 0.369)" in result.words


def test_a_fall_gives_a_negative_change_and_the_same_p_value() -> None:
    up, down = two_proportion(20, 40, 24, 40), two_proportion(24, 40, 20, 40)
    assert up is not None
    assert down is not None
    assert down.change_points == pytest.approx(-10.0)
    assert math.isclose(up.p_value, down.p_value)


def test_no_test_without_answers_or_with_no_spread() -> None:
    assert two_proportion(0, 0, 5, 10) is None
    assert two_proportion(10, 10, 12, 12) is None
