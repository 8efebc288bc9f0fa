"""What `assure import-cin --check-only --json` prints: every problem of a census, by child."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assure.casedata.cin import CinResult

__all__ = ["check_report"]


def check_report(result: CinResult) -> dict[str, Any]:
    """`{"children": N, "problems": [...]}`: the reader's errors (rule null), then the rules'.

    Each problem is `{"child", "rule", "severity", "message"}`; `child` is the LAchildID, or
    null for a problem of the whole file or of a child without an id.
    """
    problems: list[dict[str, str | None]] = [
        {
            "child": error.child_id,
            "rule": None,
            "severity": "error",
            "message": f"{error.path}: {error.shown_value}; expected {error.expected}",
        }
        for error in result.errors
    ]
    problems.extend(problem.as_json() for problem in result.rule_problems)
    return {"children": result.children, "problems": problems}
