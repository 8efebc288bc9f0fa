"""Action status from the language of a sentence or a RAG/progress cell."""

from __future__ import annotations

import re

from .draft import Status

_I = re.IGNORECASE
_IRREGULAR = (
    r"made|done|written|taken|given|held|set|put|built|sent|led|begun|undertaken|shown"
    r"|seen|brought|sought|agreed|met|had|run|rolled|drawn|spent|thought|taught|won"
)
_NOT_ACTIONS = r"needed|required|expected|supposed|based|sustained|concerned|involved|located|found"
_PARTICIPLE = rf"(?:(?!(?:{_NOT_ACTIONS})\b)\w+ed|{_IRREGULAR})"
_ADVERB = r"(?:(?!not\b|yet\b)(?:\w+ly|all|also|now|already|then|both|each|since|just|further)\s+)"
_PAST_VERBS = (
    r"developed|implemented|introduced|launched|completed|created|established|produced"
    r"|published|delivered|rectified|updated|strengthened|commissioned|appointed|recruited"
    r"|circulated|cascaded|identified|agreed|reviewed|wrote|led|changed|undertook|held"
    r"|made|became|trained|audited|actioned|revised|refreshed|shared|issued"
)
_SUBJECTS = (
    r"we|they|teams?|services?|trusts?|council|force|partnership|board|group|staff|chairs?"
    r"|advis[eo]rs?|managers?|agency|agencies|schools?|units?|leads?"
)

_PLANNED = [
    re.compile(r"\b(?:will|shall)\b(?!\s+(?:also\s+|still\s+)?continue)", _I),
    re.compile(r"\bplanned\b|\bplanning\s+to\b|\bscheduled\b|\bintends?\s+to\b", _I),
    re.compile(r"\bintention\s+(?:is\s+)?to\b|\bgoing\s+to\b|\bforthcoming\b", _I),
    re.compile(
        rf"\b(?:is|are|needs?|yet|still|due|remains?)\s+to\s+be\s+(?:\w+ly\s+)?{_PARTICIPLE}\b", _I
    ),
    re.compile(r"\b(?:is|are)\s+(?:due|expected)\s+to\b|\bnot\s+(?:yet\s+)?started\b", _I),
    re.compile(r"\bwithin\s+the\s+next\b|\bby\s+the\s+end\s+of\b|\bnext\s+(?:year|month)\b", _I),
]
_IN_PROGRESS = [
    re.compile(r"\bunder\s*way\b|\bunder\s+review\b|\bon-?going\b|\bin\s+progress\b", _I),
    re.compile(r"\bin\s+(?:the\s+)?process\s+of\b|(?<!not\s)\bcurrently\b|\bprogressing\b", _I),
    re.compile(
        r"\bcontinu(?:e|es|ing)\s+to\b|\b(?:will|shall)\s+(?:also\s+|still\s+)?continue\b", _I
    ),
    re.compile(r"\b(?:is|are)\s+(?:\w+\s+)?being\s+\w+", _I),
    re.compile(rf"\bbeing\s+{_PARTICIPLE}\b", _I),
    re.compile(
        r"\b(?:is|are|has\s+been|have\s+been)\s+(?:currently\s+|still\s+)?(?!being\b)\w{3,}ing\b",
        _I,
    ),
]
_DONE = [
    re.compile(rf"\b(?:has|have|had)\s+{_ADVERB}{{0,2}}been\s+{_PARTICIPLE}\b", _I),
    re.compile(rf"\b(?:has|have|had)\s+{_ADVERB}?{_PARTICIPLE}\b", _I),
    re.compile(rf"\b(?:was|were)\s+{_ADVERB}?{_PARTICIPLE}\b", _I),
    re.compile(r"\bnow\b|\balready\b|\bin\s+place\b", _I),
    re.compile(rf"^\W*(?:{_PAST_VERBS})\b", _I),
    re.compile(rf"(?:\b[A-Z][\w-]*|\))\s+(?:also\s+)?(?:{_PAST_VERBS})\b"),
    re.compile(rf"\band\s+(?:{_PAST_VERBS})\b", _I),
    re.compile(rf"\b(?:{_SUBJECTS})\s+(?:also\s+)?(?:{_PAST_VERBS})\b", _I),
]

# Past work reported ("has been rectified", "was completed in"), as opposed to practice that
# stands ("is now in place", "are recorded") or a commitment (classified planned or in progress).
_PAST_REPORT = re.compile(
    rf"\b(?:(?:has|have|had)\s+{_ADVERB}{{0,2}}been|was|were)\s+{_ADVERB}?{_PARTICIPLE}\b", _I
)
_SUBORDINATE = re.compile(r"\b(?:where|which|that|who|when|if|once)\b[^,;:]*$", _I)
_STANDING = re.compile(
    r"\bnow\b|\bin\s+place\b|\bregularly\b|\b(?:is|are)\s+(?:\w+ly\s+)?(?:available|used|held"
    r"|recorded|monitored|reviewed|audited|tracked|scrutinised|reported)\b",
    _I,
)

_RAG: list[tuple[str, Status]] = [
    ("not yet started", "planned"),
    ("not started", "planned"),
    ("partially complete", "in_progress"),
    ("partially completed", "in_progress"),
    ("in progress", "in_progress"),
    ("on track", "in_progress"),
    ("ongoing", "in_progress"),
    ("on-going", "in_progress"),
    ("underway", "in_progress"),
    ("started", "in_progress"),
    ("amber", "in_progress"),
    ("completed", "done"),
    ("complete", "done"),
    ("done", "done"),
    ("green", "done"),
    ("blue", "done"),
    ("closed", "done"),
    ("achieved", "done"),
    ("implemented", "done"),
    ("planned", "planned"),
    ("red", "planned"),
    ("scheduled", "planned"),
]
_RAG_PATTERNS = [(re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", _I), st) for word, st in _RAG]


def _earliest(patterns: list[re.Pattern[str]], text: str) -> int | None:
    starts = [m.start() for pattern in patterns if (m := pattern.search(text))]
    return min(starts) if starts else None


def classify(text: str) -> Status:
    """The status a sentence's language implies.

    Future and ongoing work outranks finished work (a sentence such as "cases that have
    been identified will be tracked" is planned); between planned and in-progress
    wording the earlier in the sentence wins.
    """
    planned = _earliest(_PLANNED, text)
    in_progress = _earliest(_IN_PROGRESS, text)
    if planned is not None and (in_progress is None or planned <= in_progress):
        return "planned"
    if in_progress is not None:
        return "in_progress"
    if _earliest(_DONE, text) is not None:
        return "done"
    return "unknown"


def reads_as_past_report(text: str) -> bool:
    """Whether a sentence reports work already done rather than committing to any.

    "This scenario has been rectified by a triage hub" and "The audit was completed in May"
    do; "Chairs now ensure that plans are clear" and "A tracker is in place" state practice
    that stands, and anything planned or in progress is a commitment.
    """
    if classify(text) != "done" or _STANDING.search(text):
        return False
    return any(not _SUBORDINATE.search(text[: m.start()]) for m in _PAST_REPORT.finditer(text))


def rag_status(cell: str) -> Status | None:
    """The status a RAG/progress cell names ("Green", "In progress", "Not started"), if any."""
    for pattern, status in _RAG_PATTERNS:
        if pattern.search(cell):
            return status
    return None


def cell_status(cell: str, action: str) -> Status:
    """A table row's status: the RAG/progress cell, else the wording of either cell."""
    if cell.strip():
        named = rag_status(cell)
        if named:
            return named
        return classify(cell)
    return classify(action)
