from django.urls import path

from . import views

# Mounted under /v/<vendor_slug>/
tenant_urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("switch/", views.switch_membership, name="switch_membership"),
]
