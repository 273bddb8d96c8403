from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    """The navbar's unread badge; counted only when a template actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
