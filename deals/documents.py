"""A quote as a document: PDF (fpdf2) for the customer's file, CSV for the distributor's systems.

Both show the stored amounts (deals.money already rounded them); nothing is recomputed here.
"""

import csv
import io
from pathlib import Path

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from . import money

# A Unicode font when the system has one (company names are not always Latin-1); else the PDF core font.
UNICODE_FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
]

# Typographic characters the core font lacks, and their plain stand-ins.
LATIN1_STAND_INS = str.maketrans({"−": "-", "–": "-", "—": "-", "…": "...", "“": '"', "”": '"', "’": "'"})

CSV_COLUMNS = [
    "quote_number",
    "deal_number",
    "currency",
    "issue_date",
    "valid_until",
    "sku",
    "product",
    "unit",
    "quantity",
    "list_price",
    "list_amount",
    "discount_points",
    "net_unit_price",
    "net_amount",
]


def quote_filename(quote, extension: str) -> str:
    return f"{quote.number}.{extension}"


def _unit_label(unit: str) -> str:
    from products.models import Product

    return Product.Unit(unit).label.lower() if unit in Product.Unit.values else unit


def display_lines(quote) -> list[dict]:
    """The lines as the page and the PDF show them: stored amounts written with the currency's digits."""
    currency = quote.currency
    digits = money.minor_unit_exponent(currency)
    return [
        {
            "sku": line.sku,
            "product": line.product_name,
            "unit": _unit_label(line.unit),
            "quantity": f"{line.quantity:,}",
            "list_price": f"{money.in_minor_units(line.list_price, currency):,f}",
            "list_amount": f"{line.list_amount:,.{digits}f}",
            "net_unit_price": f"{money.display_unit_price(line.net_unit_price, currency):,f}",
            "net_amount": f"{line.net_amount:,.{digits}f}",
        }
        for line in quote.lines.all()
    ]


# --- CSV ---------------------------------------------------------------------------------------------


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection: =, +, -, @ at the start)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def quote_csv(quote) -> str:
    """One row per line, then a total row; amounts written with exactly the currency's minor digits."""
    points = money.format_points
    currency = quote.currency
    deal = quote.deal
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    common = [
        quote.number,
        deal.deal_number,
        currency,
        quote.issue_date.isoformat(),
        quote.valid_until.isoformat(),
    ]
    for line in quote.lines.all():
        writer.writerow(
            common
            + [
                _cell(line.sku),
                _cell(line.product_name),
                line.unit,
                line.quantity,
                f"{money.in_minor_units(line.list_price, currency):f}",
                f"{money.in_minor_units(line.list_amount, currency):f}",
                points(quote.discount_points),
                f"{money.display_unit_price(line.net_unit_price, currency):f}",
                f"{money.in_minor_units(line.net_amount, currency):f}",
            ]
        )
    writer.writerow(
        common
        + [
            "",
            "TOTAL",
            "",
            "",
            "",
            f"{money.in_minor_units(quote.list_total, currency):f}",
            points(quote.discount_points),
            "",
            f"{money.in_minor_units(quote.net_total, currency):f}",
        ]
    )
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------


class _QuotePDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.body_font = self._choose_font()
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)

    def _choose_font(self) -> str:
        for regular, bold in UNICODE_FONT_CANDIDATES:
            if Path(regular).exists() and Path(bold).exists():
                self.add_font("QuoteSans", "", regular)
                self.add_font("QuoteSans", "B", bold)
                return "QuoteSans"
        return "helvetica"

    def text_safe(self, text: str) -> str:
        """The core font only knows Latin-1; other characters become '?' rather than failing."""
        if self.body_font == "helvetica":
            text = str(text).translate(LATIN1_STAND_INS)
            return text.encode("latin-1", "replace").decode("latin-1")
        return str(text)

    def footer(self):
        self.set_y(-13)
        self.set_font(self.body_font, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.text_safe(self.footer_text), align="L")
        self.cell(0, 4, f"Page {self.page_no()}/{{nb}}", align="R")


