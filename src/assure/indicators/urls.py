from django.urls import path

from assure.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("weekly/", views.weekly, name="weekly"),
    path("<slug:indicator_id>/", views.indicator, name="indicator"),
    path("<slug:indicator_id>/children/", views.children, name="children"),
]
