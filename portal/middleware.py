"""Response headers that depend on who asked."""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    """Whatever a signed-in person is sent (pages, quote PDFs and CSVs, attachments) is theirs alone: no
    shared proxy may keep it, and after logging out on a shared computer the back button must not show it
    again. Static files never get here (whitenoise answers them earlier) and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
