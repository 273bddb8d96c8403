"""The vendor admin configures the program: products, territories, the eligibility matrix, the rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partners.models import Program
from partners.permissions import Perm
from portal.refusals import form_succeeded, refused
from portal.tenancy import tenant_view

from . import selectors, services
from .forms import ProductForm, ProgramForm, TerritoryCountriesForm, TerritoryCreateForm
from .models import Product, Territory


@tenant_view(Perm.CONFIGURE_PROGRAM)
def product_list(request):
    products = selectors.products_of(request.vendor).order_by("-is_active", "family", "name")
    return render(request, "products/product_list.html", {"products": products})


def _product_form_view(request, product=None):
    form = ProductForm(request.POST or None, instance=product, vendor=request.vendor)

    def save(data) -> str:
        territories = list(data["eligible_territories"])
        saved = services.product_save(
            vendor=request.vendor, data=form.product_data(), territories=territories, product=product
        )
        return f"{saved.name} ({saved.sku}) saved."

    if form_succeeded(request, form, save):
        return redirect("product_list", request.vendor.slug)
    status = 400 if form.errors else 200
    return render(request, "products/product_form.html", {"form": form, "product": product}, status=status)


@tenant_view(Perm.CONFIGURE_PROGRAM)
def product_create(request):
    return _product_form_view(request)


@tenant_view(Perm.CONFIGURE_PROGRAM)
def product_edit(request, pk):
    return _product_form_view(request, get_object_or_404(Product, vendor=request.vendor, pk=pk))


def _matrix_from_post(post) -> dict[int, set[int]]:
    """`eligible` checkboxes carry "<product id>:<territory id>"; every listed product gets an entry."""
    eligible: dict[int, set[int]] = {}
    for raw in post.getlist("product"):
        if raw.isdigit():
            eligible.setdefault(int(raw), set())
    for value in post.getlist("eligible"):
        product_id, _, territory_id = value.partition(":")
        if not (product_id.isdigit() and territory_id.isdigit()):
            raise ValidationError("The matrix was not understood; reload the page and try again.")
        eligible.setdefault(int(product_id), set()).add(int(territory_id))
    return eligible


@tenant_view(Perm.CONFIGURE_PROGRAM)
def eligibility(request):
    if request.method == "POST":
        try:
            services.set_eligibility_matrix(vendor=request.vendor, eligible=_matrix_from_post(request.POST))
        except ValidationError as exc:
            refused(request, exc, suffix=" Nothing was changed.")
        else:
            messages.success(request, "Eligibility saved.")
        return redirect("eligibility_matrix", request.vendor.slug)
    return render(
        request, "products/eligibility.html", {"matrix": selectors.eligibility_matrix(request.vendor)}
    )


@tenant_view(Perm.CONFIGURE_PROGRAM)
def territory_list(request):
    form = TerritoryCreateForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "defaults":
            services.create_default_territories(vendor=request.vendor)
            messages.success(request, "The default territories NAM, LATAM, EMEA and APAC are in place.")
            return redirect("territory_list", request.vendor.slug)
        created = []

        def add(data) -> str:
            created.append(services.territory_create(vendor=request.vendor, **data))
            return f"Territory {created[0].code} added; now give it its countries."

        if form_succeeded(request, form, add):
            return redirect("territory_edit", request.vendor.slug, created[0].pk)
    territories = Territory.objects.filter(vendor=request.vendor).order_by("code")
    rows = [{"territory": t, "country_count": len(t.countries)} for t in territories]
    status = 400 if form.errors else 200
    return render(request, "products/territory_list.html", {"rows": rows, "form": form}, status=status)


@tenant_view(Perm.CONFIGURE_PROGRAM)
def territory_edit(request, pk):
    territory = get_object_or_404(Territory, vendor=request.vendor, pk=pk)
    initial = {"countries": [c.code for c in territory.countries]}
    form = TerritoryCountriesForm(request.POST or None, initial=initial)

    def save(data) -> str:
        services.territory_set_countries(territory=territory, countries=data["countries"])
        return f"Countries of {territory.code} saved."

    if form_succeeded(request, form, save):
        return redirect("territory_list", request.vendor.slug)
    status = 400 if form.errors else 200
    return render(
        request, "products/territory_form.html", {"form": form, "territory": territory}, status=status
    )


@tenant_view(Perm.CONFIGURE_PROGRAM)
def program_settings(request):
    program = Program.objects.get(vendor=request.vendor)
    form = ProgramForm(request.POST or None, instance=program)

    def save(data) -> str:
        services.program_update(program=Program.objects.get(pk=program.pk), data=form.program_data())
        return "Program settings saved."

    if form_succeeded(request, form, save):
        return redirect("program_settings", request.vendor.slug)
    status = 400 if form.errors else 200
    calendar = selectors.business_calendar(program, today=timezone.localdate())
    return render(
        request, "products/program_settings.html", {"form": form, "calendar": calendar}, status=status
    )
