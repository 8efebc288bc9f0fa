"""Files that are not well-formed: each reported on the line where the fault is, nothing written."""

import os
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from django.utils import timezone

from assure.casedata import models, services
from assure.casedata.importer.reading import parse_date, parse_dates, sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.core.viewer import Viewer

pytestmark = pytest.mark.django_db


def extract_with(tmp_path: Path, table: str, edit) -> Path:
    """The base extract, with `edit(lines)` applied to one file's lines (header first)."""
    folder = write_extract(tmp_path / "x", base_tables())
    path = folder / f"{table}.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(edit(lines)))
    return folder


def only_problem(partnership, admin_user, folder: Path):
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert not result.ok
    assert models.Person.objects.count() == 0
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def replace_line(number: int, old: bytes, new: bytes):
    def edit(lines: list[bytes]) -> list[bytes]:
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new)
        return lines

    return edit


def test_an_unclosed_quote_is_reported_where_it_opens(partnership, admin_user, tmp_path):
    folder = extract_with(tmp_path, "ssd_person", replace_line(3, b"Jones", b'"Jones'))
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.file, problem.row) == ("ssd_person.csv", 3)
    assert "well-formed CSV" in problem.expected


def test_a_row_with_an_unquoted_comma_is_reported(partnership, admin_user, tmp_path):
    folder = extract_with(tmp_path, "ssd_person", replace_line(3, b"Jones", b"Jones, Jr"))
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.file, problem.row, problem.value) == ("ssd_person.csv", 3, "9 values")
    assert problem.expected.startswith("8 values, one for each column of the header")


def test_a_row_with_too_few_values_is_reported(partnership, admin_user, tmp_path):
    def drop_last(lines: list[bytes]) -> list[bytes]:
        lines[3] = lines[3].rsplit(b",", 1)[0]
        return lines

    problem = only_problem(partnership, admin_user, extract_with(tmp_path, "ssd_person", drop_last))
    assert (problem.row, problem.value) == (4, "7 values")


def test_blank_lines_are_skipped_and_the_lines_after_keep_their_numbers(
    partnership, admin_user, tmp_path
):
    def with_blank_line(lines: list[bytes]) -> list[bytes]:
        lines.insert(2, b"")  # line 3; P3's row moves to line 5
        lines[4] = lines[4].replace(b"2026-08-30", b"2026-13-30")
        return lines

    folder = extract_with(tmp_path, "ssd_person", with_blank_line)
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.file, problem.row, problem.value) == ("ssd_person.csv", 5, "2026-13-30")


def test_a_line_of_spaces_is_a_row_of_one_value(partnership, admin_user, tmp_path):
    def with_spaces(lines: list[bytes]) -> list[bytes]:
        lines.insert(2, b"   ")
        return lines

    problem = only_problem(
        partnership, admin_user, extract_with(tmp_path, "ssd_person", with_spaces)
    )
    assert (problem.row, problem.value) == (3, "1 values")


def test_a_row_with_one_value_more_is_reported_even_if_it_is_blank(
    partnership, admin_user, tmp_path
):
    folder = extract_with(tmp_path, "ssd_person", replace_line(3, b"Jones", b"Jones,"))
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.row, problem.value) == (3, "9 values")


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (b"Jon\xe9s", "in UTF-8"),
        (b"Jo\x00nes", "text without NUL characters"),
        (b"J" * 200_000, "well-formed CSV"),  # over the CSV reader's field limit
    ],
)
def test_unreadable_text_is_reported_on_its_line(partnership, admin_user, tmp_path, bad, expected):
    folder = extract_with(tmp_path, "ssd_person", replace_line(4, b"Brown", bad))
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.file, problem.row) == ("ssd_person.csv", 4)
    assert expected in problem.expected


@pytest.mark.parametrize("text", ["+025-01-01", "２０２５-01-01", "2025-1-01", "1/02/2025"])
def test_dates_are_digits_in_one_of_the_two_forms(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_date(text)


DATE_TEXTS = [
    "2025-03-31",
    "31/03/2025",
    "2025-03-31 00:00:00.000",  # SQL Server's datetime: the time is ignored
    "2025-03-31T09:30",
    "2024-02-29",
    "29/02/2024",
    "0001-01-01",
    "31/12/9999",
    "",
    "2025-02-29",  # not a leap year
    "31/04/2025",
    "2025-13-01",
    "00/01/2025",
    "0000-01-01",  # no year 0
    "01/01/0000",
    "2025-03-31x",
    " 2025-03-31",
    "2025/03/31",
    "+025-01-01",
    "２０２５-01-01",
    "2025-1-01",
    "1/02/2025",
    "31-03-2025",
]


def test_whole_columns_read_dates_exactly_as_each_value_is_read():
    expected: list[date | None] = []
    for text in DATE_TEXTS:
        try:
            expected.append(parse_date(text))
        except ValueError:
            expected.append(None)
    assert expected[:8] == [
        date(2025, 3, 31),
        date(2025, 3, 31),
        date(2025, 3, 31),
        date(2025, 3, 31),
        date(2024, 2, 29),
        date(2024, 2, 29),
        date(1, 1, 1),
        date(9999, 12, 31),
    ]
    assert expected[8:] == [None] * (len(DATE_TEXTS) - 8)
    assert parse_dates(pl.Series(DATE_TEXTS)).to_list() == expected


def test_a_table_given_twice_is_a_problem(partnership, admin_user, tmp_path):
    folder = write_extract(tmp_path / "x", base_tables())
    (folder / "ssd_person").write_bytes((folder / "ssd_person.csv").read_bytes())
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.file, problem.expected) == ("ssd_person.csv", "one file for each table")


