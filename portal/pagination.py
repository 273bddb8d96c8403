"""One way to page a list: the page of objects and the query string that keeps the list's filters."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page (the last one when the number is past the end) and the other GET parameters,
    for the links of templates/partials/_pagination.html."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    kept = [(key, value) for key, value in request.GET.items() if key != "page" and value]
    return page, urlencode(kept)
