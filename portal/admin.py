"""The base every app's Django admin builds on."""

from django.contrib import admin
from django_scopes import scopes_disabled


class UnscopedAdmin(admin.ModelAdmin):
    """The Django admin is for installation staff and deliberately sees across vendors."""

    def get_queryset(self, request):
        with scopes_disabled():
            return super().get_queryset(request).all()

    @staticmethod
    def _rendered(response):
        # A TemplateResponse renders after the view returns; inline and choice querysets are evaluated
        # then, so render it while scopes are still disabled.
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response

    def changeform_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().changeform_view(*args, **kwargs))

    def changelist_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().changelist_view(*args, **kwargs))

    def delete_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().delete_view(*args, **kwargs))

    def history_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().history_view(*args, **kwargs))
