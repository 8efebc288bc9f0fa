from django.urls import path

from assure.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports, name="list"),
    path("make/", views.make, name="make"),
    path("asked/<int:pk>/again", views.again, name="again"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/file", views.report_file, name="file"),
]
