from django.urls import path

from assure.indicators import views

app_name = "indicators"
urlpatterns = [
    path("weekly/", views.weekly, name="weekly"),
]
