"""Memory of imports stays bounded: a census's elements other than `Child` are not kept."""

import os
import subprocess
import sys
from pathlib import Path

NOTES = 450_000  # about 17 MB of elements that are not children

MEASURE = """
import resource, sys
import django
django.setup()
from assure.casedata.cin import read_cin
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = read_cin(sys.argv[1])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(result.children, len(result.errors), (after - before) // 1024)
"""


def _census_with_many_notes(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0"?>\n<Message><Header><CollectionDetails>'
            "<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>"
        )
        for n in range(NOTES):
            out.write(f'<Note kind="filler">note {n}</Note>')
        out.write(
            "</Header><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID>"
            "<PersonBirthDate>2019-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>"
            "</Child></Children><Trailer>" + "<Note>more</Note>" * 50_000 + "</Trailer></Message>\n"
        )


def test_census_memory_does_not_grow_with_elements_other_than_child(tmp_path):
    census = tmp_path / "census.xml"
    _census_with_many_notes(census)
    assert census.stat().st_size > 15_000_000
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", MEASURE, str(census)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "assure.config.test_settings",
            "ASSURE_VAR_DIR": str(tmp_path / "var"),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    children, errors, grown_mib = map(int, result.stdout.split())
    assert (children, errors) == (1, 0)
    # Kept whole, these elements take about 200 MB; streamed, next to nothing.
    assert grown_mib < 50, f"reading the census grew memory by {grown_mib} MiB"
