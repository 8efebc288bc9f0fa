"""Background work failing safely: a report the worker cannot make says so on Reports, in plain
words, with a way to try again; one the worker never finished goes stale and is shown failed;
the scheduled report's emails are tried again, with longer waits, until sent or given up.

Each failure is real: a section that raises, storage that cannot be written to, an SMTP server
that refuses. The worker is django-tasks-db's own, run in-process on the test database."""

import re
import smtplib
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from assure.core.models import AuditEvent
from assure.reports import build, services
from assure.reports.models import LinkEmail, Report, ReportFailure, ReportRequest
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY, at

REFUSALS: list[str] = []  # addresses the failing backend refuses, set by each test


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses some recipients; the others' mail lands in the outbox."""

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            if set(message.to) & set(REFUSALS):
                raise smtplib.SMTPRecipientsRefused({a: (550, b"refused") for a in message.to})
            mail.outbox.append(message)
        return len(email_messages)


@pytest.fixture
def broken_section():
    """A section that raises, registered as a later feature would register one."""

    def broken(ctx: build.Context) -> dict[str, Any]:
        raise ValueError("a section's bug")

    build.section("broken", "Broken")(broken)
    yield
    build.SECTIONS[:] = [s for s in build.SECTIONS if s.key != "broken"]


def ask(client, django_capture_on_commit_callbacks, period: str = "2026-Q3") -> None:
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("reports:make"), {"period": period, "format": "pdf"})
    assert done.status_code == 302


def test_a_section_that_raises_shows_failed_and_is_tried_again(
    client, manager, learning, quarter_data, broken_section, django_capture_on_commit_callbacks
) -> None:
    client.force_login(manager)
    ask(client, django_capture_on_commit_callbacks)
    assert not Report.objects.exists()
    failure = ReportFailure.objects.get()
    assert failure.error == "builtins.ValueError"
    assert AuditEvent.objects.filter(
        record_type="reports.reportfailure", actor_username="report worker"
    ).exists()

    page = client.get(reverse("reports:list")).content.decode()
    assert "Could not be made" in page
    assert "2026-Q3 (PDF), asked 5 October 2026 09:00 by you" in page
    assert "Something went wrong in Assure while making the report" in page
    assert "Traceback" not in page
    assert "ValueError" not in page
    assert reverse("reports:again", args=[failure.request_id]) in page
    assert "Being made" not in page

    client.force_login(learning)  # sees it failed; cannot try again
    page = client.get(reverse("reports:list")).content.decode()
    assert "Something went wrong in Assure" in page
    assert "A partnership manager or board member can try again." in page
    again_url = reverse("reports:again", args=[failure.request_id])
    assert client.post(again_url).status_code == 403

    client.force_login(manager)
    build.SECTIONS[:] = [s for s in build.SECTIONS if s.key != "broken"]  # the bug is fixed
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(again_url).status_code == 302
    report = Report.objects.get()
    assert report.request is not None
    assert report.request.retry_of_id == failure.request_id
    page = client.get(reverse("reports:list")).content.decode()
    assert "Could not be made" not in page
    assert report.digest[:12] in page
    again = client.post(again_url, follow=True).content.decode()  # a second click: no new one
    assert "was asked for again" in again
    assert ReportRequest.objects.count() == 2


def test_whoever_asked_is_emailed_that_it_failed_in_plain_words(
    client, manager, learning, board, quarter_data, broken_section, settings,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    settings.SITE_URL = "https://assure.example.org"
    manager.email = "manager@example.org"
    manager.save()
    client.force_login(manager)
    ask(client, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox  # the asker only: nobody else was waiting for it
    assert sent.to == ["manager@example.org"]
    assert sent.subject == "Assure: the 2026-Q3 assurance report could not be made"
    assert "for 2026-Q3 (PDF) could not be made" in sent.body
    assert "Something went wrong in Assure while making the report" in sent.body
    assert "https://assure.example.org" + reverse("reports:list") in sent.body
    assert "ValueError" not in sent.body
    assert "a section's bug" not in sent.body
    assert AuditEvent.objects.filter(
        record_type="reports.reportfailure",
        actor_username="report worker",
        summary="Emailed manager that the 2026-Q3 report could not be made",
    ).exists()


def test_storage_that_cannot_be_written_to_is_said_in_plain_words(
    client, manager, quarter_data, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "uploads"},
        }
    }
    client.force_login(manager)
    ask(client, django_capture_on_commit_callbacks)
    assert not Report.objects.exists()
    assert ReportFailure.objects.get().error == "builtins.NotADirectoryError"
    page = client.get(reverse("reports:list")).content.decode()
    assert "storage for reports could not be written to" in page
    assert str(blocker) not in page


