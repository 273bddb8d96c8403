"""Email preferences: only known event types can be switched, or nothing is saved."""

import pytest

from notifications import services
from notifications.models import NotificationPreference


def test_unknown_preferences_are_refused_and_nothing_is_saved(partner_user):
    with pytest.raises(ValueError, match="Unknown event types: bogus"):
        services.preferences_save(user=partner_user, email_on={"deal_expired", "bogus"})
    assert not NotificationPreference.objects.filter(user=partner_user).exists()
