"""Every page's shared parts: errors worded for people, one current menu item, tables that
scroll in their own region, and a refusal page that says only what applies."""

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from assure.accounts.models import Role, User
from assure.core.context import _current
from assure.reviews import lifecycle

SRC = Path(__file__).resolve().parents[2]
FORM_MODULES = [
    "assure.accounts.forms",
    "assure.casedata.forms",
    "assure.core.forms",
    "assure.indicators.views",
    "assure.reviews.forms",
    "assure.selfassessment.forms",
]
DJANGO_WORDING = [
    "This field is required",
    "Select a valid choice",
    "Enter a valid date",
    "Enter a whole number",
    "Enter a list of values",
    "is not a valid value",
    "No file was submitted",
]


def project_forms() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        abstract = hasattr(cls, "_meta") and cls._meta.model is None  # a ModelForm base
        if cls.__module__.startswith("assure.") and not abstract and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: c.__qualname__)


def _build(cls: type[forms.BaseForm], data: dict[str, str], partnership_id: int):
    params = {
        name: param
        for klass in reversed(cls.__mro__)
        if "__init__" in vars(klass)
        for name, param in inspect.signature(vars(klass)["__init__"]).parameters.items()
    }
    needed = [
        p.name
        for p in params.values()
        if p.kind == p.KEYWORD_ONLY
        and p.default is p.empty
        and p.name not in {"partnership_id", "moves", "measure"}
    ]
    if needed:
        pytest.skip(f"{cls.__qualname__} needs {needed}")
    kwargs: dict[str, Any] = {"data": data, "files": {}}
    if "partnership_id" in params:
        kwargs["partnership_id"] = partnership_id
    if "moves" in params:  # the lifecycle's forms offer the moves they are given
        kwargs["moves"] = lifecycle.MOVES
    if "measure" in params:
        kwargs["measure"] = ""
    if "request" in params:  # sign-in: django-axes needs the request to count a failure
        kwargs["request"] = RequestFactory().post("/sign-in/")
    if "user" in params:  # password forms are for one person
        kwargs["user"] = User(username="someone")
    return cls(**kwargs)


@pytest.mark.parametrize("cls", project_forms(), ids=lambda c: c.__qualname__)
def test_form_errors_say_what_to_do_in_govuk_words(cls, partnership) -> None:
    empty = _build(cls, {}, partnership.pk)
    garbled = _build(cls, dict.fromkeys(empty.fields, "not-valid"), partnership.pk)
    messages = [
        str(m) for form in (empty, garbled) for errors in form.errors.values() for m in errors
    ]
    for message in messages:
        assert not any(words in message for words in DJANGO_WORDING), message
    required = [n for n, f in empty.fields.items() if f.required and n in empty.errors]
    for name in required:
        assert re.match(r"(Enter|Select) ", str(empty.errors[name][0])), empty.errors[name]


def test_required_messages_use_the_fields_own_words(partnership) -> None:
    from assure.reviews.forms import ActionForm, UpdateForm

    update = UpdateForm(data={}, moves=lifecycle.moves_from("in_progress"))
    assert update.errors["narrative"] == ["Enter what has happened since the last update"]
    assert update.errors["move"] == ["Select what has happened"]
    action = ActionForm(data={}, partnership_id=partnership.pk)
    assert action.errors["description"] == ["Enter what the agency will do"]
    assert action.errors["agency"] == ["Select the agency that will carry out the action"]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/reviews/", "/reviews/"),
        ("/reviews/3/", "/reviews/"),
        ("/reviews/actions/", "/reviews/actions/"),
        ("/reviews/actions/7/", "/reviews/actions/"),
        ("/reviews/actions/mine/", "/reviews/actions/mine/"),
        ("/cookies/", None),
    ],
)
def test_the_longest_matching_menu_address_is_current(path, current) -> None:
    menu = ["/", "/reviews/", "/reviews/actions/", "/reviews/actions/mine/", "/trackers/"]
    assert _current(path, menu) == current


def test_only_one_navigation_item_is_current(client, make_user, police) -> None:
    client.force_login(make_user(Role.AGENCY_LEAD, agency=police))
    page = client.get(reverse("reviews:my-actions")).content.decode()
    assert page.count("govuk-service-navigation__item--active") == 1
    active = page.split("govuk-service-navigation__item--active")[1].split("</li>")[0]
    assert "Reviews" in active
    area = page.split('<nav class="app-subnav" aria-label="Reviews">')[1]
    area = area.split("</nav>")[0]
    assert area.count('aria-current="page"') == 1
    current = area.split('aria-current="page"')[1].split("</a>")[0]
    assert "My agency&#39;s actions" in current


def test_every_table_sits_in_a_labelled_scrollable_region() -> None:
    problems = []
    for template in sorted(SRC.glob("*/jinja2/**/*.html")):
        lines = template.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "<table" in line or "{{ govukTable(" in line:
                before = lines[number - 1] if number else ""
                region = 'class="app-table-scroll" role="region" aria-label="'
                if region not in before or 'tabindex="0"' not in before:
                    problems.append(f"{template.relative_to(SRC)}:{number + 1}")
    assert not problems, problems
    scss = (SRC.parents[1] / "assets" / "assure.scss").read_text(encoding="utf-8")
    assert re.search(r"\.app-table-scroll \{[^}]*overflow-x: auto;", scss)


def test_refusal_page_speaks_of_children_only_when_that_is_the_reason(
    client, make_user, police
) -> None:
    client.force_login(make_user(Role.AGENCY_LEAD, agency=police))
    queue = client.get(reverse("reviews:queue"))
    assert queue.status_code == 403
    assert "children" not in queue.content.decode().split("<main")[1].split("</main>")[0]
    weekly = client.get(reverse("indicators:weekly"))
    assert weekly.status_code == 403
    assert "individual children" in weekly.content.decode()
