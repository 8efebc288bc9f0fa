from datetime import date

import pytest

from assure.accounts.models import Role
from assure.core.viewer import Viewer


@pytest.fixture
def manager(make_user, partnership_agency):
    return Viewer.of(make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency))


HEADER = "course,session_date,agency,role,attendee_ref,attended,confidence_before,confidence_after"
TODAY = date(2026, 7, 1)


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()
