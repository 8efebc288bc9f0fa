"""How far auditors and moderators agree (docs/domain.md section 7).

A `Pair` is one question of one audit graded (or answered) twice: by its auditor (`first`) and,
blind, by a moderator (`second`). Over a set of pairs:

- percent agreement: the share of pairs with the same grade or answer, in percent;
- Cohen's kappa over the four grades: (p_o - p_e) / (1 - p_e), null when the chance agreement
  p_e is 1 (both people gave one and the same grade to everything);
- quadratic-weighted kappa: 1 - D_o / D_e with weights (i - j)^2 / (k - 1)^2 over the grade
  order, null when the expected weighted disagreement D_e is 0;
- a plain-language reading of kappa (Landis and Koch).

Yes / partly / no / not applicable answers are not graded: they count in `pairs` and percent
agreement, and are left out of both kappas. Both kappas are worked out with whole numbers from
a 4 x 4 table of counts, so the undefined cases are found exactly and 100,000 pairs take a few
tens of milliseconds.

`read_moderation_sheet` reads the moderation sheet (CSV) into pairs, or the problems that stop
it being read, each with file, row, column, value and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any

from assure.casedata.importer.validation import Problems

__all__ = [
    "ANSWERS",
    "GRADES",
    "SHEET_COLUMNS",
    "Agreement",
    "Pair",
    "Sheet",
    "agreement",
    "agreement_by",
    "normalise_answer",
    "normalise_grade",
    "read_moderation_sheet",
    "reading",
]

GRADES = ("outstanding", "good", "requires improvement", "inadequate")  # best first
ANSWERS = ("yes", "partly", "no", "not applicable")
SHEET_COLUMNS = (
    "audit_id",
    "team",
    "tool",
    "question",
    "auditor",
    "auditor_grade",
    "moderator_grade",
)
EXPECTED_WORDS = (
    "a grade (outstanding, good, requires improvement, inadequate) "
    "or an answer (yes, partly, no, not applicable)"
)
_RANK = {grade: rank for rank, grade in enumerate(GRADES)}
_K = len(GRADES)
# Landis and Koch (1977): the reading of kappa up to and including each bound.
_READINGS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))


@dataclass(frozen=True, slots=True)
class Pair:
    """One question of one audit as its auditor graded it (`first`) and a moderator did."""

    tool: str
    question: str
    auditor: str
    month: str  # YYYY-MM the audit was done in ("" when not known)
    first: str
    second: str


@dataclass(frozen=True)
class Agreement:
    """Agreement over a set of pairs; None where a figure is undefined."""

    pairs: int
    percent_agreement: float | None
    kappa: float | None
    weighted_kappa: float | None
    reading: str  # of `kappa` (Landis and Koch), "not defined" when it is None

    def to_json(self) -> dict[str, Any]:
        """The figures as the command prints them: percent to 1 place, kappas to 3."""
        return {
            "pairs": self.pairs,
            "percent_agreement": _rounded(self.percent_agreement, 1),
            "kappa": _rounded(self.kappa, 3),
            "weighted_kappa": _rounded(self.weighted_kappa, 3),
        }


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


# ---- words ------------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).lower()


def normalise_grade(text: str) -> str | None:
    """The grade the text names, ignoring case, spaces and underscores; None if not a grade."""
    word = _words(text)
    return word if word in _RANK else None


def normalise_answer(text: str) -> str | None:
    """The yes/partly/no/not applicable answer the text names, as `normalise_grade` does."""
    word = _words(text)
    return word if word in ANSWERS else None


_KNOWN = {word: word for word in (*GRADES, *ANSWERS)}


def _known(text: str, cache: dict[str, str]) -> str:
    """The grade or answer the text names (cached per distinct text); ValueError if none."""
    found = cache.get(text)
    if found is None:
        found = _KNOWN.get(_words(text))
        if found is None:
            raise ValueError(f"{text!r} is not {EXPECTED_WORDS}.")
        cache[text] = found
    return found


# ---- agreement --------------------------------------------------------------------------------


def reading(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa: poor below 0, then slight up to 0.20, fair,
    moderate, substantial, almost perfect above 0.80."""
    if kappa is None:
        return "not defined"
    if kappa < 0:
        return "poor"
    for bound, words in _READINGS:
        if kappa <= bound:
            return words
    return "almost perfect"


def agreement(pairs: Iterable[Pair]) -> Agreement:
    """Percent agreement over every pair; both kappas over the graded pairs.

    Grades and answers may be written in any case, with spaces or underscores; any other word
    is a ValueError (`read_moderation_sheet` reports those as problems first).
    """
    cache: dict[str, str] = {}
    same = total = 0
    table: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        first, second = _known(pair.first, cache), _known(pair.second, cache)
        total += 1
        same += first == second
        table[first, second] += 1
    return _figures(total, same, table)


