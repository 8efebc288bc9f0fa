from django.urls import path

from assure.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.review_form, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_form, name="edit"),
    path("<int:pk>/import/", views.import_document, name="import"),
    path("<int:pk>/progress-report/", views.progress_report, name="progress-report"),
    path("<int:pk>/progress-report.pdf", views.progress_report_pdf, name="progress-report-pdf"),
    path("<int:pk>/import/check/", views.confirm_import, name="confirm-import"),
    path(
        "<int:review_pk>/recommendations/new/", views.recommendation_form, name="add-recommendation"
    ),
    path(
        "<int:review_pk>/recommendations/<int:pk>/edit/",
        views.recommendation_form,
        name="edit-recommendation",
    ),
    path(
        "recommendations/<int:recommendation_pk>/actions/new/", views.action_form, name="add-action"
    ),
    path(
        "recommendations/<int:recommendation_pk>/actions/<int:pk>/edit/",
        views.action_form,
        name="edit-action",
    ),
    path("actions/", views.action_list, name="actions"),
    path("actions/mine/", views.my_actions, name="my-actions"),
    path("actions/awaiting-assurance/", views.queue, name="queue"),
    path("actions/export.<str:fmt>", views.export_actions, name="export"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
