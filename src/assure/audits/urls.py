from django.urls import path

from assure.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.audit_page, name="audit"),
    path("<int:pk>/practice-actions/", views.add_practice_action, name="add-practice-action"),
    path("practice-actions/<int:pk>/", views.practice_update, name="practice-update"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_form, name="new-programme"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("tools/", views.tools, name="tools"),
    path("tools/new/", views.tool_form, name="new-tool"),
    path("tools/<int:pk>/new-version/", views.tool_form, name="new-version"),
    path("moderations/<int:pk>/", views.moderation, name="moderation"),
    path("agreement/", views.agreement_page, name="agreement"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/grades.<str:fmt>", views.export_grades, name="export-grades"),
    path("moderation-sheet.<str:fmt>", views.moderation_sheet, name="moderation-sheet"),
]
