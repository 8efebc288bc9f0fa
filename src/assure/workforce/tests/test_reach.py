"""Reach = distinct attendees / declared workforce, by course, agency and role, over a period."""

from datetime import date

import time_machine

from assure.workforce.models import Course, WorkforceRole
from assure.workforce.selectors import course_reach
from assure.workforce.services import declare_workforce, import_training
from assure.workforce.tests.conftest import TODAY, csv_file

COURSE = "CSAFE one-day training"
ATTENDANCE = csv_file(
    # council social workers: A1 twice (counts once), A2, A3 booked but absent, A4 before
    # the period
    f"{COURSE},2026-03-10,Testshire children's services,social_worker,A1,Y,2,4",
    f"{COURSE},2026-04-10,Testshire children's services,social_worker,A1,Y,,",
    f"{COURSE},2026-03-10,Testshire children's services,social_worker,A2,Y,3,4",
    f"{COURSE},2026-03-10,Testshire children's services,social_worker,A3,N,,",
    f"{COURSE},2025-12-01,Testshire children's services,social_worker,A4,Y,,",
    # a school nurse, a role the council has not declared
    f"{COURSE},2026-03-10,Testshire children's services,School nurses,N1,Y,,",
    # five police officers in the child abuse and exploitation team
    *(f"{COURSE},2026-05-05,Testshire Police,police_cae,B{i},yes,,," for i in range(1, 6)),
)


@time_machine.travel(TODAY, tick=False)
def test_reach_arithmetic(manager, council, police):
    declare_workforce(
        manager, agency=council, role="social_worker", headcount=40, as_of=date(2026, 1, 1)
    )
    declare_workforce(
        manager, agency=council, role="social_worker", headcount=50, as_of=date(2026, 6, 1)
    )
    declare_workforce(
        manager, agency=police, role="police_cae", headcount=20, as_of=date(2026, 1, 1)
    )
    result = import_training(manager, "attendance.csv", ATTENDANCE)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.rows, result.courses_added) == (11, [COURSE])
    course = Course.objects.get(title=COURSE)

    reach = course_reach(manager, course, date(2026, 1, 1), date(2026, 6, 30))
    rows = {(agency, r.name): (r.attendees, r.workforce) for agency, r in reach.rows}
    assert rows == {
        ("Testshire Police", "Police in child abuse and exploitation teams"): (5, 20),
        ("Testshire children's services", "Social workers"): (2, 50),
        ("Testshire children's services", "School nurses"): (1, None),
    }
    # (2 + 5) / (50 + 20); the school nurse is counted apart, not in the share
    assert (reach.total.attendees, reach.total.workforce) == (7, 70)
    assert reach.total.share == 0.1
    assert reach.total.undeclared == 1
    by_agency = {r.name: r.share for r in reach.by_agency}
    assert by_agency == {"Testshire Police": 0.25, "Testshire children's services": 0.04}
    assert [(r.name, r.share) for r in reach.by_role] == [
        ("Social workers", 0.04),
        ("School nurses", None),
        ("Police in child abuse and exploitation teams", 0.25),
    ]

    # To 31 May the 1 June headcount is not yet declared: 2 / 40.
    earlier = course_reach(manager, course, date(2026, 1, 1), date(2026, 5, 31))
    assert {r.name: r.share for r in earlier.by_agency}["Testshire children's services"] == 0.05

    # A course for police only leaves the social workers out.
    course.roles = [WorkforceRole.POLICE_CAE]
    course.save()
    police_only = course_reach(manager, course, date(2026, 1, 1), date(2026, 6, 30))
    assert (police_only.total.attendees, police_only.total.workforce) == (5, 20)


@time_machine.travel(TODAY, tick=False)
def test_importing_the_same_file_again_changes_nothing(manager, council, police):
    assert import_training(manager, "a.csv", ATTENDANCE).ok
    again = import_training(manager, "a.csv", ATTENDANCE)
    assert again.ok
    assert again.replaced == 11
    assert again.courses_added == []
    assert (
        course_reach(
            manager, Course.objects.get(), date(2026, 1, 1), date(2026, 6, 30)
        ).total.undeclared
        == 8
    )
