"""The synthetic demo partnership: the seed document's agencies and one person for each role."""

import secrets
from pathlib import Path

from django.conf import settings

from assure.accounts.models import Agency, Partnership, Role, RoleGrant
from assure.accounts.services import AgencySpec

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
    found, _ = Partnership.objects.get_or_create(name=PARTNERSHIP, defaults={"short_name": "SSCP"})
    return found
