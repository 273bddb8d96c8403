from django.urls import path

from . import lifecycle_views

# Mounted under /v/<vendor_slug>/ through deals.urls.
tenant_urlpatterns = [
    path("deals/expiring/", lifecycle_views.expiring_deals, name="deals_expiring"),
    path("deals/extensions/", lifecycle_views.extension_requests, name="extension_requests"),
    path("deals/<int:number>/extension/", lifecycle_views.extension_request, name="extension_request"),
    path(
        "deals/<int:number>/extension/<int:request_id>/decide/",
        lifecycle_views.extension_decide,
        name="extension_decide",
    ),
]
