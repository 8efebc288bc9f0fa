"""The partnership as an owner: its learning group and business unit form one agency of its own."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.urls import reverse

from assure import demo
from assure.accounts.models import Agency, Partnership, Role
from assure.accounts.services import ensure_partnership_agency
from assure.core.permissions import Scope, can, scope_for
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, Recommendation, Review

MIGRATION = importlib.import_module("assure.accounts.migrations.0003_partnership_agency")


def test_the_fixture_gives_the_partnership_its_agency(partnership, partnership_agency) -> None:
    assert partnership_agency.partnership == partnership
    assert partnership_agency.is_partnership
    assert not partnership_agency.is_childrens_services
    assert partnership_agency.name == (
        "Testshire Safeguarding Children Partnership: learning group and business unit"
    )
    assert ensure_partnership_agency(partnership) == partnership_agency  # never a second


def test_only_one_partnership_agency_per_partnership(partnership, partnership_agency) -> None:
    with pytest.raises(IntegrityError):
        Agency.objects.create(
            partnership=partnership, name="Another unit", agency_type=Agency.Type.PARTNERSHIP
        )


def test_the_migration_adds_one_to_each_partnership_that_lacks_it(partnership, police) -> None:
    other = Partnership.objects.create(name="Elsewhere partnership", short_name="EP")
    ensure_partnership_agency(other)
    MIGRATION.add_partnership_agencies(apps, None)
    MIGRATION.add_partnership_agencies(apps, None)  # running again changes nothing
    units = Agency.objects.filter(agency_type=Agency.Type.PARTNERSHIP).order_by("name")
    assert [a.name for a in units] == [
        "EP: learning group and business unit",
        "Testshire Safeguarding Children Partnership: learning group and business unit",
    ]


def test_the_demo_partnership_has_its_unit(db) -> None:
    found = demo.partnership()
    demo.partnership()
    assert list(found.agencies.filter(agency_type=Agency.Type.PARTNERSHIP).values_list("name")) == [
        ("SSCP: learning group and business unit",)
    ]


def test_it_owns_actions_and_its_staff_edit_them(
    client, make_user, partnership_agency, police
) -> None:
    manager = make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency)
    officer = make_user(Role.AGENCY_LEAD, agency=partnership_agency, username="unitofficer")
    review = services.save_review(
        Viewer.of(manager), Review(), {"review_type": "lcspr", "pseudonym": "Ali"}
    )
    recommendation = services.save_recommendation(
        Viewer.of(manager),
        Recommendation(review=review),
        number=1,
        text="Publish a learning briefing.",
    )
    action = services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=partnership_agency),
        description="Publish a seven-minute briefing on the review's learning",
    )
    client.force_login(officer)
    url = reverse("reviews:edit-action", args=[recommendation.pk, action.pk])
    page = client.get(url).content.decode()
    assert f'value="{officer.pk}"' in page
    form = {"version": action.version, "description": action.description, "owner": officer.pk}
    assert client.post(url, form | {"due_date": "2026-07-31"}).status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.due_date) == (officer, date(2026, 7, 31))
    assert not can(officer, "action", "edit", agency_id=police.pk)


def test_its_staff_are_not_children_services_in_tracker_scoping(
    make_user, partnership_agency
) -> None:
    """A business unit officer given a child-level role by mistake still sees aggregates."""
    officer = make_user(Role.CONFERENCE_CHAIR, agency=partnership_agency)
    assert scope_for(officer, "case_data", "view") == Scope.PARTNERSHIP
    assert not can(officer, "case_data", "view", child_level=True)


def test_a_partnership_added_in_the_admin_gets_its_unit(client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_partnership_add"),
        {
            "name": "Newshire Safeguarding Children Partnership",
            "short_name": "NSCP",
            "embed_months": 3,
        },
    )
    assert response.status_code == 302
    added = Partnership.objects.get(short_name="NSCP")
    assert added.agencies.get().name == "NSCP: learning group and business unit"


def test_the_admin_site_offers_no_page_showing_a_second_factor_secret() -> None:
    """django-otp's device pages show a person's key as a QR code: not in our admin site."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        assert not admin.site.is_registered(model), model
