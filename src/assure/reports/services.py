"""Making reports: asked for by a person (made in the background) or by the quarterly schedule.

`make_report` builds the data, renders it, and keeps it as a `Report` with its file; the
permission check comes first, then one transaction writes the report and its audit event.

Failing safely: a request the worker cannot make gets a `ReportFailure` in plain words (and
the error goes on to the worker's log); one that is neither made nor failed after
ASSURE_REPORT_STALE_MINUTES (the worker was killed or stopped) is shown as failed too. Either
can be tried again. After the scheduled report (or a try again of it) is made, each learning
group and board member is emailed its link by a task of their own; a try that fails is
recorded and tried again later, each wait five times the last, until sent or given up.
"""

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Partnership, Role, User
from assure.core import audit
from assure.core.permissions import Scope, role_scope
from assure.core.viewer import Viewer
from assure.reports import build, render
from assure.reports.models import Format, LinkEmail, Report, ReportFailure, ReportRequest
from assure.reports.periods import BadPeriod, Quarter, last_ended

RECIPIENT_ROLES = (Role.LEARNING_GROUP_MEMBER, Role.BOARD_MEMBER)
EMAIL_TRIES = 6
FIRST_WAIT = timedelta(minutes=1)  # then 5 and 25 minutes, about 2 hours, about 10 hours
WAIT_FACTOR = 5
WORKER = "report worker"  # the audit trail's name for what the worker does on its own

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    """A report rendered: its data, the document's bytes and its stamp."""

    data: build.ReportData
    content: bytes
    made_at: datetime
    format: str

    @property
    def digest(self) -> str:
        return self.data.digest


def render_report(partnership: Partnership, quarter: Quarter, fmt: str, today: date) -> Made:
    """Build and render, keeping nothing (the command line's `--out` and `make_report`)."""
    data = build.build(partnership, quarter, today)
    made_at = timezone.now()
    document = render.html(
        data, timezone.localtime(made_at).isoformat(timespec="seconds"), data.digest
    )
    content = render.pdf(document) if fmt == Format.PDF else document.encode()
    return Made(data, content, made_at, fmt)


def _check_request(viewer: Viewer, period: str, fmt: str) -> Quarter:
    viewer.require("report", "make", record_type="reports.report")
    quarter = Quarter.parse(period)
    if quarter.start > timezone.localdate():
        raise BadPeriod(f"{quarter} has not started yet: choose a quarter up to this one.")
    if fmt not in Format.values:
        raise BadPeriod("Choose PDF or web page.")
    return quarter


def ask_for_report(viewer: Viewer, *, period: str, fmt: str) -> ReportRequest:
    """Queue a report for the person's partnership; `assure worker` makes it."""
    quarter = _check_request(viewer, period, fmt)
    with transaction.atomic(durable=True):
        asked = ReportRequest.objects.create(
            partnership_id=viewer.partnership_id,
            period=str(quarter),
            format=fmt,
            asked_by=viewer.user,
        )
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            asked,
            summary=f"Asked for the {quarter} report ({fmt})",
        )
        transaction.on_commit(lambda: _enqueue(asked.pk))
    return asked


def keep_report(asked: ReportRequest, made: Made) -> Report:
    """Keep a made report with its file and stamp (and audit it)."""
    data = made.data
    with transaction.atomic():
        report = Report(
            partnership_id=asked.partnership_id,
            request=asked,
            period=data.period,
            format=made.format,
            digest=made.digest,
            size=len(made.content),
            made_by=asked.asked_by,
            made_at=made.made_at,
            snapshot_id=data.snapshot_id,
            stamp={
                "partnership": data.partnership,
                "period": data.period,
                "as_at": data.as_at,
                "made_at": timezone.localtime(made.made_at).isoformat(timespec="seconds"),
                "assure_version": build.assure_version(),
                "snapshot": data.snapshot,
                "timescales": data.timescales,
                "digest": made.digest,
            },
        )
        report.file.save(
            f"{data.period}-{made.digest[:16]}-{asked.pk}.{made.format}",
            ContentFile(made.content),
            save=False,
        )
        report.save()
        audit.record(
            asked.asked_by,
            audit.Action.CREATE,
            report,
            actor_username="" if asked.asked_by else "quarterly schedule",
            summary=f"Made the {data.period} report ({made.format}), digest {made.digest[:12]}",
        )
    return report


@task()
def make_requested_report(request_id: int) -> int:
    """Background: make the report someone asked for (or the schedule did). A failure is
    recorded in plain words for the Reports page, then raised on for the worker's log."""
    asked = ReportRequest.objects.select_related("partnership").get(pk=request_id)
    if Report.objects.filter(request=asked).exists():
        return Report.objects.get(request=asked).pk
    try:
        made = render_report(
            asked.partnership, Quarter.parse(asked.period), asked.format, timezone.localdate()
        )
        report = keep_report(asked, made)
    except Exception as error:
        failure = record_failure(asked, error)
        if failure is not None:
            tell_of_failure(asked, failure)
        raise
    if announced(asked):
        email_links(report)
    return report.pk


