from django.urls import path

from assure.selfassessment import views

app_name = "selfassessment"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("new/", views.new_round, name="new-round"),
    path("<int:pk>/", views.round_page, name="round"),
    path("submissions/<int:pk>/", views.rate, name="rate"),
    path("submissions/<int:pk>/action/", views.add_action, name="add-action"),
    path("submissions/<int:pk>/challenge/", views.challenge, name="challenge"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/<int:pk>/edit/", views.edit_framework, name="edit-framework"),
]
