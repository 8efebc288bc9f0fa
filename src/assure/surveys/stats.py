"""Whether a change in the share agreeing between two survey runs is more than chance: the
two-proportion z-test (pooled), two-sided, with its p-value said in plain words."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    before: float  # share in the first run, 0 to 1
    after: float
    z: float
    p_value: float

    @property
    def change_points(self) -> float:
        """The change in percentage points."""
        return (self.after - self.before) * 100

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05

    @property
    def words(self) -> str:
        chance = (
            "less than 1 time in 1,000"
            if self.p_value < 0.001
            else f"about {_times_in_100(self.p_value)} in 100"
        )
        verdict = "Unlikely to be chance" if self.significant else "Could be chance"
        return (
            f"{verdict}: if nothing had really changed, a difference this large would still "
            f"happen {chance} (p = {self.p_value:.3f})."
        )


def _times_in_100(p: float) -> str:
    times = p * 100
    if times < 1:
        return "1 time" if round(times, 1) >= 0.5 else "less than 1 time"
    n = round(times)
    return f"{n} time{'s' if n != 1 else ''}"


def two_proportion(agree_1: int, total_1: int, agree_2: int, total_2: int) -> Comparison | None:
    """The test of agree_1/total_1 against agree_2/total_2; None when it cannot be done (a run
    with no answers, or everyone or no one agreeing in both)."""
    if not total_1 or not total_2:
        return None
    p1, p2 = agree_1 / total_1, agree_2 / total_2
    pooled = (agree_1 + agree_2) / (total_1 + total_2)
    variance = pooled * (1 - pooled) * (1 / total_1 + 1 / total_2)
    if variance == 0:
        return None
    z = (p2 - p1) / math.sqrt(variance)
    return Comparison(p1, p2, z, math.erfc(abs(z) / math.sqrt(2)))
