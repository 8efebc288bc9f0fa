"""The demo partnership: every role has a person, and loading twice creates nothing twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from assure.accounts.models import Agency, Role, User
from assure.casedata.models import ImportSnapshot, Person
from assure.core.models import AuditEvent
from assure.reviews.models import Action, Recommendation


def _counts() -> dict[str, int]:
    models = [User, Agency, AuditEvent, Recommendation, Action, ImportSnapshot, Person]
    return {model.__name__: model._default_manager.count() for model in models}


@pytest.mark.django_db
def test_demo_loads_once_and_prints_sign_ins(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", "--children", "60", stdout=out)
    first = _counts()
    call_command("load_demo", "--children", "60", stdout=StringIO())
    assert _counts() == first
    printed = out.getvalue()
    password = (tmp_path / "demo_password").read_text().strip()
    assert f"Password for everyone: {password}" in printed
    held = {grant for user in User.objects.all() for grant in user.role_set()}
    assert held == set(Role.values)
    assert User.objects.get(username="police").check_password(password)
    assert "Hampshire Constabulary" in printed
    # the Freddie review's 12, and 8 (one per standard) for each of two self-assessment rounds
    assert first["Recommendation"] == 12 + 2 * 8
    assert first["Person"] == 60
    assert "Loaded workforce learning: 2 products" in printed
    from assure.workforce.models import Attendance, Course

    course = Course.objects.get()
    assert [r.number for r in course.recommendations.all()] == [9]
    assert Attendance.objects.filter(course=course).count() > 50
    assert Agency.objects.get(name="Hampshire and Isle of Wight ICB and primary care").aliases


@pytest.mark.django_db
def test_demo_plan_has_owners_dates_around_today_and_evidence(settings, tmp_path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from assure.reviews.models import ActionStatus, Evidence

    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--children", "0", stdout=StringIO())
    today = timezone.localdate()
    actions = Action.objects.all()
    assert set(actions.values_list("recommendation__number", flat=True)) == set(range(1, 13))
    assert actions.filter(owner__username="police").exists()
    open_ = actions.filter(status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
    assert open_.filter(due_date__lt=today).exists(), "something is overdue"
    assert open_.filter(due_date__gte=today, due_date__lte=today + timedelta(days=14)).exists()
    assert actions.filter(owner_needs_check=True).exists()
    for status in [ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED, ActionStatus.ASSURED]:
        assert Evidence.objects.filter(update__action__status=status).exists(), status
    assert Evidence.objects.filter(update__action__status=ActionStatus.EMBEDDED).exists()
