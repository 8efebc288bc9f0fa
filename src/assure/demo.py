"""The synthetic demo partnership: the seed document's agencies and one person for each role."""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings

from assure.accounts.models import Agency, Partnership, Role, RoleGrant
from assure.accounts.services import AgencySpec, ensure_partnership_agency
from assure.core.viewer import Viewer

PARTNERSHIP = "Southampton Safeguarding Children Partnership (demo)"
COUNCIL = "Southampton City Council children's services"
POLICE = "Hampshire Constabulary"
SOLENT = "Solent NHS Trust"
UHS = "University Hospital Southampton NHS Foundation Trust"
ICB = "Hampshire and Isle of Wight ICB and primary care"
EDUCATION = "Education"
BRS = "Building Resilience Service"

T = Agency.Type
AGENCIES = [
    AgencySpec(
        COUNCIL,
        T.LA_CHILDRENS_SERVICES,
        (
            "Southampton City Council",
            "Southampton City Council's Children's Services",
            "Children's Services",
            "Children's Social Care",
            "SCC",
        ),
    ),
    AgencySpec(POLICE, T.POLICE, ("Police", "Hampshire Police", "the force")),
    AgencySpec(SOLENT, T.NHS_TRUST, ("Solent", "Solent Safeguarding Team")),
    AgencySpec(
        UHS,
        T.NHS_TRUST,
        ("University Hospital Southampton Foundation Trust", "UHS", "UHSFT"),
    ),
    AgencySpec(
        ICB,
        T.ICB,
        (
            "ICB",
            "Primary Care",
            "Southampton City Clinical Commissioning Group",
            "Southampton Clinical Commissioning Group",
            "Southampton City CCG",
            "CCG",
            "SCCG",
        ),
    ),
    AgencySpec(EDUCATION, T.EDUCATION, ("Schools", "Education professionals")),
    AgencySpec(
        BRS,
        T.COMMISSIONED_SERVICE,
        ("BRS", "Behaviour Resource Service", "The Building Resilience Service (BRS)"),
    ),
]

ALL = RoleGrant.Scope.ALL
# (user name, full name, agency, [(role, scope, scope name)])
PEOPLE = [
    ("manager", "Priya Shah", COUNCIL, [(Role.PARTNERSHIP_MANAGER, ALL, "")]),
    ("learning", "Tom Okafor", ICB, [(Role.LEARNING_GROUP_MEMBER, ALL, "")]),
    ("police", "Sarah Jennings", POLICE, [(Role.AGENCY_LEAD, ALL, "")]),
    ("health", "Maya Patel", SOLENT, [(Role.AGENCY_LEAD, ALL, "")]),
    ("board", "David Evans", UHS, [(Role.BOARD_MEMBER, ALL, "")]),
    ("chair", "Helen Brooks", COUNCIL, [(Role.CONFERENCE_CHAIR, ALL, "")]),
    (
        "teammanager",
        "Amir Hussain",
        COUNCIL,
        [(Role.CHILDRENS_SERVICES_MANAGER, RoleGrant.Scope.TEAM, "Protection and Court Team 1")],
    ),
    ("headofservice", "Claire Dunn", COUNCIL, [(Role.CHILDRENS_SERVICES_MANAGER, ALL, "")]),
    ("auditor", "Grace Lee", COUNCIL, [(Role.QUALITY_AUDITOR, ALL, "")]),
    ("admin", "Sam Carter", COUNCIL, [(Role.SYSTEM_ADMINISTRATOR, ALL, "")]),
]


def demo_password() -> str:
    """One password for every demo person, made at random once and kept in var/."""
    path = Path(settings.VAR_DIR) / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def partnership() -> Partnership:
    """The demo partnership, with its own agency (learning group and business unit)."""
    found, _ = Partnership.objects.get_or_create(name=PARTNERSHIP, defaults={"short_name": "SSCP"})
    ensure_partnership_agency(found)
    return found


SEED_REVIEW = Path(__file__).parent / "demo_data" / "freddie-scr-response.txt"


