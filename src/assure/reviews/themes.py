"""The learning-theme taxonomy: recurring national themes each partnership starts with."""

from assure.accounts.models import Partnership
from assure.reviews.models import Theme

NATIONAL_THEMES = (
    "Information sharing",
    "Risk assessment",
    "Voice of the child",
    "Unseen men in the household",
    "Neglect",
    "Child sexual abuse in the family",
    "Professional challenge and escalation",
    "Record keeping",
    "Supervision",
    "Thresholds",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Multi-agency working",
    "Child protection planning",
    "Legal planning and pre-proceedings",
    "Commissioning of services",
    "Workforce and training",
)


def ensure_themes(partnership: Partnership) -> list[Theme]:
    """The partnership's themes, seeding the national ones the first time."""
    existing = set(Theme.objects.filter(partnership=partnership).values_list("name", flat=True))
    Theme.objects.bulk_create(
        [Theme(partnership=partnership, name=n) for n in NATIONAL_THEMES if n not in existing]
    )
    return list(Theme.objects.filter(partnership=partnership))
