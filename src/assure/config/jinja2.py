"""The Jinja2 environment: GOV.UK Frontend macros, static files and URL reversing."""

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, PrefixLoader


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Reverse a URL by name, as `{{ url('reviews:detail', review.pk) }}`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def page_link(request: HttpRequest, page: int) -> str:
    """The current query string with another page number."""
    query = request.GET.copy()
    query["page"] = str(page)
    return f"?{query.urlencode()}"


def app_choice(choice: list[Any], current: Any, key: str = "selected") -> dict[str, Any]:
    """A Django (value, label) choice as a GOV.UK select, radio or checkbox item."""
    value, label = choice
    chosen = current if isinstance(current, list | tuple) else [current]
    return {"value": value, "text": label, key: str(value) in {str(c) for c in chosen}}


def app_error_item(message: str) -> dict[str, str]:
    """A plain message as a GOV.UK error summary item."""
    return {"text": message}


def environment(loader: BaseLoader, **options: Any) -> Environment:
    """Django's loader plus the GOV.UK Frontend macros, imported as `govuk_frontend_jinja/...`."""
    govuk = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    options.pop("autoescape", None)  # always on: templates show people's own words
    env = Environment(loader=ChoiceLoader([loader, govuk]), autoescape=True, **options)
    env.globals.update({"static": static, "url": url, "page_link": page_link})
    env.filters["app_choice"] = app_choice
    env.filters["app_error_item"] = app_error_item
    return env
