"""The documents (tagged PDF, HTML), the Reports pages, the command, the quarterly schedule, and
a past quarter made again after its case data was replaced."""

import io
import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assure.casedata.importer.run import import_tables
from assure.casedata.synth import generate
from assure.core.appendonly import AppendOnlyError
from assure.core.models import AuditEvent
from assure.reports import build, render, services
from assure.reports.models import KeptFigures, Report, ReportRequest
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY, at

Q3 = Quarter(2026, 3)


def test_pdf_is_tagged_with_text_language_and_the_stamp_on_every_page(
    partnership, quarter_data
) -> None:
    made = services.render_report(partnership, Q3, "pdf", TODAY)
    reader = PdfReader(io.BytesIO(made.content))
    root: Any = reader.trailer["/Root"]
    info: Any = reader.metadata
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert info["/assuredigest"] == made.digest
    assert made.digest in info["/Keywords"]
    assert info["/Title"].startswith("Assurance report 2026-Q3")
    text = [page.extract_text() for page in reader.pages]
    assert len(text) >= 2
    assert "Assurance report: July to September 2026 (2026-Q3)" in text[0]
    assert "Share information sooner." in "".join(text)
    for page_text in text:  # the footer: the digest may wrap, so compare without spaces
        flat = re.sub(r"\s+", "", page_text)
        assert made.digest in flat
        assert "2026-Q3asat2026-09-30" in flat


def test_html_is_whole_and_says_what_the_stamp_says(partnership, quarter_data) -> None:
    data = build.build(partnership, Q3, TODAY)
    page = render.html(data, "2026-10-05T09:00:00+01:00", data.digest)
    assert '<html lang="en-GB">' in page
    assert "<script" not in page
    assert "<link" not in page  # nothing fetched: styles are inside
    assert f'<meta name="assure-digest" content="{data.digest}">' in page
    assert "Extract of" not in page
    assert "No case data imported by then" in page
    assert "Timescales in force on 2026-09-30" in page


def test_manager_makes_a_report_and_board_opens_it(
    client, manager, board, learning, police_lead, quarter_data, django_capture_on_commit_callbacks
) -> None:
    client.force_login(manager)
    listing = client.get(reverse("reports:list"))
    assert "No report has been made yet." in listing.content.decode()
    form = client.get(reverse("reports:make")).content.decode()
    assert 'value="2026-Q3"' in form  # the quarter just ended
    bad = client.post(reverse("reports:make"), {"period": "Q3 2026", "format": "pdf"})
    assert "write it as YYYY-QN" in bad.content.decode()
    future = client.post(reverse("reports:make"), {"period": "2027-Q1", "format": "pdf"})
    assert "has not started yet" in future.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("reports:make"), {"period": "2026-Q3", "format": "pdf"})
    assert done.status_code == 302
    report = Report.objects.get()
    assert (report.period, report.made_by, report.format) == ("2026-Q3", manager, "pdf")
    assert report.digest == build.build(quarter_data["police"].partnership, Q3, TODAY).digest
    assert report.stamp["as_at"] == "2026-09-30"

    client.force_login(board)
    page = client.get(reverse("reports:list")).content.decode()
    assert report.digest[:12] in page
    detail = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert report.digest in detail
    opened = client.get(reverse("reports:file", args=[report.pk]))
    assert opened["Content-Type"] == "application/pdf"
    assert b"".join(opened.streaming_content).startswith(b"%PDF")
    downloaded = client.get(reverse("reports:file", args=[report.pk]) + "?download=1")
    assert "attachment" in downloaded["Content-Disposition"]
    assert AuditEvent.objects.filter(record_type="reports.report", summary__startswith="Opened")

    client.force_login(learning)  # sees reports, makes none
    assert client.get(reverse("reports:report", args=[report.pk])).status_code == 200
    assert client.get(reverse("reports:make")).status_code == 403
    client.force_login(police_lead)
    assert client.get(reverse("reports:list")).status_code == 403

    with pytest.raises(AppendOnlyError):
        report.delete()


