from django.urls import path

from assure.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "first-sign-in/<str:uidb64>/<str:token>/", views.FirstSignIn.as_view(), name="first-sign-in"
    ),
]
