from django.urls import path

from assure.escalations import views

app_name = "escalations"
urlpatterns = [
    path("", views.log, name="log"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/next-stage/", views.next_stage, name="next-stage"),
    path("<int:pk>/end/", views.end, name="end"),
    path("figures/", views.dashboard, name="dashboard"),
    path("figures.<str:fmt>", views.export, name="export"),
    path("protocol/", views.protocol, name="protocol"),
    path("services/", views.services_list, name="services"),
    path("services/new/", views.new_service, name="new-service"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/return/", views.submit_return, name="submit-return"),
    path("returns/<int:pk>/", views.service_return, name="return"),
    path("returns/<int:pk>/decision/", views.decide, name="decide"),
]
