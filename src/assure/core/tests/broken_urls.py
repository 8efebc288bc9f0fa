"""A URL that fails, to test the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(1 // 0))


urlpatterns = [path("boom/", boom), path("", include("assure.config.urls"))]
handler500 = "assure.core.views.server_error"
