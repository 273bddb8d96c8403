from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView, TemplateView

from deals import urls as deal_urls
from partners import urls as partner_urls
from partners import views as partner_views
from products import urls as product_urls

tenant_patterns = [
    *partner_urls.tenant_urlpatterns,
    *deal_urls.tenant_urlpatterns,
    *product_urls.tenant_urlpatterns,
]

urlpatterns = [
    path("", partner_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("v/<slug:vendor_slug>/", include(tenant_patterns)),
    path("notifications/", include("notifications.urls")),
    *partner_urls.public_urlpatterns,
    # Browsers (and feed readers, bookmarks) ask for /favicon.ico whatever the page links. A temporary
    # redirect: the target's hashed name changes with the file, and a cached 301 would outlive it.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
    path(
        "healthz",
        TemplateView.as_view(template_name="healthz.txt", content_type="text/plain"),
        name="healthz",
    ),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
