"""Every URL pattern, for every role, in its own partnership and another, by GET and POST.

The patterns come from the URL resolver, so a new URL is walked as soon as it exists and
fails this test until GUARDS declares the matrix cell that guards it.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
from assure.accounts.services import ensure_partnership_agency
from assure.audits.models import Audit, Moderation, PracticeAction, Programme, Tool
from assure.audits.tools import ensure_builtin_tools
from assure.core.permissions import ROLE_ORDER, Scope, role_scope
from assure.core.viewer import Viewer
from assure.escalations.models import CommissionedService, Escalation, ServiceReturn, Stage
from assure.indicators.engine import REGISTRY, load_catalogue
from assure.reports.models import Format, Report, ReportFailure, ReportRequest
from assure.reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Recommendation,
    Review,
)
from assure.selfassessment.models import Framework, Rating, StandardRating
from assure.selfassessment.services import ensure_builtin_frameworks, open_round
from assure.surveys.services import create_survey
from assure.surveys.templates import TEMPLATES
from assure.workforce.models import Course, Dissemination, LearningProduct

PUBLIC = "public"  # anyone, signed in or not
ANY_PERSON = "any person"  # every signed-in person: their own account, home, session


@dataclass(frozen=True)
class Guard:
    """The matrix cell guarding a URL and what its path parameters name."""

    cell: tuple[str, str] | str
    child_level: bool = False
    params: dict[str, str] = field(default_factory=dict)
    post_by_owner_only: bool = False  # a POST may also be refused to all but the record's person


def cell(
    resource: str,
    action: str,
    *,
    child_level: bool = False,
    post_by_owner_only: bool = False,
    **params: str,
) -> Guard:
    return Guard((resource, action), child_level, params, post_by_owner_only)


# Every URL by name (or, for the admin's unnamed patterns, by route). Objects named by `pk`
# are given per URL; other parameters are filled by their name (see `_value`).
GUARDS: dict[str, Guard] = {
    # Signing in and public pages
    "accounts:sign-in": Guard(PUBLIC),
    "accounts:sign-out": Guard(PUBLIC),
    "accounts:signed-out": Guard(PUBLIC),
    "accounts:sso-start": Guard(PUBLIC),
    "accounts:sso-callback": Guard(PUBLIC),
    "accounts:password-reset": Guard(PUBLIC),
    "accounts:password-reset-sent": Guard(PUBLIC),
    "accounts:password-reset-confirm": Guard(PUBLIC),
    "accounts:password-reset-done": Guard(PUBLIC),
    "accounts:mfa-verify": Guard(PUBLIC),
    "accounts:mfa-set-up": Guard(PUBLIC),
    "accounts:unlock-request": Guard(PUBLIC),
    "accounts:unlock": Guard(PUBLIC),
    "ops:healthz": Guard(PUBLIC),
    "ops:first-sign-in": Guard(PUBLIC),
    "core:cookies": Guard(PUBLIC),
    "core:accessibility": Guard(PUBLIC),
    "favicon": Guard(PUBLIC),
    "otp_webauthn:credential-authentication-begin": Guard(PUBLIC),
    "otp_webauthn:credential-authentication-complete": Guard(PUBLIC),
    "otp_webauthn:js-i18n-catalog": Guard(PUBLIC),
    # A person's own account and session
    "core:home": Guard(ANY_PERSON),
    "core:keep-alive": Guard(ANY_PERSON),
    "core:session-status": Guard(ANY_PERSON),
    "accounts:password-change": Guard(ANY_PERSON),
    "accounts:mfa-recovery-codes": Guard(ANY_PERSON),
    "accounts:security": Guard(ANY_PERSON),
    "accounts:passkey-remove": Guard(ANY_PERSON, params={"pk": "passkey"}),
    "otp_webauthn:credential-registration-begin": Guard(ANY_PERSON),
    "otp_webauthn:credential-registration-complete": Guard(ANY_PERSON),
    # Reviews, recommendations and actions
    "reviews:overview": cell("review", "view"),
    "reviews:create": cell("review", "manage"),
    "reviews:detail": cell("review", "view", pk="review"),
    "reviews:edit": cell("review", "manage", pk="review"),
    "reviews:import": cell("review", "manage", pk="review"),
    "reviews:confirm-import": cell("review", "manage", pk="review"),
    "reviews:progress-report": cell("review", "view", pk="review"),
    "reviews:progress-report-pdf": cell("review", "view", pk="review"),
    "reviews:add-recommendation": cell("review", "manage"),
    "reviews:edit-recommendation": cell("review", "manage", pk="recommendation"),
    "reviews:add-action": cell("review", "manage"),
    "reviews:edit-action": cell("action", "edit", pk="action"),
    "reviews:actions": cell("action", "view"),
    "reviews:my-actions": cell("action", "update"),
    "reviews:queue": cell("action", "assure"),
    "reviews:export": cell("action", "export"),
    "reviews:action": cell("action", "view", pk="action"),
    "reviews:evidence": cell("evidence", "download", pk="evidence"),
    # Case data and trackers
    "casedata:imports": cell("case_data", "import"),
    "indicators:catalogue": cell("case_data", "view"),
    "indicators:weekly": cell("case_data", "view", child_level=True),
    "indicators:indicator": cell("case_data", "view"),
    "indicators:children": cell("case_data", "view", child_level=True),
    # Quality assurance case audits
    "audits:mine": cell("audit", "do", child_level=True),
    "audits:audit": cell(
        "audit", "view", child_level=True, post_by_owner_only=True, pk="audit"
    ),  # every child-level reader sees it; only its auditor answers
    "audits:add-practice-action": cell("audit", "do", child_level=True, pk="audit"),
    "audits:practice-update": cell("audit", "do", child_level=True, pk="practice_action"),
    "audits:programmes": cell("audit", "manage"),
    "audits:new-programme": cell("audit", "manage"),
    "audits:programme": cell("audit", "manage", pk="programme"),
    "audits:tools": cell("audit", "manage"),
    "audits:new-tool": cell("audit", "manage"),
    "audits:new-version": cell("audit", "manage", pk="tool"),
    "audits:moderation": cell("audit", "moderate", child_level=True, pk="moderation"),
    "audits:agreement": cell("audit", "view"),
    "audits:dashboard": cell("audit", "view"),
    "audits:export-grades": cell("audit", "view"),
    "audits:moderation-sheet": cell("audit", "view", child_level=True),
    # Practitioner surveys (the answer pages are public: anyone with an agency's link)
    "surveys:list": cell("survey", "view"),
    "surveys:new": cell("survey", "manage"),
    "surveys:survey": cell("survey", "view", pk="survey"),
    "surveys:export": cell("survey", "view", pk="survey"),
    "surveys:compare": cell("survey", "view", pk="survey"),
    "surveys:close-link": cell("survey", "manage", pk="survey_link"),
    "surveys:answer": Guard(PUBLIC),
    "surveys:thanks": Guard(PUBLIC),
    # Agency self-assessments (a submission is rated by its own agency's lead)
    "selfassessment:rounds": cell("selfassessment", "view"),
    "selfassessment:new-round": cell("selfassessment", "manage"),
    "selfassessment:round": cell("selfassessment", "view", pk="round"),
    "selfassessment:rate": cell("selfassessment", "rate", pk="submission"),
    "selfassessment:add-action": cell("selfassessment", "rate", pk="submission"),
    "selfassessment:challenge": cell("selfassessment", "challenge", pk="submission"),
    "selfassessment:evidence": cell("evidence", "download", pk="rating"),
    "selfassessment:frameworks": cell("selfassessment", "manage"),
    "selfassessment:edit-framework": cell("selfassessment", "manage", pk="framework"),
    # Professional challenge and escalation; commissioned services
    "escalations:log": cell("escalation", "notes"),
    "escalations:new": cell("escalation", "record"),
    "escalations:detail": cell("escalation", "notes", pk="escalation"),
    "escalations:next-stage": cell("escalation", "record", pk="escalation"),
    "escalations:end": cell("escalation", "record", pk="escalation"),
    "escalations:dashboard": cell("escalation", "view"),
    "escalations:export": cell("escalation", "view"),
    "escalations:protocol": cell("escalation", "protocol"),
    "escalations:services": cell("service", "view"),
    "escalations:new-service": cell("service", "manage"),
    "escalations:service": cell("service", "view", pk="service"),
    "escalations:submit-return": cell("service", "return", pk="service"),
    "escalations:return": cell("service", "view", pk="service_return"),
    "escalations:decide": cell("service", "sign_off", pk="service_return"),
    # Assurance reports
    "reports:list": cell("report", "view"),
    "reports:make": cell("report", "make"),
    "reports:again": cell("report", "make", pk="report_request"),
    "reports:report": cell("report", "view", pk="report"),
    "reports:file": cell("report", "view", pk="report"),
    # Workforce learning
    "workforce:overview": cell("workforce", "view"),
    "workforce:new-product": cell("workforce", "manage"),
    "workforce:product": cell("workforce", "view", pk="product"),
    "workforce:product-file": cell("workforce", "view", pk="product"),
    "workforce:proof": cell("evidence", "download", pk="dissemination"),
    "workforce:disseminate": cell("workforce", "record", pk="product"),
    "workforce:workforce": cell("workforce", "view"),
    "workforce:declare": cell("workforce", "record"),
    "workforce:edit-course": cell("workforce", "manage", pk="course"),
    "workforce:course": cell("workforce", "view", pk="course"),
    "workforce:import": cell("workforce", "manage"),
    # The audit trail and the admin site (people, agencies, roles)
    "core:audit": cell("audit_trail", "view"),
}
ADMIN = cell("user", "manage")  # every admin: pattern; unnamed ones too
# The admin pages a system administrator must reach. Elsewhere in the admin site a 403 can
# be by design for them too: nothing is ever deleted, and other apps' models are not theirs.
ADMIN_PAGES_FOR_ADMINISTRATORS = {
    "admin:index",
    "admin:accounts_partnership_changelist",
    "admin:accounts_agency_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_rolegrant_changelist",
    "admin:accounts_mfareset_changelist",
}

# Each role held by a person of a fitting agency: "partner" is a partner agency (police).
ROLE_AGENCY = {
    Role.PARTNERSHIP_MANAGER: "partnership",
    Role.LEARNING_GROUP_MEMBER: "partnership",
    Role.AGENCY_LEAD: "partner",
    Role.BOARD_MEMBER: "partner",
    Role.CONFERENCE_CHAIR: "council",
    Role.CHILDRENS_SERVICES_MANAGER: "council",
    Role.QUALITY_AUDITOR: "council",
    Role.SYSTEM_ADMINISTRATOR: "partnership",
}


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(declared name, route) for every pattern, however deeply included."""
    found = []
    for entry in resolvers:
        route = prefix + _route(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}" if entry.name else namespace + route, route))
    return found