def load_review(manager: Any) -> str:
    """The seed document's review, imported as a partnership manager would; once only."""
    from datetime import date

    from assure.reviewdocs import AgencyName, parse_document
    from assure.reviews import drafts, services
    from assure.reviews.models import Review

    viewer = Viewer.of(manager)
    if viewer.reviews().filter(pseudonym="Freddie").exists():
        return "The Freddie review is already loaded."
    review = services.save_review(
        viewer,
        Review(),
        {
            "review_type": Review.Type.SCR,
            "pseudonym": "Freddie",
            "title": "Freddie serious case review",
            "status": Review.Status.PUBLISHED,
            "incident_known": date(2018, 11, 5),
            "notification_sent": date(2018, 11, 9),
            "rapid_review_held": date(2018, 12, 3),
            "decision_date": date(2019, 1, 14),
            "commissioned": date(2019, 1, 28),
            "reviewer_appointed": date(2019, 2, 11),
            "draft_received": date(2019, 11, 29),
            "final_received": date(2020, 3, 2),
            "final_sent_to_panel": date(2020, 6, 1),
            "published": date(2020, 6, 30),
        },
    )
    agencies = list(Agency.objects.filter(partnership=viewer.required_partnership()))
    names = [AgencyName(a.name, tuple(a.aliases)) for a in agencies]
    draft = parse_document(SEED_REVIEW, names).to_json()
    recs, actions = drafts.save_draft(
        viewer,
        review,
        drafts.from_json(draft, agencies, existing=set()),
        SEED_REVIEW.name,
        _owners_by_agency(agencies),
    )
    _link_themes_and_measures(viewer, review)
    _date_and_progress(viewer, review)
    return f"Imported the Freddie review: {recs} recommendations, {actions} actions."


# Who owns each agency's imported actions (the demo's people; other agencies have nobody yet).
OWNERS = {COUNCIL: "headofservice", POLICE: "police", SOLENT: "health", ICB: "learning"}


def _owners_by_agency(agencies: list[Agency]) -> dict[int, Any]:
    from assure.accounts.models import User
    from assure.reviews.drafts import AgencyDefaults

    people = {u.username: u.pk for u in User.objects.filter(username__in=OWNERS.values())}
    return {
        agency.pk: AgencyDefaults(owner_id=people.get(OWNERS[agency.name]))
        for agency in agencies
        if agency.name in OWNERS
    }


# Days from today to each open action's due date, in turn: some overdue, some due soon.
DUE_OFFSETS = (-30, -6, 4, 11, 25, 60, 120, None)


def _date_and_progress(manager: Viewer, review: Any) -> None:
    """Due dates around today, and a few actions carried on with evidence to each status."""
    from datetime import timedelta

    from django.utils import timezone

    from assure.reviews import services
    from assure.reviews.models import Action, ActionStatus

    today = timezone.localdate()
    actions = list(Action.objects.filter(recommendation__review=review).select_related("agency"))
    for index, action in enumerate(actions):
        if action.due_date is None:
            offset = DUE_OFFSETS[index % len(DUE_OFFSETS)]
            if offset is not None:
                services.save_action(manager, action, due_date=today + timedelta(days=offset))
    work = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}
    police = [a for a in actions if a.agency.name == POLICE and a.status in work]
    solent = [a for a in actions if a.agency.name == SOLENT and a.status in work]
    _progress(manager, police[:1], ActionStatus.IN_PROGRESS)
    _progress(manager, police[1:2] + solent[:1], ActionStatus.IMPLEMENTED)
    _progress(manager, police[2:3], ActionStatus.ASSURED)
    _progress(manager, police[3:4], ActionStatus.EMBEDDED)


