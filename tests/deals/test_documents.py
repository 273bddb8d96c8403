"""Quote documents: the CSV adds up and resists formula injection; the PDF is a PDF with the quote in it."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from django_scopes import scopes_disabled

from deals import documents as quote_documents
from tests.factories import OrganizationFactory, ProductFactory, TierFactory, quoted_deal


@pytest.fixture
def quote(vendor, distributor):
    with scopes_disabled():
        vendor.program.reward_margin_points = D("10")
        vendor.program.save()
    org = OrganizationFactory(
        vendor=vendor, tier=TierFactory(vendor=vendor, name="Gold", discount_points=D("22.5"))
    )
    products = [
        ProductFactory(vendor=vendor, name="Endpoint Shield", sku="ES-1", list_price=D("19.99")),
        ProductFactory(vendor=vendor, name='=HYPERLINK("http://evil")', sku="EV-1", list_price=D("0.01")),
    ]
    deal = quoted_deal(
        organization=org,
        distributor=distributor,
        company_name="Zürich Rückversicherung AG",
        lines=[(products[0], 3), (products[1], 2)],
    )
    with scopes_disabled():
        return deal.quotes.select_related("deal__vendor__program", "deal__organization").get()


def test_the_csv_has_one_row_per_line_and_a_total_that_adds_up(quote):
    with scopes_disabled():
        rows = list(csv.DictReader(io.StringIO(quote_documents.quote_csv(quote))))

    lines, total = rows[:-1], rows[-1]
    assert [r["sku"] for r in lines] == ["ES-1", "EV-1"]
    first = lines[0]
    assert first["quote_number"] == quote.number
    assert (first["currency"], first["quantity"], first["list_price"]) == ("USD", "3", "19.99")
    assert (first["discount_points"], first["net_unit_price"], first["net_amount"]) == (
        "32.5",
        "13.49325",
        "40.48",
    )
    assert total["product"] == "TOTAL"
    assert D(total["net_amount"]) == sum(D(r["net_amount"]) for r in lines) == quote.net_total
    assert D(total["list_amount"]) == sum(D(r["list_amount"]) for r in lines) == quote.list_total


def test_the_csv_neutralises_formulas_in_product_names(quote):
    with scopes_disabled():
        rows = list(csv.DictReader(io.StringIO(quote_documents.quote_csv(quote))))
    assert rows[1]["product"] == '\'=HYPERLINK("http://evil")'


def test_the_pdf_is_a_pdf(quote):
    with scopes_disabled():
        pdf = quote_documents.quote_pdf(quote)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_pdf_shows_the_quote_its_parties_and_totals(quote, tmp_path):
    with scopes_disabled():
        path = tmp_path / "quote.pdf"
        path.write_bytes(quote_documents.quote_pdf(quote))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert f"Quote {quote.number}" in text
    assert "Zürich Rückversicherung AG" in text
    assert (
        "Gold" in text and "22.5 points partner tier" in text and "10 points deal registration reward" in text
    )
    assert "40.48" in text and "13.49325" in text
    assert f"{quote.net_total:,.2f} USD" in text


def test_the_pdf_falls_back_to_the_core_font_without_failing_on_other_characters(quote, monkeypatch):
    monkeypatch.setattr(quote_documents, "UNICODE_FONT_CANDIDATES", [])
    with scopes_disabled():
        quote.deal.company_name = "株式会社ノースウィンド — Zürich"
        pdf = quote_documents.quote_pdf(quote)
    assert pdf.startswith(b"%PDF-")
    assert b"/Helvetica" in pdf


def test_the_pdf_survives_characters_missing_from_the_unicode_font(quote):
    with scopes_disabled():
        quote.deal.company_name = "株式会社ノースウィンド"
        pdf = quote_documents.quote_pdf(quote)
    assert pdf.startswith(b"%PDF-")
