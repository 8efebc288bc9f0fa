"""Top-level URLs. Each area owns its own URL module."""

from django.contrib import admin
from django.urls import include, path

from assure.core.views import favicon

urlpatterns = [
    path("", include("assure.core.urls")),
    path("", include("assure.accounts.urls")),
    path("", include("assure.ops.urls")),
    path("reviews/", include("assure.reviews.urls")),
    path("case-data/", include("assure.casedata.urls")),
    path("trackers/", include("assure.indicators.urls")),
    path("audits/", include("assure.audits.urls")),
    path("surveys/", include("assure.surveys.urls")),
    path("self-assessment/", include("assure.selfassessment.urls")),
    path("escalations/", include("assure.escalations.urls")),
    path("reports/", include("assure.reports.urls")),
    path("workforce/", include("assure.workforce.urls")),
    path("admin/", admin.site.urls),
    path("passkeys/", include("assure.accounts.webauthn_urls")),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin site's).
    path("favicon.ico", favicon, name="favicon"),
]

handler400 = "assure.core.views.bad_request"
handler403 = "assure.core.views.forbidden"
handler404 = "assure.core.views.not_found"
handler500 = "assure.core.views.server_error"