def _route(pattern: Any) -> str:
    text = str(pattern)
    return text.lstrip("^").rstrip("$") if text.startswith("^") or text.endswith("$") else text


@dataclass
class World:
    """One partnership's records, one person per role, and a client signed in as each."""

    partnership: Partnership
    people: dict[str, User]
    records: dict[str, Any]


def _world(name: str) -> World:
    partnership = Partnership.objects.create(name=f"{name} Safeguarding Children Partnership")
    agencies = {
        "partnership": ensure_partnership_agency(partnership),
        "council": Agency.objects.create(
            partnership=partnership,
            name=f"{name} children's services",
            agency_type=Agency.Type.LA_CHILDRENS_SERVICES,
        ),
        "partner": Agency.objects.create(
            partnership=partnership, name=f"{name} Police", agency_type=Agency.Type.POLICE
        ),
    }
    people: dict[str, User] = {}
    for role in ROLE_ORDER:
        person = User.objects.create_user(
            username=f"{name}-{role}", agency=agencies[ROLE_AGENCY[role]], password="x"
        )
        RoleGrant.objects.create(user=person, role=role, scope=RoleGrant.Scope.ALL)
        people[role] = person
    review = Review.objects.create(
        partnership=partnership, review_type=Review.Type.LCSPR, pseudonym=f"{name} child"
    )
    recommendation = Recommendation.objects.create(
        partnership=partnership, review=review, number=1, text="Share information sooner."
    )
    actions: dict[int, Action] = {}
    evidence: dict[int, Evidence] = {}
    for key in ("council", "partner"):
        owner = people[Role.AGENCY_LEAD if key == "partner" else Role.CHILDRENS_SERVICES_MANAGER]
        action = Action.objects.create(
            partnership=partnership,
            recommendation=recommendation,
            agency=agencies[key],
            description="Train staff on sharing notifications",
            owner=owner,
            success_measure="Audit of 20 notifications shows 90% shared within a day",
            due_date=date(2026, 3, 31),
            status=ActionStatus.IN_PROGRESS,
        )
        update = ActionUpdate.objects.create(
            partnership=partnership,
            action=action,
            narrative="Begun",
            status=action.status,
            author=owner,
        )
        evidence[agencies[key].pk] = Evidence.objects.create(
            partnership=partnership,
            update=update,
            file=ContentFile(b"%PDF-1.4 synthetic", name="minutes.pdf"),
            original_name="minutes.pdf",
            stored_name=f"{name}-{key}.pdf",
            content_type="application/pdf",
        )
        actions[agencies[key].pk] = action
    ensure_builtin_tools(partnership)
    tool = Tool.objects.get(partnership=partnership, slug="cp-plan-quality")
    manager = people[Role.PARTNERSHIP_MANAGER]
    programme = Programme.objects.create(
        partnership=partnership,
        tool_version=tool.latest_version(),
        month=date(2025, 11, 1),
        per_team=2,
        seed=7,
        created_by=manager,
    )
    auditor = people[Role.QUALITY_AUDITOR]
    record = Audit.objects.create(
        programme=programme,
        partnership=partnership,
        person_id="P1",
        team="East",
        auditor=auditor,
        due_date=date(2026, 1, 7),
    )
    practice = PracticeAction.objects.create(
        audit=record,
        text="Update the plan",
        owner=auditor,
        due_date=date(2026, 1, 30),
        created_by=auditor,
    )
    moderation = Moderation.objects.create(
        audit=record,
        moderator=people[Role.CONFERENCE_CHAIR],
        audit_version=1,
        finished_at=timezone.now(),  # unfinished, only its moderator may see it (blind)
    )
    survey = create_survey(
        Viewer.of(manager),
        title="Escalation awareness",
        introduction="",
        questions=TEMPLATES["escalation-awareness"].questions,
    )
    ensure_builtin_frameworks(partnership)
    framework = Framework.objects.get(partnership=partnership, key="section-11")
    round_ = open_round(
        Viewer.of(manager),
        name="Section 11 2026-27",
        framework=framework,
        agencies=[agencies["council"], agencies["partner"]],
        due_date=date(2026, 6, 30),
    )
    submissions = {s.agency_id: s for s in round_.submissions.all()}
    ratings = {
        agency_id: StandardRating.objects.create(
            submission=submission,
            standard=framework.standards.get(number=1),
            rating=Rating.PARTLY_MET,
            evidence_file=ContentFile(b"%PDF-1.4 synthetic", name=f"{name}-{agency_id}.pdf"),
            evidence_name="policy.pdf",
            evidence_type="application/pdf",
        )
        for agency_id, submission in submissions.items()
    }
    escalation = Escalation.objects.create(
        partnership=partnership,
        reference="E1",
        raised_by_agency=agencies["council"],
        about_agency=agencies["partner"],
        category="threshold",
        raised_date=date(2026, 1, 5),
        child_id="P1",
    )
    Stage.objects.create(
        escalation=escalation,
        partnership=partnership,
        number=1,
        started=date(2026, 1, 5),
        due=date(2026, 1, 12),
    )
    service = CommissionedService.objects.create(
        partnership=partnership,
        name="Building Resilience Service",
        provider=agencies["partner"],
        contract_start=date(2025, 4, 1),
        offer_link="https://example.org/offer",
        escalation_route_link="https://example.org/route",
    )
    service_return = ServiceReturn.objects.create(
        service=service,
        partnership=partnership,
        quarter=date(2025, 10, 1),
        narrative="Synthetic quarter",
        submitted_by=people[Role.AGENCY_LEAD],
    )
    report = Report.objects.create(
        partnership=partnership,
        period="2026-Q1",
        format=Format.HTML,
        digest="0" * 64,
        file=ContentFile(b"<!DOCTYPE html><title>Report</title>", name="report.html"),
        stamp={"partnership": partnership.name},
    )
    report_request = ReportRequest.objects.create(
        partnership=partnership, period="2026-Q1", format=Format.PDF
    )
    ReportFailure.objects.create(request=report_request, reason="Synthetic failure")
    product = LearningProduct.objects.create(
        partnership=partnership,
        title="Seven-minute briefing",
        kind=LearningProduct.Kind.BRIEFING,
        published_on=date(2026, 1, 5),
        file=ContentFile(b"%PDF-1.4 synthetic", name="briefing.pdf"),
        stored_name=f"{name}-briefing.pdf",
        original_name="briefing.pdf",
        content_type="application/pdf",
    )
    disseminations = {
        agencies[key].pk: Dissemination.objects.create(
            partnership=partnership,
            product=product,
            agency=agencies[key],
            date=date(2026, 1, 12),
            methods=["team_meetings"],
            staff_reached=12,
            file=ContentFile(b"%PDF-1.4 synthetic", name="minutes.pdf"),
            stored_name=f"{name}-{key}-proof.pdf",
            original_name="minutes.pdf",
            content_type="application/pdf",
        )
        for key in ("council", "partner")
    }
    course = Course.objects.create(partnership=partnership, title="CSAFE one-day training")
    return World(
        partnership,
        people,
        {
            "escalation": escalation,
            "service": service,
            "service_return": service_return,
            "product": product,
            "dissemination": disseminations,
            "course": course,
            "review": review,
            "recommendation": recommendation,
            "actions": actions,
            "evidence": evidence,
            "tool": tool,
            "programme": programme,
            "audit": record,
            "practice_action": practice,
            "moderation": moderation,
            "survey": survey,
            "survey_link": survey.links.first(),
            "report": report,
            "report_request": report_request,
            "round": round_,
            "submissions": submissions,
            "ratings": ratings,
            "framework": framework,
        },
    )