def test_an_extract_date_in_the_future_is_refused(partnership, admin_user, tmp_path):
    folder = write_extract(tmp_path / "x", base_tables())
    tomorrow = timezone.localdate() + timedelta(days=1)
    result = import_tables(
        partnership, sources_from_folder(folder), actor=Viewer.of(admin_user), extract_date=tomorrow
    )
    assert not result.ok
    (problem,) = result.problems
    assert str(problem) == (
        f"column extract date: found {tomorrow.isoformat()!r}; expected today or earlier"
    )
    today = import_tables(
        partnership,
        sources_from_folder(folder),
        actor=Viewer.of(admin_user),
        extract_date=date.today(),
    )
    assert today.ok


def zip_of(folder: Path, target: Path, names: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, (names or {}).get(path.name, path.name))
    return target


def test_a_zip_with_damaged_compressed_bytes_is_explained(tmp_path):
    archive = zip_of(write_extract(tmp_path / "x", base_tables()), tmp_path / "x.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        first = zipped.infolist()[0]
    start = first.header_offset + 30 + len(first.filename.encode())
    data[start : start + 8] = b"\xff" * 8  # inside the first member's compressed bytes
    archive.write_bytes(bytes(data))
    (tmp_path / "out").mkdir()
    with pytest.raises(services.ExtractError, match="not a zip file Assure can open"):
        services.extract_zip(archive, tmp_path / "out")


@pytest.mark.parametrize("name", ["x" * 300 + ".csv", "表" * 92 + ".csv"])
def test_a_zip_member_with_a_very_long_name_is_refused(tmp_path, name):
    folder = write_extract(tmp_path / "x", base_tables())
    archive = zip_of(folder, tmp_path / "x.zip", {"ssd_person.csv": name})
    (tmp_path / "out").mkdir()
    with pytest.raises(services.ExtractError, match="longer than 100 bytes"):
        services.extract_zip(archive, tmp_path / "out")


def test_names_too_long_to_keep_are_shortened_with_a_warning(partnership, admin_user, tmp_path):
    tables = base_tables()
    tables["ssd_department"][0]["dept_team_name"] = "Safeguarding East " * 17  # 306 characters
    folder = write_extract(tmp_path / "x", tables)
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert result.ok
    warning = (
        "ssd_department.csv, column dept_team_name: 1 value longer than 200 characters "
        "kept to the first 200"
    )
    assert result.warnings == [warning]
    assert result.snapshot is not None
    assert result.snapshot.summary["warnings"] == [warning]
    assert len(models.Team.objects.get().name) == 200


def test_a_person_file_with_nobody_in_it_is_refused(partnership, admin_user, tmp_path):
    folder = extract_with(tmp_path, "ssd_person", lambda lines: lines[:1])
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert not result.ok
    assert ("ssd_person.csv", None, "at least one row after the header") in [
        (p.file, p.row, p.expected) for p in result.problems
    ]


def test_lines_ending_in_cr_alone_are_counted_as_the_csv_reader_counts_them(
    partnership, admin_user, tmp_path
):
    folder = extract_with(tmp_path, "ssd_person", replace_line(4, b"Brown", b"Br\x00own"))
    path = folder / "ssd_person.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    problem = only_problem(partnership, admin_user, folder)
    assert (problem.row, problem.expected) == (4, "text without NUL characters")


def test_a_csv_fault_is_reported_on_its_own_line_whatever_else_is_wrong_later(
    partnership, admin_user, tmp_path
):
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[2] = lines[2].replace(b"Jones", b'"Jo"nes')  # a quote closed too early
        filler = [b"P%d,Zed,Zed,F,,,," % n for n in range(4, 4000)]  # past the first read
        return lines + filler + [b"P4000,Z\xe9d"]

    problem = only_problem(partnership, admin_user, extract_with(tmp_path, "ssd_person", edit))
    assert problem.row == 3
    assert "well-formed CSV" in problem.expected


def test_zip_members_are_all_checked_before_any_is_written(tmp_path):
    archive = zip_of(write_extract(tmp_path / "x", base_tables()), tmp_path / "x.zip")
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr("../../outside.csv", "person_id\n1\n")  # last in the zip
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(services.ExtractError, match="unsafe name"):
        services.extract_zip(archive, out)
    assert list(out.iterdir()) == []


def test_unknown_zip_members_are_reported_but_never_unpacked(tmp_path):
    archive = zip_of(write_extract(tmp_path / "x", base_tables()), tmp_path / "x.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_STORED) as zipped:
        zipped.writestr("photos/scan.tiff", os.urandom(2_000_000))
    out = tmp_path / "out"
    out.mkdir()
    sources = services.extract_zip(archive, out)
    assert "scan.tiff" in sources
    assert "ssd_person.csv" in sources
    written = {path.name for path in out.iterdir()}
    assert "scan.tiff" not in written
    assert written == set(sources) - {"scan.tiff"}
