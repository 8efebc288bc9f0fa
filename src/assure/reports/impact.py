"""Whether a recommendation changed anything: a linked measure before and since it was accepted.

The test is a two-proportion z-test of the share done on time over the 12 months before the
recommendation was accepted against the share since (each month's obligations pooled). It
asks how likely a difference at least this large would be if nothing had changed; below 5%
("p < 0.05") the report calls the change more than chance. It cannot say the recommendation
caused the change, and months are not independent, so the words say so.
"""

import math
from dataclasses import dataclass

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Proportion:
    met: int
    total: int

    @property
    def share(self) -> float | None:
        return self.met / self.total if self.total else None


@dataclass(frozen=True)
class TwoProportionTest:
    before: Proportion
    since: Proportion
    z: float
    p_value: float

    @property
    def more_than_chance(self) -> bool:
        return self.p_value < SIGNIFICANCE

    def words(self) -> str:
        """The result in plain words, with its numbers."""
        b, s = self.before, self.since
        assert b.share is not None
        assert s.share is not None
        direction = "up" if s.share > b.share else "down" if s.share < b.share else "unchanged"
        change = (
            f"went {direction} from {b.share:.0%} ({b.met} of {b.total}) in the 12 months "
            f"before to {s.share:.0%} ({s.met} of {s.total}) since"
            if direction != "unchanged"
            else f"stayed at {b.share:.0%} ({b.met} of {b.total} before, "
            f"{s.met} of {s.total} since)"
        )
        verdict = (
            "more than chance: a difference this large would arise by chance alone "
            f"{_odds(self.p_value)} if nothing had changed"
            if self.more_than_chance
            else "not more than chance: a difference this large could well arise by chance "
            f"alone ({_odds(self.p_value)}) if nothing had changed"
        )
        return (
            f"Done on time {change}. A two-proportion z-test gives z = {self.z:.2f}, "
            f"p = {_p(self.p_value)}: the change is {verdict}. "
            "It shows a change, not what caused it."
        )

    def brief(self) -> str:
        """The result in a table's few words (the shares are beside it, and the test and its
        limits are said once above the table)."""
        points = round((self.since.share or 0) * 100) - round((self.before.share or 0) * 100)
        change = (
            f"Up {points} points"
            if points > 0
            else f"Down {-points} points"
            if points
            else "No change"
        )
        verdict = (
            f"more than chance (by chance alone {_odds(self.p_value)})"
            if self.more_than_chance
            else f"could be chance ({_odds(self.p_value)})"
        )
        return f"{change}: z = {self.z:.2f}, p = {_p(self.p_value)}, {verdict}."


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _odds(p_value: float) -> str:
    if p_value < 0.001:
        return "less than 1 time in 1,000"
    if p_value < 0.01:
        return "less than 1 time in 100"
    if p_value < SIGNIFICANCE:
        return "less than 1 time in 20"
    return f"about {round(p_value * 100)} times in 100"


def two_proportion_test(before: Proportion, since: Proportion) -> TwoProportionTest | None:
    """The pooled two-sided z-test of since against before; None when either side is empty
    or every obligation (or none) was met on both sides (nothing varies to test)."""
    if not before.total or not since.total:
        return None
    pooled = (before.met + since.met) / (before.total + since.total)
    variance = pooled * (1 - pooled) * (1 / before.total + 1 / since.total)
    if variance == 0:
        return None
    z = ((since.met / since.total) - (before.met / before.total)) / math.sqrt(variance)
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return TwoProportionTest(before, since, z, p_value)
