"""Start-up imports only what every command needs: a library one page, download or task uses
is imported by the function that uses it (DEVELOPERS.md, "Layout and rules")."""

import json
import os
import subprocess
import sys
from pathlib import Path

# Imported by `django.setup()` they would cost every command (import-cases, worker, …).
NOT_AT_APP_LOAD = (
    "holidays",  # core.calendar, when a working day is first counted
    "assure.reviewdocs.parser",  # compiles many patterns; a document upload parses
)
# Imported by the URLconf (every views module) they would cost each server process's first
# request.
NOT_FOR_THE_URLCONF = (
    "altair",  # charts on dashboards
    "authlib",  # single sign-on
    "joserfc",
    "openpyxl",  # XLSX downloads and spreadsheet imports
    "requests",
    "segno",  # the authenticator app's QR code
    "weasyprint",  # PDF reports
)

PROBE = """
import json, sys
import django
django.setup()
after_setup = sorted(sys.modules)
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({"setup": after_setup, "urlconf": sorted(sys.modules)}))
"""


def loaded_modules(tmp_path: Path) -> dict[str, list[str]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "assure.config.settings",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "ASSURE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    loaded: dict[str, list[str]] = json.loads(result.stdout)
    return loaded


def test_app_load_and_urlconf_leave_page_only_libraries_unimported(tmp_path: Path) -> None:
    loaded = loaded_modules(tmp_path)
    assert [m for m in NOT_AT_APP_LOAD + NOT_FOR_THE_URLCONF if m in loaded["setup"]] == []
    assert [m for m in NOT_FOR_THE_URLCONF if m in loaded["urlconf"]] == []
    # The probe itself works: the apps' own modules were loaded.
    assert "assure.indicators.engine" in loaded["setup"]
    assert "assure.reviews.views" in loaded["urlconf"]
