"""One convention for a refused action, in every app: the service raises, the view shows it with `refused`.

Services refuse with django's ValidationError (partners, products: it may name the field) or
deals.errors.DealActionError (a sentence about the deal). Either way `refused` puts the message where the
person looks: on the posted form (on its field when the error names one) or, without a form, as a message
on the page the person returns to.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


def refused(request, error: Exception, *, form=None, prefix: str = "", suffix: str = "") -> None:
    if form is not None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    if form is not None:
        form.add_error(None, f"{prefix}{text}{suffix}")
    else:
        messages.error(request, f"{prefix}{text}{suffix}")


def form_succeeded(request, form, perform) -> bool:
    """A posted form runs `perform(cleaned_data)` when valid: the service call, returning the success
    message to show. A service's refusal lands on the form instead. False: render the form again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        done_message = perform(form.cleaned_data)
    except ValidationError as error:
        refused(request, error, form=form)
        return False
    messages.success(request, done_message)
    return True
