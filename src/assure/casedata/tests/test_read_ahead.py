"""`assure import-cases FOLDER` reads the folder's files while Django starts (`read_ahead`):
an import takes what was read only if the file is as it was when read."""

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from assure.casedata.importer import reading
from assure.casedata.importer.reading import TableSource, read_ahead
from assure.casedata.tests.extracts import base_tables, write_extract


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_extract(tmp_path / "extract", {**base_tables(), "notes": "not the contract's"})


@pytest.fixture
def csv_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files polars reads from now on (it is still called, as before)."""
    reads: list[str] = []
    read_csv = pl.read_csv

    def counted(source: Any, *args: Any, **kwargs: Any) -> pl.DataFrame:
        reads.append(Path(source).name)
        return read_csv(source, *args, **kwargs)

    monkeypatch.setattr(pl, "read_csv", counted)
    return reads


def _read_ahead_and_wait(folder: Path) -> list[Path]:
    read_ahead(folder)
    pending = list(reading._READ_AHEAD.items())
    for _, found in pending:
        found.exception()  # waits until that file is read
    return [path for path, _ in pending]


def test_the_contracts_files_are_read_ahead_in_the_order_an_import_checks_them(folder) -> None:
    read = _read_ahead_and_wait(folder)
    assert [path.name for path in read[:3]] == [
        "ssd_person.csv",
        "ssd_department.csv",
        "ssd_professionals.csv",
    ]
    assert "notes" not in {path.name for path in read}
    for path in read:
        TableSource(path, path.name)  # takes it
    assert not reading._READ_AHEAD


def test_a_file_read_ahead_is_not_read_again(folder, csv_reads) -> None:
    _read_ahead_and_wait(folder)
    csv_reads.clear()
    path = folder / "ssd_person.csv"
    source = TableSource(path, path.name)
    whole = source.frame()
    assert csv_reads == []
    fresh = TableSource(path, path.name).frame()  # nothing read ahead for this one
    assert set(csv_reads) == {"ssd_person.csv"}
    assert whole is not None
    assert fresh is not None
    assert whole.rows.equals(fresh.rows)
    assert source.digest() == TableSource(path, path.name).digest()


def test_a_file_changed_after_it_was_read_ahead_is_read_again(folder, csv_reads) -> None:
    _read_ahead_and_wait(folder)
    path = folder / "ssd_department.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("T1", "T9"), encoding="utf-8")
    csv_reads.clear()
    source = TableSource(path, path.name)
    whole = source.frame()
    assert set(csv_reads) == {"ssd_department.csv"}
    assert whole is not None
    assert "T9" in whole.rows.to_series(0).to_list()
