from django.urls import path

from assure.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("cookies/", views.cookies, name="cookies"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("session/status/", views.session_status, name="session-status"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("audit/", views.audit_trail, name="audit"),
]
