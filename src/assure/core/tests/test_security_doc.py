"""docs/security.md maps every OWASP ASVS 5.0 level 1 and 2 requirement to a test, a reason
it does not apply, or a gap; the tests it names must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "security.md"

# ASVS 5.0.0's level 1 and 2 requirements: section -> requirement numbers.
LEVEL_2 = {
    "1.1": "1 2",
    "1.2": "1 2 3 4 5 6 7 8 9",
    "1.3": "1 2 3 4 5 6 7 8 9 10 11",
    "1.4": "1 2 3",
    "1.5": "1 2",
    "2.1": "1 2 3",
    "2.2": "1 2 3",
    "2.3": "1 2 3 4",
    "2.4": "1",
    "3.2": "1 2",
    "3.3": "1 2 3 4",
    "3.4": "1 2 3 4 5 6",
    "3.5": "1 2 3 4 5",
    "3.7": "1 2",
    "4.1": "1 2 3",
    "4.2": "1",
    "4.3": "1 2",
    "4.4": "1 2 3 4",
    "5.1": "1",
    "5.2": "1 2 3",
    "5.3": "1 2",
    "5.4": "1 2 3",
    "6.1": "1 2 3",
    "6.2": "1 2 3 4 5 6 7 8 9 10 11 12",
    "6.3": "1 2 3 4",
    "6.4": "1 2 3 4",
    "6.5": "1 2 3 4 5",
    "6.6": "1 2 3",
    "6.8": "1 2 3 4",
    "7.1": "1 2 3",
    "7.2": "1 2 3 4",
    "7.3": "1 2",
    "7.4": "1 2 3 4 5",
    "7.5": "1 2",
    "7.6": "1 2",
    "8.1": "1 2",
    "8.2": "1 2 3",
    "8.3": "1",
    "8.4": "1",
    "9.1": "1 2 3",
    "9.2": "1 2 3 4",
    "10.1": "1 2",
    "10.2": "1 2",
    "10.3": "1 2 3 4",
    "10.4": "1 2 3 4 5 6 7 8 9 10 11",
    "10.5": "1 2 3 4 5",
    "10.6": "1 2",
    "10.7": "1 2 3",
    "11.1": "1 2",
    "11.2": "1 2 3",
    "11.3": "1 2 3",
    "11.4": "1 2 3 4",
    "11.5": "1",
    "11.6": "1",
    "12.1": "1 2 3",
    "12.2": "1 2",
    "12.3": "1 2 3 4",
    "13.1": "1",
    "13.2": "1 2 3 4 5",
    "13.3": "1 2",
    "13.4": "1 2 3 4 5",
    "14.1": "1 2",
    "14.2": "1 2 3 4",
    "14.3": "1 2 3",
    "15.1": "1 2 3",
    "15.2": "1 2 3",
    "15.3": "1 2 3 4 5 6 7",
    "16.1": "1",
    "16.2": "1 2 3 4 5",
    "16.3": "1 2 3 4",
    "16.4": "1 2 3",
    "16.5": "1 2 3",
    "17.1": "1",
    "17.2": "1 2 3 4",
    "17.3": "1 2",
}
ASVS_IDS = [f"{section}.{n}" for section, numbers in LEVEL_2.items() for n in numbers.split()]
ROW = re.compile(r"^\| ([\d., ]+) \| (.+) \|$")
TEST = re.compile(r"`((?:src|tests)/[\w/.]+\.py)::(\w+)`")


def rows() -> list[tuple[list[str], str]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            found.append(([i.strip() for i in match[1].split(",")], match[2]))
    return found


def test_every_level_2_requirement_appears_once() -> None:
    listed = [i for ids, _ in rows() for i in ids]
    assert len(ASVS_IDS) == 253
    assert sorted(listed) == sorted(ASVS_IDS)


def test_every_row_names_a_test_a_reason_or_a_gap() -> None:
    for ids, evidence in rows():
        assert TEST.search(evidence) or re.search(r"not applicable: |gap: ", evidence), ids


def test_every_named_test_exists() -> None:
    named = {(path, name) for _, evidence in rows() for path, name in TEST.findall(evidence)}
    assert len(named) > 100
    missing = [
        f"{path}::{name}"
        for path, name in sorted(named)
        if not (ROOT / path).is_file()
        or not re.search(rf"^(?:async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []
