"""The installation admin for products and territories."""

from django.urls import reverse

from tests.factories import ProductFactory, TerritoryFactory


def test_product_and_territory_pages_open(staff_client, vendor):
    territory = TerritoryFactory(vendor=vendor, code="EMEA", countries=["DE"])
    product = ProductFactory(vendor=vendor, eligible_in=[territory])
    for name, obj in (("product", product), ("territory", territory)):
        assert staff_client.get(reverse(f"admin:products_{name}_changelist")).status_code == 200
        assert staff_client.get(reverse(f"admin:products_{name}_change", args=[obj.pk])).status_code == 200
    assert (
        product.name
        in staff_client.get(reverse("admin:products_territory_change", args=[territory.pk])).content.decode()
    )


def test_a_territory_cannot_take_a_country_of_another_territory(staff_client, vendor):
    TerritoryFactory(vendor=vendor, code="DACH", countries=["DE", "AT"])
    response = staff_client.post(
        reverse("admin:products_territory_add"),
        {"vendor": vendor.pk, "code": "EU", "name": "Europe", "countries": ["FR", "DE"],
         "products_eligible_territories-TOTAL_FORMS": "0",
         "products_eligible_territories-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "DE (in DACH)" in response.content.decode()


def test_a_product_cannot_be_eligible_in_another_vendors_territory(staff_client, vendor, other_vendor):
    foreign = TerritoryFactory(vendor=other_vendor, code="APAC")
    response = staff_client.post(
        reverse("admin:products_product_add"),
        {"vendor": vendor.pk, "sku": "X-1", "name": "X", "unit": "users", "list_price": "1.00",
         "currency": "USD", "min_quantity": "0", "eligible_territories": [foreign.pk], "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Territories of another vendor: APAC." in response.content.decode()
