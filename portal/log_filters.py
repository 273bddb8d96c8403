"""Filters of the LOGGING setting."""

import logging

from django.core.exceptions import PermissionDenied


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is the portal working as intended (a role refused, a foreign action), not a fault: Django logs it
    with the exception's traceback, burying real errors. Keep the one warning line, drop the traceback."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