def quote_pdf(quote) -> bytes:
    """The printable quote: parties, terms, one row per product, totals, and how amounts are rounded."""
    deal = quote.deal
    vendor = deal.vendor
    currency = quote.currency
    fmt = money.format_money
    points = money.format_points
    pdf = _QuotePDF(
        footer_text=f"{vendor.name} · Quote {quote.number} · generated {timezone.localtime():%Y-%m-%d %H:%M}"
    )
    t = pdf.text_safe
    pdf.set_title(f"Quote {quote.number}")
    pdf.set_author(vendor.name)
    pdf.set_creator("Deal Registration Portal")
    pdf.add_page()

    pdf.set_font(pdf.body_font, "B", 16)
    pdf.cell(0, 9, t(f"Quote {quote.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.body_font, "", 10)
    pdf.set_text_color(70, 70, 70)
    pdf.cell(
        0,
        5,
        t(f"{vendor.name} · {vendor.program.name} · deal registration {deal.deal_number}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)

    address = ", ".join(
        part
        for part in [
            deal.address_line1,
            deal.address_line2,
            " ".join(p for p in [deal.postal_code, deal.city] if p),
            deal.state_region,
            deal.country.name if deal.country else "",
        ]
        if part
    )
    facts = [
        ("Customer", f"{deal.company_name} ({deal.domain})" if deal.domain else deal.company_name),
        ("Address", address or "—"),
        ("Partner", str(deal.organization)),
        ("Distributor", str(deal.distributor) if deal.distributor_id else "—"),
        ("Issued", f"{quote.issue_date:%d %B %Y}"),
        ("Valid until", f"{quote.valid_until:%d %B %Y} (inclusive)"),
        ("Currency", currency),
        (
            "Discount",
            f"{points(quote.tier_discount_points)} points partner tier"
            + (f" ({quote.tier_name})" if quote.tier_name else "")
            + f" + {points(quote.reward_points)} points deal registration reward"
            + f" = {points(quote.discount_points)} points",
        ),
    ]
    for label, value in facts:
        pdf.set_font(pdf.body_font, "B", 9)
        pdf.cell(28, 5.5, t(label))
        pdf.set_font(pdf.body_font, "", 9)
        pdf.multi_cell(0, 5.5, t(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(pdf.body_font, "", 8.5)
    with pdf.table(
        col_widths=(22, 50, 14, 22, 24, 22, 26),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5.5,
        cell_fill_color=(242, 244, 247),
        cell_fill_mode=TableCellFillMode.ROWS,
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(33, 37, 41)),
    ) as table:
        table.row(
            [t(h) for h in ("SKU", "Product", "Qty", "List price", "List amount", "Net unit", "Net amount")]
        )
        for line in display_lines(quote):
            table.row(
                [
                    t(line["sku"]),
                    t(f"{line['product']} ({line['unit']})"),
                    line["quantity"],
                    line["list_price"],
                    line["list_amount"],
                    line["net_unit_price"],
                    line["net_amount"],
                ]
            )
    pdf.ln(3)

    for label, amount, bold in [
        ("List total", quote.list_total, False),
        (f"Discount ({points(quote.discount_points)} points)", quote.discount_total, False),
        ("Net total", quote.net_total, True),
    ]:
        pdf.set_font(pdf.body_font, "B" if bold else "", 10 if bold else 9)
        pdf.cell(130, 6, t(label), align="R")
        sign = "−" if label.startswith("Discount") and amount else ""
        pdf.cell(50, 6, t(sign + fmt(amount, currency)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)

    pdf.set_font(pdf.body_font, "", 7.5)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(
        0,
        4,
        t(
            "Net unit price = list price × (1 − discount points / 100), shown unrounded. Each line is "
            f"rounded half up to the minor unit of {currency} ({money.minor_unit(currency):f}); totals are "
            "the sums of the rounded lines. The deal registration reward applies while the registration "
            "is protected; prices are valid until the date above."
        ),
    )
    return bytes(pdf.output())
