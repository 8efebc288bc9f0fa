from django.urls import path

from assure.casedata import views

app_name = "casedata"
urlpatterns = [
    path("", views.imports, name="imports"),
]
