"""Confidence before and after training: distribution, mean change and a paired test.

The test is the Wilcoxon signed-rank test (two-sided), which suits paired answers on a 1 to 5
scale: pairs with no change are dropped (Wilcoxon's method), tied changes share their average
rank. With up to `EXACT_UP_TO` changed pairs the p-value is exact (every way of giving the
ranks a sign, counted in halves of a rank so that shared ranks stay whole numbers); above it,
the normal approximation with the correction for ties and for continuity. scipy is not in
Assure's dependencies: `scipy.stats.wilcoxon(..., zero_method="wilcox")` gives the same
figures (the tests compare with hand-worked values).
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MIN_PAIRED = 5  # fewer paired answers than this are not shown (issue 14)
EXACT_UP_TO = 50
SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class SignedRank:
    n: int  # pairs with a change (the test's sample size)
    w_plus: float  # sum of the ranks of the increases
    w_minus: float
    p_value: float | None  # None when no pair changed


def _ranks(sizes: Sequence[float]) -> list[float]:
    """Average ranks (1-based) of the values, ties sharing their mean rank."""
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    ranks = [0.0] * len(sizes)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and sizes[order[j + 1]] == sizes[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j + 2) / 2
        i = j + 1
    return ranks


def signed_rank(differences: Sequence[int]) -> SignedRank:
    """The two-sided Wilcoxon signed-rank test of paired differences (after minus before)."""
    changed = [d for d in differences if d != 0]
    n = len(changed)
    if n == 0:
        return SignedRank(0, 0.0, 0.0, None)
    ranks = _ranks([abs(d) for d in changed])
    w_plus = sum(r for r, d in zip(ranks, changed, strict=True) if d > 0)
    w_minus = sum(r for r, d in zip(ranks, changed, strict=True) if d < 0)
    p = _exact(ranks, w_plus) if n <= EXACT_UP_TO else _normal(ranks, w_plus)
    return SignedRank(n, w_plus, w_minus, min(1.0, p))


def _exact(ranks: Sequence[float], w_plus: float) -> float:
    """2 × the smaller tail of W+ over all 2^n equally likely sign choices."""
    doubled = [round(2 * r) for r in ranks]
    total = sum(doubled)
    ways = [0] * (total + 1)
    ways[0] = 1
    for r in doubled:
        for s in range(total, r - 1, -1):
            ways[s] += ways[s - r]
    observed = round(2 * w_plus)
    count = 2 ** len(ranks)
    lower = sum(ways[: observed + 1]) / count
    upper = sum(ways[observed:]) / count
    return 2 * min(lower, upper)


def _normal(ranks: Sequence[float], w_plus: float) -> float:
    n = len(ranks)
    mean = n * (n + 1) / 4
    ties = Counter(ranks).values()
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48
    if variance <= 0:
        return 1.0
    z = (abs(w_plus - mean) - 0.5) / math.sqrt(variance)
    return math.erfc(max(z, 0.0) / math.sqrt(2))


@dataclass(frozen=True)
class Confidence:
    """Paired answers of one course (and role): what is shown, or why not."""

    paired: int
    before: dict[int, int]  # score -> how many answered it before
    after: dict[int, int]
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    test: SignedRank | None

    @property
    def shown(self) -> bool:
        return self.paired >= MIN_PAIRED

    @property
    def in_words(self) -> str:
        """The test's result for people who are not statisticians."""
        if not self.shown:
            return f"Fewer than {MIN_PAIRED} paired answers: not shown."
        test = self.test
        if test is None or test.p_value is None:
            return "Nobody's confidence changed."
        p = test.p_value
        chance = f"p = {p:.3f}" if p >= 0.001 else "p < 0.001"
        if p < 0.05:
            direction = "rose" if (self.mean_change or 0) > 0 else "fell"
            return (
                f"Confidence {direction}, and a change this large is unlikely to be chance "
                f"({chance}: by chance alone, fewer than 1 course in 20 would show it)."
            )
        return (
            f"The change could be chance ({chance}): it is not strong enough evidence that "
            "the training changed confidence."
        )


def confidence(pairs: Sequence[tuple[int, int]]) -> Confidence:
    """The distribution before and after, mean change and test of (before, after) pairs."""
    paired = len(pairs)
    before = Counter(b for b, _ in pairs)
    after = Counter(a for _, a in pairs)
    if not paired:
        return Confidence(0, {}, {}, None, None, None, None)
    mean_before = sum(b for b, _ in pairs) / paired
    mean_after = sum(a for _, a in pairs) / paired
    return Confidence(
        paired,
        {s: before.get(s, 0) for s in SCALE},
        {s: after.get(s, 0) for s in SCALE},
        mean_before,
        mean_after,
        mean_after - mean_before,
        signed_rank([a - b for b, a in pairs]),
    )
