"""Reminder digests: each owner gets one email listing actions due soon and overdue, once a day."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from assure.accounts.models import User
from assure.core import audit, timescales
from assure.reviews.lifecycle import OPEN
from assure.reviews.models import Action, ReminderSent


@dataclass(frozen=True)
class Digest:
    owner: User
    overdue: list[Action]
    due_soon: list[Action]


def digests(today: date) -> list[Digest]:
    """Open actions with an owner, due within the reminder window or already overdue."""
    window = timescales.timescale("action_due_soon_days", today).amount
    actions = (
        Action.objects.filter(
            status__in=OPEN,
            owner__isnull=False,
            owner__is_active=True,
            due_date__lte=today + timedelta(days=window),
        )
        .select_related("owner", "agency", "recommendation__review")
        .order_by("owner_id", "due_date", "id")
    )
    by_owner: dict[int, list[Action]] = defaultdict(list)
    owners: dict[int, User] = {}
    for action in actions:
        assert action.owner is not None
        by_owner[action.owner.pk].append(action)
        owners[action.owner.pk] = action.owner
    return [
        Digest(
            owners[pk],
            [a for a in items if a.due_date and a.due_date < today],
            [a for a in items if a.due_date and a.due_date >= today],
        )
        for pk, items in by_owner.items()
    ]


def send_digests(today: date, base_url: str) -> tuple[int, int]:
    """Send each owner's digest unless one went today; returns (sent, skipped)."""
    sent = skipped = 0
    for digest in digests(today):
        if not digest.owner.email:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    partnership_id=digest.owner.agency.partnership_id,  # type: ignore[union-attr]
                    owner=digest.owner,
                    sent_on=today,
                    actions=len(digest.overdue) + len(digest.due_soon),
                )
                _send(digest, base_url)
                audit.record(
                    None,
                    audit.Action.CREATE,
                    record_type="reviews.reminder",
                    record_id=digest.owner.pk,
                    summary=f"Reminder to {digest.owner.username}",
                )
        except IntegrityError:
            skipped += 1
            continue
        sent += 1
    return sent, skipped


def _send(digest: Digest, base_url: str) -> None:
    context = {"digest": digest, "base_url": base_url.rstrip("/")}
    count = len(digest.overdue) + len(digest.due_soon)
    send_mail(
        subject=f"Assure: {count} action{'s' if count != 1 else ''} need your attention",
        message=render_to_string("reviews/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[digest.owner.email],
    )