def _pk(world: World, kind: str, person: User) -> int:
    """The record's id; an action or evidence of the person's own agency where there is one."""
    if kind == "passkey":  # the person's own, or one from the other partnership
        mine = person in world.people.values()
        owner = person if mine else world.people[Role.PARTNERSHIP_MANAGER]
        return _passkey(owner).pk
    if kind in ("actions", "evidence", "action", "dissemination", "submission", "rating"):
        named = {
            "evidence": "evidence",
            "dissemination": "dissemination",
            "submission": "submissions",
            "rating": "ratings",
        }
        by_agency = world.records[named.get(kind, "actions")]
        council = next(iter(by_agency))
        return by_agency.get(person.agency_id, by_agency[council]).pk
    return world.records[kind].pk


def _passkey(person: User) -> WebAuthnCredential:
    """The person's passkey, made again after a POST removed it."""
    key, _ = WebAuthnCredential.objects.get_or_create(
        user=person,
        defaults={"name": "Key", "confirmed": True, "credential_id": person.username.encode()},
    )
    return key


def _value(name: str, guard: Guard, world: World, person: User) -> str:
    if name == "pk" and "pk" in guard.params:
        return str(_pk(world, guard.params["pk"], person))
    fixed = {
        "review_pk": lambda: world.records["review"].pk,
        "recommendation_pk": lambda: world.records["recommendation"].pk,
        "indicator_id": lambda: next(iter(sorted(REGISTRY))),
        "fmt": lambda: "csv",
        "uidb64": lambda: "MQ",
        "token": lambda: "set-password",
        "app_label": lambda: "accounts",
        "object_id": lambda: person.pk,
        "id": lambda: person.pk,
        "pk": lambda: person.pk,  # the admin's own views
        "content_type_id": lambda: 1,
        "url": lambda: "nothing-here/",
    }
    return str(fixed[name]())


