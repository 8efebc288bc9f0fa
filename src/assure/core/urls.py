from django.urls import path

from assure.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("cookies/", views.cookies, name="cookies"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("audit/", views.audit_trail, name="audit"),
]