def test_html_report_is_served_with_exactly_its_own_style_allowed(
    client, manager, partnership, quarter_data
) -> None:
    asked = ReportRequest.objects.create(partnership=partnership, period="2026-Q3", format="html")
    report = services.keep_report(asked, services.render_report(partnership, Q3, "html", TODAY))
    client.force_login(manager)
    response = client.get(reverse("reports:file", args=[report.pk]))
    assert response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    assert render.style_hash() in policy
    assert "script-src" not in policy
    assert "default-src 'none'" in policy


def test_command_writes_the_file_keeps_it_and_prints_the_digest(
    partnership, quarter_data, tmp_path
) -> None:
    out = io.StringIO()
    target = tmp_path / "q3.html"
    call_command(
        "report", "--period", "2026-Q3", "--format", "html", "--out", str(target), stdout=out
    )
    expected = build.build(partnership, Q3, TODAY).digest
    assert out.getvalue().strip() == expected
    assert expected in target.read_text()
    assert Report.objects.get().digest == expected
    again = io.StringIO()
    call_command("report", "--period", "2026-Q3", "--out", str(tmp_path / "q3.pdf"), stdout=again)
    assert again.getvalue().strip() == expected  # the same data, PDF or HTML


def test_the_worker_makes_the_quarter_report_once_and_emails_a_link(
    partnership, quarter_data, learning, board, manager
) -> None:
    asked = services.schedule_quarterly(date(2026, 10, 1))
    assert [a.period for a in asked] == ["2026-Q3"]
    report = Report.objects.get()
    assert report.made_by is None
    assert report.request is not None
    assert report.request.scheduled
    assert sorted(m.to[0] for m in mail.outbox) == ["board@example.org", "lee@example.org"]
    message = mail.outbox[0]
    assert reverse("reports:report", args=[report.pk]) in message.body
    assert not message.attachments
    assert services.schedule_quarterly(date(2026, 10, 2)) == []  # once a quarter
    assert Report.objects.count() == 1


def _import(partnership, tmp_path, extract: date, seed: int) -> None:
    folder = tmp_path / f"extract-{seed}"
    folder.mkdir()
    generate(folder, children=80, seed=seed, as_of=extract)
    tables = {p.stem: p for p in folder.glob("*.csv")}
    assert import_tables(partnership, tables, actor=None, extract_date=extract).ok


def test_a_past_quarter_made_again_after_a_new_import_says_the_same(
    partnership, quarter_data, tmp_path
) -> None:
    """The snapshot current at 30 September is replaced on 3 October; the Q3 report made on
    1 October kept its counts, so the one made on 5 October has the same digest."""
    rec = quarter_data["police"].recommendation
    rec.measures = ["core_group_interval"]
    rec.save()
    with time_machine.travel(at(date(2026, 9, 20)), tick=False):
        _import(partnership, tmp_path, date(2026, 9, 18), seed=3)
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        first = build.build(partnership, Q3, date(2026, 10, 1))
    assert "Extract of 2026-09-18" in first.snapshot
    assert KeptFigures.objects.filter(key__startswith="months:core_group_interval").exists()
    assert KeptFigures.objects.filter(key__startswith="catalogue:").count() == 3
    catalogue = next(s for s in first.sections if s["key"] == "catalogue")["content"]
    assert [c["quarter"] for c in catalogue["columns"]] == ["2026-Q3", "2026-Q2", "2025-Q3"]
    impact = next(s for s in first.sections if s["key"] == "reviews")["content"]
    alex = next(r for r in impact["reviews"] if r["title"].endswith("Alex"))
    measure = alex["impact"][0]
    assert measure["id"] == "core_group_interval"
    assert measure["recommendations"] == [1]
    assert "statement" in measure

    with time_machine.travel(at(date(2026, 10, 3)), tick=False):
        _import(partnership, tmp_path, date(2026, 10, 2), seed=4)
    again = build.build(partnership, Q3, TODAY)
    assert again.digest == first.digest
    # The quarter under way reads the new extract.
    assert "Extract of 2026-10-02" in build.build(partnership, Quarter(2026, 4), TODAY).snapshot
