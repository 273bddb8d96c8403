from django.urls import path

from . import quote_views

# Mounted under /v/<vendor_slug>/ through deals.urls.
tenant_urlpatterns = [
    path("deals/<int:number>/quotes/new/", quote_views.quote_new, name="quote_new"),
    path("deals/<int:number>/quotes/<int:sequence>/", quote_views.quote_detail, name="quote_detail"),
    path("deals/<int:number>/quotes/<int:sequence>/pdf/", quote_views.quote_pdf, name="quote_pdf"),
    path("deals/<int:number>/quotes/<int:sequence>/csv/", quote_views.quote_csv, name="quote_csv"),
    path("deals/<int:number>/order/start/", quote_views.order_start, name="order_start"),
    path("deals/<int:number>/order/submit/", quote_views.order_submit, name="order_submit"),
]
