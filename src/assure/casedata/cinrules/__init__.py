"""The DfE's validation rules for the Children in Need census that touch child protection.

One module a rule (`r8840.py` ...), each holding `RULE`: its DfE code, the message the DfE
gives, and `check`, which reads the `Census` (see `census.py`) and yields each failing child
with a detail saying which record and why. Severity comes from the code: codes ending in Q are
queries (a person should check and may explain), the others errors (the DfE refuses the file).
A rule that also runs over SSD extracts (`ssd.py`) has `suspects` too: the same rule on the
extract's columns, finding at once the children who may fail it (every one who does), so that
only those are read into a `Census` for `check`.

Written from the DfE's published rules and Data to Insight's validator (one rule a module,
MIT licence), in our own words and over our own parsed structures. `check_census` runs them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from assure.casedata.cinrules.census import Census, Child

if TYPE_CHECKING:
    import polars as pl

    from assure.casedata.cinrules.ssd import Tables

__all__ = ["CODES", "Finding", "Rule", "RuleProblem", "check_census", "rules"]

# In the order of their value to the trackers; every one has its module.
CODES = [
    "8840",
    "8841",
    "8842Q",
    "8867",
    "8868",
    "8870Q",
    "8873Q",
    "8875",
    "8890",
    "8896",
    "8905",
    "8910",
    "8915",
    "8920",
    "8925",
    "8930",
    "8935",
    "8940",
    "8831",
    "8832",
    "8839",
    "2883",
    "2884",
    "2885",
    "2889",
    "2990",
    "2991Q",
    "4001",
    "4003",
    "4009Q",
    "4016",
    "4017",
    "8565",
    "8615",
    "8675Q",
    "8715",
    "8720",
    "8730",
    "8740",
    "8775Q",
    "1104",
    "1105",
    "1520",
]

Finding = tuple[Child | None, str]  # the child (None: the whole file) and what fails
Check = Callable[[Census], Iterable[Finding]]
Suspects = Callable[["Tables"], "pl.Series"]  # the ids of every child who may fail (or more)


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    check: Check
    suspects: Suspects | None = None

    @property
    def severity(self) -> str:
        return "query" if self.code.endswith("Q") else "error"


@dataclass(frozen=True)
class RuleProblem:
    child: str | None  # LAchildID; None for a file-level finding or a child without an id
    rule: str
    severity: str  # "error" or "query"
    message: str
    position: int | None = None  # the Child element's place in the file

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_json(self) -> dict[str, str | None]:
        return {
            "child": self.child,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule, loaded from its module."""
    loaded = []
    for code in CODES:
        module = importlib.import_module(f"{__name__}.r{code.lower()}")
        rule: Rule = module.RULE
        assert rule.code == code, f"{module.__name__} declares {rule.code}"
        loaded.append(rule)
    return tuple(loaded)


def check_census(census: Census, only: Iterable[str] | None = None) -> list[RuleProblem]:
    """Every rule's findings, or only the named rules'.

    Child by child in the file's order (each child's in rule order), then the whole file's.
    """
    wanted = set(only) if only is not None else None
    problems = []
    for rule in rules():
        if wanted is not None and rule.code not in wanted:
            continue
        for child, detail in rule.check(census):
            problems.append(
                RuleProblem(
                    child=child.id if child else None,
                    rule=rule.code,
                    severity=rule.severity,
                    message=f"{rule.message} ({detail})" if detail else rule.message,
                    position=child.position if child else None,
                )
            )
    problems.sort(key=lambda p: p.position if p.position is not None else len(census.children) + 1)
    return problems
