from django.urls import path

from . import views

# Mounted under /v/<vendor_slug>/: the vendor admin's program configuration.
tenant_urlpatterns = [
    path("program/products/", views.product_list, name="product_list"),
    path("program/products/new/", views.product_create, name="product_create"),
    path("program/products/<int:pk>/", views.product_edit, name="product_edit"),
    path("program/eligibility/", views.eligibility, name="eligibility_matrix"),
    path("program/territories/", views.territory_list, name="territory_list"),
    path("program/territories/<int:pk>/", views.territory_edit, name="territory_edit"),
    path("program/settings/", views.program_settings, name="program_settings"),
]