def _figures(total: int, same: int, table: Counter[tuple[str, str]]) -> Agreement:
    counts = [[table[a, b] for b in GRADES] for a in GRADES]  # rows: auditor; columns: moderator
    n = sum(map(sum, counts))
    kappa = weighted = None
    if n:
        rows = [sum(row) for row in counts]
        columns = [sum(column) for column in zip(*counts, strict=True)]
        observed = sum(counts[i][i] for i in range(_K))
        # With p_o = observed / n and p_e = chance / n^2, kappa = (n.observed - chance) /
        # (n^2 - chance): undefined when chance = n^2, i.e. p_e = 1.
        chance = sum(r * c for r, c in zip(rows, columns, strict=True))
        if chance != n * n:
            kappa = (n * observed - chance) / (n * n - chance)
        # Weights (i - j)^2 / (k - 1)^2: the (k - 1)^2 cancels in D_o / D_e, so kappa_w =
        # 1 - n.sum(w.O) / sum(w.r.c) with w = (i - j)^2; undefined when D_e is 0.
        disagreement = sum(
            (i - j) ** 2 * counts[i][j] for i in range(_K) for j in range(_K) if i != j
        )
        expected = sum(
            (i - j) ** 2 * rows[i] * columns[j] for i in range(_K) for j in range(_K) if i != j
        )
        if expected:
            weighted = 1 - n * disagreement / expected
    percent = 100 * same / total if total else None
    return Agreement(total, percent, kappa, weighted, reading(kappa))


_KEYS = tuple(f.name for f in fields(Pair) if f.name not in ("first", "second"))


def agreement_by(pairs: Sequence[Pair], *keys: str) -> list[tuple[tuple[str, ...], Agreement]]:
    """Agreement for each group of pairs with the same values of `keys` (any of tool,
    question, auditor, month), ordered by those values."""
    unknown = [key for key in keys if key not in _KEYS]
    if unknown or not keys:
        raise ValueError(f"Group pairs by one or more of {', '.join(_KEYS)}, not {unknown}.")
    groups: dict[tuple[str, ...], list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[tuple(getattr(pair, key) for key in keys)].append(pair)
    return [(key, agreement(groups[key])) for key in sorted(groups)]


# ---- the moderation sheet ---------------------------------------------------------------------


@dataclass
class Sheet:
    """A moderation sheet read: its moderated pairs, or the problems found (then no pairs)."""

    pairs: list[Pair] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    not_moderated: int = 0  # rows with a blank moderator_grade


def read_moderation_sheet(source: Path | IO[bytes], name: str = "") -> Sheet:
    """Read a moderation sheet (UTF-8 CSV with a header row): columns `SHEET_COLUMNS`, extra
    columns ignored, a blank `moderator_grade` meaning not moderated. Rows are numbered as a
    spreadsheet shows them (the header is row 1)."""
    if isinstance(source, Path):
        name = name or source.name
        with source.open("rb") as stream:
            return _read_sheet(stream, name)
    return _read_sheet(source, name or "moderation sheet")


def _read_sheet(stream: IO[bytes], name: str) -> Sheet:
    sheet = Sheet()
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        rows = csv.reader(text)
        header = next(rows, None)
        if header is None:
            sheet.problems.add(name, None, "", "", "a header row naming the columns")
            return sheet
        where = {column.strip().lower(): i for i, column in reversed(list(enumerate(header)))}
        missing = [column for column in SHEET_COLUMNS if column not in where]
        for column in missing:
            sheet.problems.add(name, 1, column, "", f"a column named {column}")
        if missing:
            return sheet
        for number, row in enumerate(rows, start=2):
            _read_row(sheet, name, number, {c: _cell(row, where[c]) for c in SHEET_COLUMNS})
    except UnicodeDecodeError:
        sheet.problems.add(name, None, "", "", "a CSV file saved as UTF-8")
    except csv.Error as error:
        sheet.problems.add(name, None, "", str(error), "a CSV file")
    finally:
        text.detach()
    if sheet.problems:
        sheet.pairs.clear()
    return sheet


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _read_row(sheet: Sheet, name: str, number: int, cells: dict[str, str]) -> None:
    """Add the row's pair to the sheet, or its problems."""
    if not any(cells.values()):
        return  # a blank line
    if not cells["moderator_grade"]:
        sheet.not_moderated += 1
        return
    problems = sheet.problems
    before = problems.total
    for column in ("tool", "question"):
        if not cells[column]:
            problems.add(name, number, column, "", f"the audit {column} the grades are for")
    words: list[str] = []
    for column in ("auditor_grade", "moderator_grade"):
        word = _KNOWN.get(_words(cells[column]))
        if word is None:
            problems.add(name, number, column, cells[column], EXPECTED_WORDS)
        else:
            words.append(word)
    if len(words) == 2 and (words[0] in _RANK) != (words[1] in _RANK):
        problems.add(
            name,
            number,
            "moderator_grade",
            cells["moderator_grade"],
            "a grade when the auditor graded the question, an answer when they answered it",
        )
    if problems.total > before:
        return
    sheet.pairs.append(
        Pair(cells["tool"], cells["question"], cells["auditor"], "", words[0], words[1])
    )
