"""The demo partnership's escalations and commissioned service, so the pages are not empty."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assure.accounts.models import User
from assure.core.viewer import Viewer
from assure.escalations import figures
from assure.escalations.models import Escalation, ServiceReturn
from assure.reviews.todo import todo_for


@pytest.mark.django_db
def test_demo_loads_escalations_and_returns_once(settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", "--children", "0", stdout=out)
    assert "Loaded 12 escalations" in out.getvalue()
    call_command("load_demo", "--children", "0", stdout=StringIO())
    assert Escalation.objects.count() == 12
    today = timezone.localdate()
    police = todo_for(Viewer.of(User.objects.get(username="police")), today).escalations
    assert police is not None
    assert police.count == 1
    found = figures.compute(
        Escalation.objects.earliest("pk").partnership_id,  # ids differ by database
        today.replace(year=today.year - 1),
        today,
    )
    assert found.raised == 12
    assert found.resolved_at_stage_1 >= 3
    assert sorted(ServiceReturn.objects.values_list("status", flat=True)) == [
        "sent_back",
        "signed_off",
        "submitted",
    ]