def _path(route: str, guard: Guard, world: World, person: User) -> str:
    filled = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _value(m.group(1), guard, world, person), route)
    filled = re.sub(
        r"\(\?P<(\w+)>[^)]*\)", lambda m: _value(m.group(1), guard, world, person), filled
    )
    return "/" + filled


def _allowed(guard: Guard, role: str) -> bool:
    """Whether the matrix gives the role this URL's cell."""
    if isinstance(guard.cell, str):  # PUBLIC or ANY_PERSON
        return True
    resource, action = guard.cell
    scope = role_scope(role, resource, action)
    return scope >= Scope.CHILD_LEVEL if guard.child_level else scope > Scope.NONE


@pytest.fixture
def worlds(db: None, settings: Any, tmp_path: Any) -> tuple[World, World]:
    settings.MEDIA_ROOT = tmp_path
    load_catalogue()
    return _world("Testshire"), _world("Otherton")


def test_every_url_is_declared_guarded_and_scoped(worlds: tuple[World, World]) -> None:
    ours, theirs = worlds
    patterns = _patterns(get_resolver().url_patterns)
    undeclared = [n for n, _ in patterns if n not in GUARDS and not n.startswith("admin:")]
    assert not undeclared, f"declare which permission guards {', '.join(undeclared)}"

    failures: list[str] = []
    for role in ROLE_ORDER:
        person = ours.people[role]
        client = Client(enforce_csrf_checks=False, raise_request_exception=False)
        client.force_login(person)
        for name, route in patterns:
            guard = ADMIN if name.startswith("admin:") else GUARDS[name]
            allowed = _allowed(guard, role)
            must_reach = allowed and (
                not name.startswith("admin:") or name in ADMIN_PAGES_FOR_ADMINISTRATORS
            )
            own_url = _path(route, guard, ours, person)
            their_url = _path(route, guard, theirs, person)
            for world, url in [(ours, own_url)] + [(theirs, their_url)] * (their_url != own_url):
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    said = f"{role} {method.upper()} {url} ({name}) -> {status}"
                    if status == 405:
                        continue  # a method the view does not take, before any permission
                    if status == 500:
                        failures.append(f"{said}: server error")
                    elif world is theirs and status not in (403, 404):
                        failures.append(f"{said}: another partnership's record not refused")
                    elif world is theirs:
                        continue
                    elif must_reach and status == 403:
                        if not (method == "post" and guard.post_by_owner_only):
                            failures.append(f"{said}: refused though {guard.cell} allows it")
                    elif not allowed and status != 403:
                        failures.append(f"{said}: not refused though {guard.cell} gives none")
                if name in ("accounts:sign-out", "admin:logout"):
                    client.force_login(person)  # signing out ends the session: sign in again
    assert not failures, "\n".join(failures)
