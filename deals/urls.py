from django.urls import path

from .views import detail, lifecycle, lists, quotes, registration, review

# Mounted under /v/<vendor_slug>/
tenant_urlpatterns = [
    path("deals/", lists.deal_list_page, name="deal_list"),
    path("deals/queue/", lists.review_queue_page, name="review_queue"),
    path("deals/expiring/", lists.expiring_deals, name="deals_expiring"),
    path("deals/extensions/", lists.extension_requests, name="extension_requests"),
    path("deals/new/", registration.deal_create, name="deal_create"),
    path("deals/verify-domain/", registration.verify_domain, name="deal_verify_domain"),
    path("deals/checklist/", registration.deal_checklist, name="deal_checklist"),
    path("deals/<int:number>/edit/", registration.deal_edit, name="deal_edit"),
    path("deals/<int:number>/checklist/", registration.deal_checklist, name="deal_checklist_edit"),
    path("deals/<int:number>/submit/", registration.deal_submit, name="deal_submit"),
    path("deals/<int:number>/attachments/", registration.deal_add_attachments, name="deal_add_attachments"),
    path(
        "deals/<int:number>/attachments/<int:attachment_id>/remove/",
        registration.deal_remove_attachment,
        name="deal_remove_attachment",
    ),
    path("deals/<int:number>/", detail.deal_detail, name="deal_detail"),
    path("deals/<int:number>/withdraw/", detail.deal_withdraw, name="deal_withdraw"),
    path("deals/<int:number>/lose/", detail.deal_lose, name="deal_lose"),
    path("deals/<int:number>/updates/", detail.deal_post_update, name="deal_post_update"),
    path(
        "deals/<int:number>/attachments/<int:attachment_id>/",
        detail.attachment_download,
        name="deal_attachment",
    ),
    path("deals/<int:number>/review/", review.deal_review, name="deal_review"),
    path("deals/<int:number>/approve/", review.deal_approve, name="deal_approve"),
    path("deals/<int:number>/reject/", review.deal_reject, name="deal_reject"),
    path("deals/<int:number>/request-info/", review.deal_request_info, name="deal_request_info"),
    path("deals/<int:number>/revoke/", review.deal_revoke, name="deal_revoke"),
    path("deals/<int:number>/extension/", lifecycle.extension_request, name="extension_request"),
    path(
        "deals/<int:number>/extension/<int:request_id>/decide/",
        lifecycle.extension_decide,
        name="extension_decide",
    ),
    path("deals/<int:number>/quotes/new/", quotes.quote_new, name="quote_new"),
    path("deals/<int:number>/quotes/<int:sequence>/", quotes.quote_detail, name="quote_detail"),
    path("deals/<int:number>/quotes/<int:sequence>/pdf/", quotes.quote_pdf, name="quote_pdf"),
    path("deals/<int:number>/quotes/<int:sequence>/csv/", quotes.quote_csv, name="quote_csv"),
    path("deals/<int:number>/order/start/", quotes.order_start, name="order_start"),
    path("deals/<int:number>/order/submit/", quotes.order_submit, name="order_submit"),
]