def _enqueue(request_id: int) -> None:
    make_requested_report.enqueue(request_id)


def failure_words(error: BaseException) -> str:
    """What went wrong, for the people who asked: plain words, no trace."""
    if isinstance(error, OSError):
        return (
            "The report could not be saved: Assure's storage for reports could not be "
            "written to. Ask your Assure administrator to fix it, then try again."
        )
    if isinstance(error, DatabaseError):
        return "The database did not answer while the report was being made. Try again."
    return (
        "Something went wrong in Assure while making the report, so it was not made. Try "
        "again; if it fails again, tell your Assure administrator."
    )


def record_failure(asked: ReportRequest, error: BaseException) -> ReportFailure | None:
    """Keep that the request failed, and why (the error's kind only: the trace is logged)."""
    try:
        with transaction.atomic():
            failure = ReportFailure.objects.create(
                request=asked,
                reason=failure_words(error),
                error=f"{type(error).__module__}.{type(error).__qualname__}"[:300],
            )
            audit.record(
                None,
                audit.Action.CREATE,
                failure,
                actor_username=WORKER,
                summary=f"Could not make the {asked.period} report ({asked.format}) asked "
                f"for at {timezone.localtime(asked.asked_at):%Y-%m-%d %H:%M}: "
                f"{type(error).__name__}",
            )
    except DatabaseError:
        logger.exception("Could not record that report request %s failed", asked.pk)
        return None
    return failure


def waiting_for(asked: ReportRequest) -> list[User]:
    """Who is told a report could not be made: whoever asked for it (or the last try again),
    or for the schedule's, everyone who can make reports and so try again."""
    if asked.asked_by_id is not None:
        people = User.objects.filter(pk=asked.asked_by_id, is_active=True).exclude(email="")
        return list(people)
    makers = [r for r in Role if role_scope(r, "report", "make") != Scope.NONE]
    return recipients(asked.partnership_id, makers)