def _progress(manager: Viewer, actions: list[Any], status: str) -> None:
    """Move each action to `status` the way its agency lead and the learning group would."""
    from assure.accounts.models import User
    from assure.reviews import services
    from assure.reviews.models import ActionStatus, ActionUpdate

    learning = Viewer.of(User.objects.get(username="learning"))
    for action in actions:
        lead = Viewer.of(action.owner) if action.owner else manager
        link = f"https://example.org/evidence/{action.pk}"
        if status == ActionStatus.IN_PROGRESS:
            services.add_update(
                lead,
                action,
                narrative="Training sessions booked.",
                status=status,
                links=[link],
            )
            continue
        services.add_update(
            lead,
            action,
            narrative="Done: the briefing and attendance list are attached.",
            status=ActionStatus.IMPLEMENTED,
            links=[link],
        )
        if status in {ActionStatus.ASSURED, ActionStatus.EMBEDDED}:
            services.move_action(
                learning,
                action,
                "assure",
                services.MoveDetails(
                    narrative="The briefing reached every team.",
                    evidence_examined="Attendance list and briefing slides.",
                ),
            )
        if status == ActionStatus.EMBEDDED:
            services.move_action(
                learning,
                action,
                "embed",
                services.MoveDetails(
                    narrative="Three months of audits show the change has held.",
                    embedded_basis=ActionUpdate.EmbeddedBasis.JUDGEMENT,
                ),
            )


# Recommendation number: (themes, the trackers that show whether the change has stuck)
FREDDIE_LINKS = {
    1: (["Workforce and training"], []),
    3: (
        ["Child protection planning"],
        ["chair_consistency", "midway_review", "rcpc_timeliness", "plan_action_quality"],
    ),
    4: (
        ["Multi-agency working", "Record keeping"],
        ["core_group_first_10wd", "core_group_interval", "core_group_recorded_5wd"],
    ),
    5: (["Child sexual abuse in the family"], ["csafe_review_3m", "csafe_oversight_4w"]),
    6: (
        ["Legal planning and pre-proceedings", "Thresholds"],
        ["legal_decision_recorded_10wd", "plo_letter_filed_10wd", "plo_duration_16w"],
    ),
    7: (["Commissioning of services", "Professional challenge and escalation"], []),
    8: (["Professional challenge and escalation"], []),
    9: (["Child sexual abuse in the family", "Workforce and training"], []),
    10: (["Supervision"], ["supervision_4w"]),
    11: (["Legal planning and pre-proceedings"], ["viability_10wd", "viability_qa_5wd"]),
}


def _link_themes_and_measures(manager: Viewer, review: Any) -> None:
    from assure.reviews import services
    from assure.reviews.themes import ensure_themes

    themes = {t.name: t for t in ensure_themes(review.partnership)}
    for recommendation in review.recommendations.prefetch_related("agencies"):
        names, measures = FREDDIE_LINKS.get(recommendation.number, ([], []))
        services.save_recommendation(
            manager,
            recommendation,
            agencies=list(recommendation.agencies.all()),
            themes=[themes[name] for name in names],
            measures=measures,
        )


def load_case_data(partnership: Partnership, children: int) -> str:
    """A synthetic authority of `children` children, extracted today; skipped once one is loaded."""
    from django.utils import timezone

    from assure.casedata.importer.run import import_tables
    from assure.casedata.models import ImportSnapshot
    from assure.casedata.synth import generate

    if children <= 0:
        return "No synthetic case data asked for."
    if ImportSnapshot.objects.filter(partnership=partnership).exists():
        return "Synthetic case data is already loaded."
    today = timezone.localdate()
    folder = Path(settings.VAR_DIR) / f"demo-extract-{children}-{today.isoformat()}"
    generate(folder, children=children, seed=2026, as_of=today)
    tables = {path.stem: path for path in sorted(folder.glob("*.csv"))}
    result = import_tables(
        partnership, tables, actor=None, extract_date=today, source_label=folder.name
    )
    if not result.ok:
        problems = "; ".join(str(p) for p in result.problems[:5])
        raise RuntimeError(f"The synthetic extract did not import: {problems}")
    assert result.snapshot is not None
    _prepare_figures(result.snapshot)  # the demo runs no task worker
    rows = sum(result.snapshot.row_counts.values())
    return f"Loaded a synthetic authority of {children:,} children ({rows:,} rows)."


def _prepare_figures(snapshot: Any) -> None:
    """Compute the trackers' default figures now, so the first page view is quick."""
    from assure.indicators.figures import catalogue_figures
    from assure.indicators.selectors import window_for

    window = window_for(snapshot)
    catalogue_figures(snapshot, window.start, window.end)


DEMO_GRADES = ("good", "good", "requires improvement", "outstanding", "good", "inadequate")


