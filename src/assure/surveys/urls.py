from django.urls import path

from assure.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.surveys, name="list"),
    path("new/", views.new_survey, name="new"),
    path("<int:pk>/", views.survey_page, name="survey"),
    path("<int:pk>/results.<str:fmt>", views.export, name="export"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("links/<int:pk>/close/", views.close_link, name="close-link"),
    # Public: a practitioner's answer page, reached by their agency's link (the token).
    path("answer/<str:token>/", views.answer, name="answer"),
    path("answer/<str:token>/thanks/", views.thanks, name="thanks"),
]
