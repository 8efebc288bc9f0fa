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


@pytest.mark.django_db
def test_demo_dates_last_years_round_inside_last_year(settings, tmp_path) -> None:
    """Last financial year's Section 11 round was opened, submitted and challenged inside that
    year, on working days, so past quarters' reports and the year-on-year dashboard read it."""
    from datetime import date

    from django.utils import timezone

    from assure.accounts.models import Partnership
    from assure.core.calendar import is_working_day
    from assure.reports import build
    from assure.reports.periods import Quarter
    from assure.selfassessment.models import ChallengeDecision, Round
    from assure.selfassessment.selectors import previous_round

    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--children", "0", stdout=StringIO())
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    last, current = Round.objects.order_by("created_at")
    assert previous_round(current) == last
    decisions = ChallengeDecision.objects.filter(rating__submission__round=last)
    moments = [last.created_at, *(d.decided_at for d in decisions)]
    moments += [s.submitted_at for s in last.submissions.all() if s.submitted_at]
    assert len(moments) == 1 + 2 * 8 + 2
    for moment in moments:
        day = timezone.localtime(moment).date()
        assert date(year - 1, 4, 1) <= day < date(year, 4, 1), moment
        assert is_working_day(day), day
    assert is_working_day(last.due_date)
    partnership = Partnership.objects.get()

    def reported(quarter: Quarter) -> dict:
        data = build.build(partnership, quarter, today)
        section = next(s["content"] for s in data.sections if s["key"] == "selfassessment")
        return next(r for r in section["rounds"] if r["name"] == last.name)

    september = reported(Quarter(year - 1, 3))
    assert (september["submitted"], september["challenged"]) == (2, 0)
    october = reported(Quarter(year - 1, 4))
    assert (october["submitted"], october["challenged"]) == (2, 2)


@pytest.mark.django_db
def test_demo_links_survey_escalation_course_and_standard_measures(settings, tmp_path) -> None:
    from django.utils import timezone

    from assure.core.viewer import Viewer
    from assure.reviews import measures

    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--children", "0", stdout=StringIO())
    recs = {r.number: r for r in Recommendation.objects.filter(review__pseudonym="Freddie")}
    kinds = {n: sorted(m.split(":")[0] for m in recs[n].measures) for n in (8, 9)}
    assert kinds == {8: ["escalation", "survey"], 9: ["course", "standard"]}
    assert recs[8].measure_target == 80
    viewer = Viewer.of(User.objects.get(username="manager"))
    read = measures.readings(
        viewer.required_partnership().pk, recs[8].measures + recs[9].measures,
        timezone.localdate(), viewer,
    )  # fmt: skip
    assert set(read) >= {*recs[8].measures, "standard:section-11:5"}
    assert read["standard:section-11:5"].value is not None
    assured = Action.objects.get(recommendation=recs[8], status="assured")
    assert assured.agency.name == "Hampshire Constabulary"
