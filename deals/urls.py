from django.urls import path

from . import views

# Mounted under /v/<vendor_slug>/
tenant_urlpatterns = [
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/new/", views.deal_create, name="deal_create"),
    path("deals/queue/", views.review_queue, name="review_queue"),
    path("deals/verify-domain/", views.verify_domain, name="deal_verify_domain"),
    path("deals/checklist/", views.deal_checklist, name="deal_checklist"),
    path("deals/<int:number>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:number>/edit/", views.deal_edit, name="deal_edit"),
    path("deals/<int:number>/checklist/", views.deal_checklist, name="deal_checklist_edit"),
    path("deals/<int:number>/submit/", views.deal_submit, name="deal_submit"),
    path("deals/<int:number>/withdraw/", views.deal_withdraw, name="deal_withdraw"),
    path("deals/<int:number>/lose/", views.deal_lose, name="deal_lose"),
    path("deals/<int:number>/updates/", views.deal_post_update, name="deal_post_update"),
    path("deals/<int:number>/attachments/", views.deal_add_attachments, name="deal_add_attachments"),
    path(
        "deals/<int:number>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="deal_attachment",
    ),
    path(
        "deals/<int:number>/attachments/<int:attachment_id>/remove/",
        views.deal_remove_attachment,
        name="deal_remove_attachment",
    ),
    path("deals/<int:number>/review/", views.deal_review, name="deal_review"),
    path("deals/<int:number>/approve/", views.deal_approve, name="deal_approve"),
    path("deals/<int:number>/reject/", views.deal_reject, name="deal_reject"),
    path("deals/<int:number>/request-info/", views.deal_request_info, name="deal_request_info"),
    path("deals/<int:number>/revoke/", views.deal_revoke, name="deal_revoke"),
]

# Quotes and orders (issue 4) live in their own module.
from .quote_urls import tenant_urlpatterns as quote_urlpatterns  # noqa: E402

tenant_urlpatterns += quote_urlpatterns

from .lifecycle_urls import tenant_urlpatterns as lifecycle_urlpatterns  # noqa: E402

tenant_urlpatterns += lifecycle_urlpatterns