def load_audits(people: dict[str, Any]) -> str:
    """Built-in audit tools and last month's plan-quality programme: most audits finished, a
    tenth moderated (one flagged, with its conversation). Skipped once a programme exists."""
    from django.utils import timezone

    from assure.audits import services as audits
    from assure.audits.models import Programme, Tool
    from assure.audits.tools import ensure_builtin_tools
    from assure.indicators.selectors import current_snapshot

    manager = Viewer.of(people["auditor"])
    auditors = [people[u] for u in ("auditor", "headofservice", "chair")]
    partnership = manager.required_partnership()
    ensure_builtin_tools(partnership)
    if Programme.objects.filter(partnership=partnership).exists():
        return "Audit programmes are already loaded."
    if current_snapshot(partnership.pk) is None:
        return "No case data, so no audit programme."
    today = timezone.localdate()
    tool = Tool.objects.get(partnership=partnership, slug="cp-plan-quality")
    programme = audits.create_programme(
        manager,
        tool_version=tool.latest_version(),
        month=audits.previous_month(today),
        per_team=2,
        auditors=auditors,
        due_working_days=10,
        seed=2026,
    )
    audits.draw(manager, programme)
    made = audits.confirm(manager, programme, today)
    questions = list(tool.latest_version().questions.all())
    for n, record in enumerate(made[: len(made) * 3 // 4]):
        grade = DEMO_GRADES[n % len(DEMO_GRADES)]
        given = {
            q.pk: audits.Given(grade=grade, answer=("yes", "partly", "no")[(n + q.order) % 3])
            for q in questions
        }
        audits.save_audit(
            Viewer.of(record.auditor),
            record,
            given,
            overall_grade=grade,
            findings="Synthetic findings: plan actions name the risk; some lack a timeframe.",
            finish=True,
        )
    for n, moderation in enumerate(audits.offer_moderation(manager, programme)):
        first = moderation.audit.overall_grade
        overall = "inadequate" if n == 0 and first == "good" else first
        graded = {q.pk: overall for q in questions if q.graded}
        audits.moderate(Viewer.of(moderation.moderator), moderation, graded, overall)
        if moderation.flagged:
            audits.record_conversation(
                Viewer.of(moderation.moderator),
                moderation,
                notes="Synthetic: the auditor and moderator read the plan together.",
                outcome="Agreed requires improvement; the plan is to be rewritten with timeframes.",
            )
    return f"Loaded an audit programme of {len(made)} audits for {programme.month:%B %Y}."


def load_surveys(manager: Any) -> str:
    """The escalation-awareness survey run twice (last spring, imported; and this year), with
    synthetic answers through each agency's link, so results and the comparison have figures.
    Skipped once a survey exists."""
    import random

    from django.utils import timezone

    from assure.core.viewer import Viewer
    from assure.surveys import services as surveys
    from assure.surveys.models import Kind, PractitionerRole, Survey
    from assure.surveys.templates import TEMPLATES

    viewer = Viewer.of(manager)
    if Survey.objects.filter(partnership_id=viewer.partnership_id).exists():
        return "Surveys are already loaded."
    template = TEMPLATES["escalation-awareness"]
    rng = random.Random(2026)  # noqa: S311 (synthetic answers, not secrets)
    today = timezone.localdate()
    made = 0
    for title, imported, agree in (
        (f"{template.title} (before the campaign)", True, 0.45),
        (template.title, False, 0.7),
    ):
        survey = surveys.create_survey(
            viewer,
            title=title,
            introduction=template.introduction,
            questions=template.questions,
            template=template.key,
        )
        questions = list(survey.questions.all())
        for link in survey.links.select_related("agency"):
            for _ in range(rng.randint(3, 25)):  # some agencies fewer than 5: suppressed
                answers = {}
                for q in questions:
                    if q.kind == Kind.LIKERT:
                        answers[q.pk] = [
                            rng.choice("45") if rng.random() < agree else rng.choice("123")
                        ]
                    elif q.kind == Kind.YES_NO:
                        answers[q.pk] = ["yes" if rng.random() < agree + 0.1 else "no"]
                    elif q.kind in (Kind.SINGLE, Kind.MULTIPLE):
                        answers[q.pk] = [rng.choice(q.options)]
                    else:
                        answers[q.pk] = (
                            ["Synthetic: a named contact in each agency."]
                            if rng.random() < 0.2
                            else []
                        )
                surveys.answer(link, answers, rng.choice(list(PractitionerRole.values)))
                made += 1
        if imported:
            survey.imported = True
            survey.created_on = today.replace(year=today.year - 1)
            survey.save(update_fields=["imported", "created_on"])
            survey.links.update(closed_on=today)
    return f"Loaded two runs of the escalation-awareness survey with {made} synthetic responses."


# (raising agency, agency challenged, category, working days ago raised, stages reached,
#  outcome or "" for open, whether the last stage ran late)
DEMO_ESCALATIONS = [
    (POLICE, COUNCIL, "threshold", 160, 1, "resolved_agreed", False),
    (SOLENT, COUNCIL, "closure", 150, 2, "resolved_changed", True),
    (EDUCATION, COUNCIL, "threshold", 140, 1, "resolved_changed", False),
    (COUNCIL, POLICE, "information_sharing", 120, 1, "resolved_agreed", False),
    (UHS, COUNCIL, "plan", 110, 3, "resolved_changed", True),
    (COUNCIL, SOLENT, "attendance", 95, 1, "withdrawn", False),
    (POLICE, COUNCIL, "closure", 80, 2, "resolved_agreed", False),
    (ICB, COUNCIL, "threshold", 60, 1, "resolved_agreed", True),
    (SOLENT, POLICE, "information_sharing", 45, 1, "resolved_agreed", False),
    (EDUCATION, COUNCIL, "plan", 30, 2, "", False),
    (POLICE, COUNCIL, "threshold", 12, 1, "", False),
    (COUNCIL, UHS, "attendance", 3, 1, "", False),
]
DEMO_LEARNING = "Synthetic: the agencies agreed how the threshold document applies to neglect."


def load_escalations(people: dict[str, Any]) -> str:
    """The escalation protocol, a year of escalations between the demo agencies (two past due,
    on the police's and children's services' to-do lists) and the Building Resilience Service
    with three quarters' returns. Skipped once any escalation exists."""
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from assure.core.calendar import add_working_days, working_days_between
    from assure.core.viewer import Viewer
    from assure.escalations import services
    from assure.escalations.models import Commission, Escalation

    manager = people["manager"]
    partnership = manager.agency.partnership
    if Escalation.objects.filter(partnership=partnership).exists():
        return "Escalations are already loaded."
    viewer = Viewer.of(manager)
    today = timezone.localdate()
    agencies = {a.name: a for a in partnership.agencies.all()}
    start = today - timedelta(days=400)
    services.add_protocol(
        viewer,
        title="Professional challenge and escalation protocol",
        version="3.1",
        link="https://example.org/sscp/escalation-protocol-v3-1.pdf",
        applies_from=start,
    )
    for raised_by, about, category, ago, reached, outcome, late in DEMO_ESCALATIONS:
        raised = today - timedelta(days=ago * 7 // 5)
        while working_days_between(raised, today) > ago:
            raised += timedelta(days=1)
        escalation = services.record_escalation(
            viewer,
            raised_by_agency=agencies[raised_by],
            about_agency=agencies[about],
            category=category,
            raised_date=raised,
            raised_by_role="Social worker" if raised_by == COUNCIL else "Safeguarding lead",
            concern="Synthetic: the practitioner disagrees with the decision and has said why.",
            child_id=f"DEMO{ago:04d}",
            today=today,
        )
        day = raised
        for number in range(2, reached + 1):
            day = add_working_days(day, 3 + number)
            services.escalate(viewer, escalation, min(day, today), today=today)
        if outcome:
            ended = add_working_days(day, 12 if late else 2)
            services.end_escalation(
                viewer, escalation, outcome=outcome, ended=min(ended, today),
                learning=DEMO_LEARNING, today=today,
            )  # fmt: skip
    brs = services.register_service(
        viewer,
        name=BRS,
        provider=agencies[BRS],
        commissioners=[agencies[COUNCIL], agencies[ICB]],
        contract_start=start,
        contract_end=None,
        offer_link="https://example.org/sscp/brs-service-offer.pdf",
        escalation_route_link="https://example.org/sscp/brs-contract-escalation-route.pdf",
    )
    quarter = services.quarter_of(today)
    for back in (3, 2, 1):
        first = quarter
        for _ in range(back):
            first = (first - timedelta(days=1)).replace(day=1)
            first = services.quarter_of(first)
        lines = [
            services.CommissionLine(kind, requested, due, delivered)
            for n, kind in enumerate((Commission.Kind.ASSESSMENT, Commission.Kind.REPORT) * 3)
            for requested in [first + timedelta(days=7 + 10 * n)]
            for due in [add_working_days(requested, 15)]
            for delivered in [add_working_days(requested, 12 + back * 2 + n % 3)]
            if requested <= today
        ]
        lines = [  # nothing delivered in the future
            replace(line, delivered=None) if line.delivered and line.delivered > today else line
            for line in lines
        ]
        made = services.submit_return(
            viewer, brs, quarter=first,
            referrals=[
                services.ReferralLine(agencies[COUNCIL], 14 + back, 11 + back),
                services.ReferralLine(agencies[EDUCATION], 6, 4),
                services.ReferralLine(agencies[SOLENT], 3, 3),
            ],
            commissions=lines, escalations=back - 1,
            narrative="Synthetic: referrals steady; assessment waiting times falling.",
        )  # fmt: skip
        if back == 3:
            services.decide_return(Viewer.of(people["board"]), made, sign_off=True)
        elif back == 2:
            services.decide_return(
                Viewer.of(people["learning"]), made, sign_off=False,
                questions="Synthetic: why were two reports late, and what changed?",
            )  # fmt: skip
    return f"Loaded {len(DEMO_ESCALATIONS)} escalations and the {BRS} with three returns."


# Each agency's declared workforce: (agency, role, headcount)
DEMO_WORKFORCE = [
    (COUNCIL, "social_worker", 180),
    (POLICE, "police_cae", 45),
    (SOLENT, "school_nurse", 30),
    (SOLENT, "health_visitor", 60),
    (ICB, "gp", 120),
    (EDUCATION, "dsl", 90),
]
CSAFE_COURSE = "CSAFE multi-agency one-day training"


def load_workforce(people: dict[str, Any]) -> str:
    """Workforce learning for recommendations 1, 5 and 9: a learning synopsis and a briefing
    shared by some agencies, each agency's declared workforce, and the CSAFE course's
    attendance with confidence before and after. Skipped once a product exists."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from assure.core.viewer import Viewer
    from assure.reviews.models import Recommendation
    from assure.workforce import services
    from assure.workforce.models import Course, LearningProduct

    manager = Viewer.of(people["manager"])
    partnership = people["manager"].agency.partnership
    if LearningProduct.objects.filter(partnership=partnership).exists():
        return "Workforce learning is already loaded."
    today = timezone.localdate()
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
    for agency, role, headcount in DEMO_WORKFORCE:
        services.declare_workforce(
            manager,
            agency=agencies[agency],
            role=role,
            headcount=headcount,
            as_of=today - timedelta(days=120),
        )
    recs = {r.number: r for r in Recommendation.objects.filter(partnership=partnership)}
    synopsis = services.publish_product(
        manager,
        title="Learning synopsis: Freddie",
        kind="synopsis",
        published_on=today - timedelta(days=90),
        recommendations=[recs[n] for n in (1,) if n in recs],
        link="https://example.org/learning/freddie-synopsis",
    )
    services.publish_product(
        manager,
        title="Seven-minute briefing: child sexual abuse in the family",
        kind="briefing",
        published_on=today - timedelta(days=60),
        recommendations=[recs[n] for n in (5,) if n in recs],
        link="https://example.org/learning/csafe-briefing",
    )
    for agency, days, reached in ((POLICE, 70, 30), (SOLENT, 50, 55), (COUNCIL, 40, 120)):
        services.record_dissemination(
            manager,
            synopsis,
            agency=agencies[agency],
            on=today - timedelta(days=days),
            methods=["team_meetings", "newsletter"],
            staff_reached=reached,
        )
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    rows = [
        "course,session_date,agency,role,attendee_ref,attended,confidence_before,confidence_after"
    ]
    for agency, role, headcount in DEMO_WORKFORCE[:4]:
        for n in range(headcount // 3):
            session = today - timedelta(days=rng.choice((25, 55, 85)))
            before = rng.choice((1, 2, 2, 3, 3))
            after = min(5, before + rng.choice((0, 1, 1, 2)))
            attended = "Y" if rng.random() < 0.9 else "N"
            rows.append(
                f"{CSAFE_COURSE},{session.isoformat()},{agency},{role},{role[:3].upper()}-{n:04d},"
                f"{attended},{before},{after}"
            )
    result = services.import_training(manager, "demo-attendance.csv", "\n".join(rows).encode())
    if not result.ok:
        raise RuntimeError(f"The demo attendance did not import: {result.problems[:3]}")
    course = Course.objects.get(partnership=partnership, title=CSAFE_COURSE)
    services.edit_course(
        manager,
        course,
        recommendations=[recs[n] for n in (9,) if n in recs],
        roles=[],
        target=0.6,
    )
    return f"Loaded workforce learning: 2 products, {result.rows} attendance rows."


def _working_day_at(day: Any) -> Any:
    """10 in the morning of `day`, or of the next working day if it is not one."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from assure.core.calendar import is_working_day

    while not is_working_day(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(10)))


def load_self_assessments(people: dict[str, Any]) -> str:
    """Section 11 rounds: last year's, submitted and challenged by the learning group; this
    year's, with Solent's submitted (and an improvement action) awaiting challenge and the
    police's still to rate. Skipped once a round exists."""
    from datetime import date, timedelta

    from django.utils import timezone

    from assure.reviews.models import Review
    from assure.selfassessment import services
    from assure.selfassessment.models import Framework, Rating, Round

    manager, learning = Viewer.of(people["manager"]), Viewer.of(people["learning"])
    partnership = manager.required_partnership()
    if Round.objects.filter(partnership=partnership).exists():
        return "Self-assessment rounds are already loaded."
    services.ensure_builtin_frameworks(partnership)
    framework = Framework.objects.get(partnership=partnership, key="section-11", version=1)
    standards = list(framework.standards.all())
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
    leads = {POLICE: people["police"], SOLENT: people["health"]}
    today = timezone.localdate()
    pattern = [Rating.FULLY_MET, Rating.PARTLY_MET, Rating.FULLY_MET, Rating.FULLY_MET]
    pattern += [Rating.NOT_MET, Rating.PARTLY_MET, Rating.FULLY_MET, Rating.PARTLY_MET]

    def rate(submission: Any, ratings: list[Rating], note: str, at: Any = None) -> None:
        services.save_ratings(
            Viewer.of(leads[submission.agency.name]),
            submission,
            {s.pk: services.Rated(r, note) for s, r in zip(standards, ratings, strict=True)},
            submit=True,
            at=at,
        )

    year = today.year if today.month >= 4 else today.year - 1
    # Last year's round lived inside last financial year, so the year-on-year dashboard and a
    # past quarter's report read it as it was: opened in June, due at the end of September,
    # submitted in September and challenged in October, each on a working day.
    last_opened = _working_day_at(date(year - 1, 6, 2))
    last = services.open_round(
        manager,
        name=f"Section 11 {year - 1}-{str(year)[2:]}",
        framework=framework,
        agencies=[agencies[POLICE], agencies[SOLENT]],
        due_date=_working_day_at(date(year - 1, 9, 30)).date(),
    )
    Round.objects.filter(pk=last.pk).update(created_at=last_opened)
    Review.objects.filter(pk=last.review_id).update(created_at=last_opened)
    submitted_on = {POLICE: date(year - 1, 9, 12), SOLENT: date(year - 1, 9, 24)}
    for submission in last.submissions.select_related("agency"):
        name = submission.agency.name
        rate(
            submission,
            [Rating.PARTLY_MET] * 8,
            "Synthetic: last year's self-assessment.",
            at=_working_day_at(submitted_on[name]),
        )
        submission.refresh_from_db()
        decisions = {s.pk: services.Challenged(Rating.PARTLY_MET) for s in standards}
        decisions[standards[4].pk] = services.Challenged(
            Rating.NOT_MET, "Synthetic: training records showed under half of staff trained."
        )
        challenged_on = date(year - 1, 10, 14 if name == POLICE else 21)
        services.challenge(learning, submission, decisions, at=_working_day_at(challenged_on))

    current = services.open_round(
        manager,
        name=f"Section 11 {year}-{str(year + 1)[2:]}",
        framework=framework,
        agencies=[agencies[n] for n in (POLICE, SOLENT, UHS, COUNCIL)],
        due_date=today + timedelta(days=30),
    )
    solent = current.submissions.get(agency=agencies[SOLENT])
    rate(solent, pattern, "Synthetic: seen in the trust's safeguarding report.")
    services.add_improvement_action(
        Viewer.of(people["health"]),
        solent,
        standard=standards[4],
        description="Bring level 3 safeguarding training to 90% of community staff",
        owner=people["health"],
        due_date=today + timedelta(days=120),
    )
    return "Two Section 11 rounds: last year's challenged, this year's in progress."


AWARE = "Are you aware of the partnership's escalation protocol?"


def link_measures(people: dict[str, Any]) -> str:
    """Recommendations 8 and 9 of the Freddie review linked to the measures the surveys,
    escalations, workforce and self-assessment loaders made: recommendation 8 (awareness of the
    escalation protocol) to this year's awareness survey question and the share of escalations
    resolved at stage 1, target 80%; recommendation 9 (practitioners' knowledge and confidence)
    to the CSAFE course's reach and Section 11 standard 5 (training); and one police action
    on recommendation 8 assured, so its page shows them. Run after those loaders; nothing is
    linked or assured twice."""
    from assure.reviews import services
    from assure.reviews.models import Recommendation
    from assure.selfassessment.measures import measure_id as standard_measure
    from assure.surveys.measures import measure_id as survey_measure
    from assure.surveys.models import Question
    from assure.workforce.models import Course

    manager = Viewer.of(people["manager"])
    partnership = manager.required_partnership()
    question = (
        Question.objects.filter(survey__partnership=partnership, survey__imported=False, text=AWARE)
        .order_by("-survey__created_on", "-survey_id")
        .first()
    )
    course = Course.objects.filter(partnership=partnership, title=CSAFE_COURSE).first()
    wanted = {
        8: [survey_measure(question.pk)] if question else [],
        9: [f"course:{course.pk}"] if course else [],
    }
    wanted[8].append("escalation:resolved_stage_1")
    wanted[9].append(standard_measure("section-11", 5))
    linked = 0
    freddie = Recommendation.objects.filter(
        review__partnership=partnership, review__pseudonym="Freddie", number__in=list(wanted)
    ).prefetch_related("agencies", "themes")
    for recommendation in freddie:
        new = [m for m in wanted[recommendation.number] if m not in recommendation.measures]
        if not new:
            continue
        services.save_recommendation(
            manager,
            recommendation,
            agencies=list(recommendation.agencies.all()),
            themes=list(recommendation.themes.all()),
            measures=[*recommendation.measures, *new],
            measure_target=80,
        )
        linked += len(new)
    assured = _assure_one_on(manager, partnership, 8)
    if not linked and not assured:
        return "Survey, escalation, course and standard measures are already linked."
    return (
        f"Linked {linked} survey, escalation, course and standard measures to recommendations"
        + (", and assured a police action on recommendation 8." if assured else ".")
    )


def _assure_one_on(manager: Viewer, partnership: Partnership, number: int) -> bool:
    """The police's first open action on the Freddie recommendation `number` carried to
    assured, so its page asks whether the change has stuck by the linked measures; nothing
    when one of the recommendation's actions is already assured or embedded."""
    from assure.reviews.models import Action, ActionStatus

    actions = Action.objects.filter(
        recommendation__review__partnership=partnership,
        recommendation__review__pseudonym="Freddie",
        recommendation__number=number,
    )
    if actions.filter(status__in=[ActionStatus.ASSURED, ActionStatus.EMBEDDED]).exists():
        return False
    police = (
        actions.filter(
            agency__name=POLICE,
            owner__isnull=False,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
        )
        .select_related("owner")
        .order_by("pk")
        .first()
    )
    if police is None:
        return False
    _progress(manager, [police], ActionStatus.ASSURED)
    return True
