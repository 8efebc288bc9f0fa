import pytest
from django.test import Client
from django.urls import reverse

from assure.accounts.models import Role

QUERIES = ["99999-01-01", "9999-12-31", "0001-01-01", "1-1-1", "2026-02-30"]


@pytest.mark.parametrize("value", QUERIES)
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("reviews:actions", ["due_from", "due_to"]),
        ("core:audit", ["date_from", "date_to"]),
        ("indicators:catalogue", ["from", "to"]),
        ("indicators:weekly", ["from", "to"]),
        ("indicators:indicator", ["from", "to"]),
        ("indicators:children", ["from", "to"]),
    ],
)
def test_probe(client: Client, make_user, name, params, value) -> None:
    user = make_user(
        Role.SYSTEM_ADMINISTRATOR, Role.PARTNERSHIP_MANAGER, Role.CHILDRENS_SERVICES_MANAGER
    )
    client.force_login(user)
    args = ["icpc_15wd_s47"] if name.endswith(("indicator", "children")) else []
    for p in params:
        r = client.get(reverse(name, args=args), {p: value})
        assert r.status_code in (200, 403), (p, r.status_code)
