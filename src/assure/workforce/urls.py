from django.urls import path

from assure.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("products/new/", views.new_product, name="new-product"),
    path("products/<int:pk>/", views.product, name="product"),
    path("products/<int:pk>/file/", views.product_file, name="product-file"),
    path("products/<int:pk>/disseminate/", views.disseminate, name="disseminate"),
    path("proof/<int:pk>/", views.proof, name="proof"),
    path("workforce/", views.workforce, name="workforce"),
    path("workforce/declare/", views.declare, name="declare"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/edit/", views.edit_course, name="edit-course"),
    path("import/", views.training_import, name="import"),
]
