"""A refused request is one warning line in the log, not a traceback: 403s are expected, not failures."""

import logging


def test_a_403_is_logged_as_one_warning_line_without_a_traceback(login, partner_admin, vendor, caplog):
    client = login(partner_admin)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/v/{vendor.slug}/deals/queue/")
    assert response.status_code == 403
    forbidden = [
        r for r in caplog.records if r.name == "django.request" and r.getMessage().startswith("Forbidden")
    ]
    assert len(forbidden) == 1
    record = forbidden[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and not record.exc_text
    assert "Traceback" not in caplog.text
