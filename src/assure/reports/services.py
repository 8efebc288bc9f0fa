"""Making reports: asked for by a person (made in the background) or by the quarterly schedule.

`make_report` builds the data, renders it, and keeps it as a `Report` with its file; the
permission check comes first, then one transaction writes the report and its audit event.
Emails go after commit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Partnership, Role, User
from assure.core import audit
from assure.core.viewer import Viewer
from assure.reports import build, render
from assure.reports.models import Format, Report, ReportRequest
from assure.reports.periods import BadPeriod, Quarter, last_ended

RECIPIENT_ROLES = (Role.LEARNING_GROUP_MEMBER, Role.BOARD_MEMBER)


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
    """Background: make the report someone asked for (or the schedule did)."""
    asked = ReportRequest.objects.select_related("partnership").get(pk=request_id)
    if Report.objects.filter(request=asked).exists():
        return Report.objects.get(request=asked).pk
    made = render_report(
        asked.partnership, Quarter.parse(asked.period), asked.format, timezone.localdate()
    )
    report = keep_report(asked, made)
    if asked.scheduled:
        send_links(report)
    return report.pk


def _enqueue(request_id: int) -> None:
    make_requested_report.enqueue(request_id)


def recipients(partnership_id: int) -> list[User]:
    """Active learning group members and board members of the partnership with an email."""
    people = (
        User.objects.filter(
            is_active=True,
            agency__partnership_id=partnership_id,
            roles__role__in=RECIPIENT_ROLES,
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )
    return [p for p in people if p.role_set() & set(RECIPIENT_ROLES)]


def send_links(report: Report) -> int:
    """Email each recipient a link to the report (never the file)."""
    link = settings.SITE_URL.rstrip("/") + reverse("reports:report", args=[report.pk])
    sent = 0
    for person in recipients(report.partnership_id):
        send_mail(
            subject=f"Assure: the {report.period} assurance report is ready",
            message=render_to_string(
                "reports/ready_email.txt", {"report": report, "link": link, "person": person}
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
        sent += 1
    return sent


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