def tell_of_failure(asked: ReportRequest, failure: ReportFailure) -> int:
    """Email the people waiting for the report that it could not be made, why in plain words
    and where to try again (the Reports page says the same). One try each, audited: a person
    who is not reached still sees it on the Reports page."""
    link = settings.SITE_URL.rstrip("/") + reverse("reports:list")
    told = 0
    for person in waiting_for(asked):
        who = person.get_username()
        try:
            send_mail(
                subject=f"Assure: the {asked.period} assurance report could not be made",
                message=render_to_string(
                    "reports/failed_email.txt",
                    {"asked": asked, "failure": failure, "link": link, "person": person},
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[person.email],
            )
        except (smtplib.SMTPException, OSError) as error:
            summary = f"Could not email {who} that the {asked.period} report failed "
            summary += f"({type(error).__name__})"
        else:
            told += 1
            summary = f"Emailed {who} that the {asked.period} report could not be made"
        audit.record(None, audit.Action.CREATE, failure, actor_username=WORKER, summary=summary)
    return told


def announced(asked: ReportRequest) -> bool:
    """Whether the report made for this request is emailed: the schedule's, or a try again
    of the schedule's."""
    while asked.retry_of_id is not None:
        asked = ReportRequest.objects.get(pk=asked.retry_of_id)
    return asked.scheduled


def is_stale(asked: ReportRequest) -> bool:
    """Asked for longer ago than ASSURE_REPORT_STALE_MINUTES: the worker has stopped."""
    limit = timedelta(minutes=settings.ASSURE_REPORT_STALE_MINUTES)
    return asked.asked_at < timezone.now() - limit


def try_again(viewer: Viewer, request_id: int) -> ReportRequest | None:
    """Ask again for a report that failed (or went stale), once; None if it needs no retry:
    still being made, made meanwhile, or tried again already."""
    viewer.require("report", "make", record_type="reports.report")
    failed = ReportRequest.objects.filter(
        pk=request_id, partnership_id=viewer.partnership_id
    ).first()
    if failed is None:
        raise ReportRequest.DoesNotExist(request_id)
    if (
        Report.objects.filter(request=failed).exists()
        or ReportRequest.objects.filter(retry_of=failed).exists()
        or not (ReportFailure.objects.filter(request=failed).exists() or is_stale(failed))
    ):
        return None
    try:
        with transaction.atomic(durable=True):
            again = ReportRequest.objects.create(
                partnership_id=failed.partnership_id,
                period=failed.period,
                format=failed.format,
                asked_by=viewer.user,
                retry_of=failed,
            )
            audit.record(
                viewer,
                audit.Action.CREATE,
                again,
                summary=f"Asked again for the {failed.period} report ({failed.format}) "
                "that could not be made",
            )
            transaction.on_commit(lambda: _enqueue(again.pk))
    except IntegrityError:
        return None  # tried again at the same moment by someone else
    return again


def recipients(partnership_id: int, roles: Sequence[str] = RECIPIENT_ROLES) -> list[User]:
    """Active people of the partnership with an email who hold one of `roles` (by default
    the learning group and board members, who are sent the scheduled report's link)."""
    people = (
        User.objects.filter(
            is_active=True,
            agency__partnership_id=partnership_id,
            roles__role__in=roles,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )
    return [p for p in people if p.role_set() & set(roles)]


def email_links(report: Report) -> int:
    """Queue the email of the report's link to each recipient, one task each."""
    people = recipients(report.partnership_id)
    for person in people:
        email_link.enqueue(report.pk, person.pk, 1)
    return len(people)


def retry_wait(attempt: int) -> timedelta:
    """How long after failed try `attempt` the next one waits."""
    return FIRST_WAIT * WAIT_FACTOR ** (attempt - 1)


@task()
def email_link(report_id: int, recipient_id: int, attempt: int) -> str:
    """Background: email one person the report's link (never the file). A failed try is
    recorded, audited and queued again after `retry_wait`, until EMAIL_TRIES are used."""
    report = Report.objects.get(pk=report_id)
    person = User.objects.get(pk=recipient_id)
    if LinkEmail.objects.filter(
        report=report, recipient=person, outcome=LinkEmail.Outcome.SENT
    ).exists():
        return LinkEmail.Outcome.SENT
    link = settings.SITE_URL.rstrip("/") + reverse("reports:report", args=[report.pk])
    who = person.get_username()
    try:
        send_mail(
            subject=f"Assure: the {report.period} assurance report is ready",
            message=render_to_string(
                "reports/ready_email.txt", {"report": report, "link": link, "person": person}
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        kind = type(error).__name__
        given_up = attempt >= EMAIL_TRIES
        later = None if given_up else timezone.now() + retry_wait(attempt)
        outcome = LinkEmail.Outcome.GAVE_UP if given_up else LinkEmail.Outcome.FAILED
        then = (
            "gave up" if later is None else f"next try {timezone.localtime(later):%Y-%m-%d %H:%M}"
        )
        summary = (
            f"Could not email {who} the link to the {report.period} report ({kind}), "
            f"try {attempt} of {EMAIL_TRIES}: {then}"
        )
        _record_email(report, person, attempt, outcome, summary, kind, later)
        if later is not None:
            _email_later(report.pk, person.pk, attempt + 1, later)
        return outcome
    summary = (
        f"Emailed {who} the link to the {report.period} report, try {attempt} of {EMAIL_TRIES}"
    )
    _record_email(report, person, attempt, LinkEmail.Outcome.SENT, summary)
    return LinkEmail.Outcome.SENT


def _record_email(
    report: Report,
    person: User,
    attempt: int,
    outcome: str,
    summary: str,
    error: str = "",
    later: datetime | None = None,
) -> None:
    with transaction.atomic():
        tried = LinkEmail.objects.create(
            report=report,
            recipient=person,
            attempt=attempt,
            outcome=outcome,
            error=error,
            next_try_at=later,
        )
        audit.record(None, audit.Action.CREATE, tried, actor_username=WORKER, summary=summary)


def _email_later(report_id: int, recipient_id: int, attempt: int, at: datetime) -> None:
    """Queue the next try for `at`; a backend that cannot wait (the immediate one of the
    tests) runs it now."""
    queued = email_link
    if email_link.get_backend().supports_defer:
        queued = email_link.using(run_after=at)
    queued.enqueue(report_id, recipient_id, attempt)


def schedule_quarterly(today: date) -> list[ReportRequest]:
    """After a quarter ends, ask once per partnership for its report (PDF); the worker calls
    this now and then, and the unique constraint keeps it to once however many run it."""
    quarter = last_ended(today)
    asked = []
    for partnership in Partnership.objects.order_by("pk"):
        if ReportRequest.objects.filter(
            partnership=partnership, period=str(quarter), scheduled=True
        ).exists():
            continue
        try:
            with transaction.atomic():
                made = ReportRequest.objects.create(
                    partnership=partnership, period=str(quarter), format=Format.PDF, scheduled=True
                )
        except IntegrityError:
            continue  # another worker asked first
        asked.append(made)
    for made in asked:
        _enqueue(made.pk)
    return asked