def test_a_report_never_finished_is_shown_failed_after_the_limit(
    client, manager, partnership, settings
) -> None:
    """The worker was killed while making it: no report, no failure recorded."""
    settings.ASSURE_REPORT_STALE_MINUTES = 30
    asked = ReportRequest.objects.create(
        partnership=partnership, period="2026-Q3", format="pdf", asked_by=manager
    )
    with time_machine.travel(at(TODAY, 9) + timedelta(minutes=29), tick=False):
        client.force_login(manager)
        page = client.get(reverse("reports:list")).content.decode()
    assert "Being made" in page
    assert "Could not be made" not in page
    with time_machine.travel(at(TODAY, 9) + timedelta(minutes=29), tick=False):
        client.post(reverse("reports:again", args=[asked.pk]))  # a forged click: not yet
    assert ReportRequest.objects.count() == 1
    with time_machine.travel(at(TODAY, 9) + timedelta(minutes=31), tick=False):
        client.force_login(manager)
        page = client.get(reverse("reports:list")).content.decode()
    assert "Could not be made" in page
    assert "Being made" not in page
    assert "still not made 30 minutes after it was asked for" in page
    assert "Try again" in page


def run_worker() -> None:
    """django-tasks-db's worker: every task due now, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)
def test_scheduled_emails_are_tried_again_with_longer_waits_until_sent_or_given_up(
    partnership, quarter_data, learning, board, settings
) -> None:
    """Board's address is refused three times, then accepted; the learning group's never is:
    tried at 0, +1, +5, +25 minutes, +~2 and +~10 hours, then given up. Nobody gets the file,
    nobody is sent the link twice, and each try is in the audit trail."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    REFUSALS[:] = ["board@example.org", "lee@example.org"]
    start = at(date(2026, 10, 1), 9)
    with time_machine.travel(start, tick=False):
        services.schedule_quarterly(date(2026, 10, 1))
        run_worker()
    report = Report.objects.get()
    assert mail.outbox == []
    tries = LinkEmail.objects.filter(report=report)
    assert sorted(t.outcome for t in tries) == ["failed", "failed"]
    assert {t.next_try_at for t in tries} == {start + timedelta(minutes=1)}

    waits = [timedelta(minutes=m) for m in (1, 5, 25, 125, 625)]
    moment = start
    for number, wait in enumerate(waits, start=2):
        with time_machine.travel(moment + wait - timedelta(seconds=1), tick=False):
            run_worker()  # not due yet
        assert tries.filter(attempt=number).count() == 0
        moment += wait
        if number == 4:
            REFUSALS[:] = ["lee@example.org"]  # board's server recovers
        with time_machine.travel(moment, tick=False):
            run_worker()
    board_tries = tries.filter(recipient=board).order_by("attempt")
    assert [t.outcome for t in board_tries] == ["failed", "failed", "failed", "sent"]
    lee_tries = tries.filter(recipient=learning).order_by("attempt")
    assert [t.outcome for t in lee_tries] == ["failed"] * 5 + ["gave_up"]
    assert lee_tries[5].next_try_at is None
    assert [m.to for m in mail.outbox] == [["board@example.org"]]
    assert not mail.outbox[0].attachments
    assert reverse("reports:report", args=[report.pk]) in mail.outbox[0].body
    events = list(AuditEvent.objects.filter(record_type="reports.linkemail").order_by("id"))
    assert len(events) == 10
    assert events[-1].summary.startswith("Could not email learning the link")
    assert "gave up" in events[-1].summary
    with time_machine.travel(moment + timedelta(days=2), tick=False):
        run_worker()  # nothing left to try
    assert LinkEmail.objects.count() == 10


def test_the_report_page_says_where_each_email_stands(
    client, manager, learning, board, quarter_data, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    REFUSALS[:] = ["lee@example.org"]
    asked = ReportRequest.objects.create(
        partnership=quarter_data["police"].partnership, period="2026-Q3", format="html"
    )
    report = services.keep_report(
        asked, services.render_report(asked.partnership, Quarter(2026, 3), "html", TODAY)
    )
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RefusingBackend"}}):
        services.email_link.call(report.pk, board.pk, 1)
        services.email_link.call(report.pk, learning.pk, 1)
    client.force_login(manager)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Link emailed to the learning group and board" in page
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    lee = next(r for r in rows if "Lee Group" in r)
    assert "Failed, to be tried again: next try 5 October 2026 09:01" in lee
    assert "(try 1)" in lee
    assert sum('<td class="govuk-table__cell">Sent</td>' in r for r in rows) == 1


def test_a_try_again_of_the_scheduled_report_emails_the_link(
    client, manager, learning, board, quarter_data, broken_section, settings,
    django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_quarterly(date(2026, 10, 1))
    failed = ReportFailure.objects.get().request
    assert failed.scheduled
    # The schedule's failure is told to those who can try again (board, not the learning
    # group; the manager has no address), and no link is sent.
    told = "Assure: the 2026-Q3 assurance report could not be made"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["board@example.org"], told)]
    mail.outbox.clear()
    build.SECTIONS[:] = [s for s in build.SECTIONS if s.key != "broken"]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:again", args=[failed.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == ["board@example.org", "lee@example.org"]
    assert LinkEmail.objects.filter(outcome="sent").count() == 2
    assert timezone.now() == at(TODAY, 9)
