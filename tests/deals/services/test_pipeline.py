"""Pipeline CSV import: each bad row reported by line, nothing imported if any is bad, re-import updates."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from deals.models import PipelineEntry
from deals.services.pipeline import import_pipeline, import_pipeline_file
from tests.factories import PipelineEntryFactory, ProductFactory

HEADER = "company_name,domain,product_sku,owner,stage,external_id\n"


@pytest.fixture
def products(vendor):
    return {
        "desktop": ProductFactory(vendor=vendor, sku="PD-BUS", name="Desktop Business"),
        "ras": ProductFactory(vendor=vendor, sku="RAS-STD", name="RAS"),
    }


def _entries(vendor):
    with scopes_disabled():
        return {
            e.external_id: e for e in PipelineEntry.objects.filter(vendor=vendor).select_related("product")
        }


def test_it_imports_accounts_and_opportunities(vendor, products):
    result = import_pipeline(
        vendor=vendor,
        text=HEADER
        + "Initech,https://www.initech.com/,PD-BUS,Sam Seller,Negotiation,OPP-1\n"
        + "Globex Corporation,,,Ana Account,Prospecting,ACC-7\n",
    )

    assert result.ok
    assert (result.created, result.updated) == (2, 0)
    entries = _entries(vendor)
    assert (entries["OPP-1"].domain, entries["OPP-1"].product, entries["OPP-1"].stage) == (
        "initech.com", products["desktop"], "Negotiation",
    )  # fmt: skip
    assert (entries["ACC-7"].domain, entries["ACC-7"].product) == ("", None)


def test_it_reports_every_bad_row_with_its_line_and_imports_nothing(vendor, products):
    text = (
        HEADER
        + "Initech,initech.com,PD-BUS,Sam,Open,OPP-1\n"  # line 2: fine
        + ",nameless.com,,Sam,Open,OPP-2\n"  # line 3: no company
        + "Hooli,not a domain,,Sam,Open,OPP-3\n"  # line 4: bad domain
        + "Umbrella,umbrella.com,NOPE-1,Sam,Open,OPP-4\n"  # line 5: unknown SKU
        + "Stark,localhost,GONE,Sam,Open,\n"  # line 6: three problems
        + "Wayne,wayne.com,,Sam,Open,OPP-1\n"  # line 7: repeats line 2's id
    )

    result = import_pipeline(vendor=vendor, text=text)

    assert not result.ok
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    messages = {e.line: e.message for e in result.errors}
    assert messages[3].startswith("company_name (the account's name) is missing")
    assert messages[4] == "bad domain: A domain cannot contain spaces."
    assert messages[5] == "unknown product SKU “NOPE-1”."
    assert (
        "external_id" in messages[6] and "no public domain ending" in messages[6] and "“GONE”" in messages[6]
    )
    assert messages[7] == "external_id “OPP-1” repeats line 2."
    assert str(result.errors[0]).startswith("line 3: ")
    assert _entries(vendor) == {}


def test_a_bad_row_also_keeps_existing_entries_untouched(vendor, products):
    PipelineEntryFactory(vendor=vendor, company_name="Initech", stage="Open", external_id="OPP-1")
    import_pipeline(
        vendor=vendor, text=HEADER + "Initech,initech.com,,Sam,Won,OPP-1\nBad,bad..com,,,,OPP-2\n"
    )
    assert _entries(vendor)["OPP-1"].stage == "Open"


def test_reimporting_updates_rows_by_external_id(vendor, products):
    import_pipeline(vendor=vendor, text=HEADER + "Initech,initech.com,PD-BUS,Sam,Open,OPP-1\n")
    result = import_pipeline(
        vendor=vendor,
        text=HEADER
        + "Initech Inc,initech.com,RAS-STD,Ana,Negotiation,OPP-1\nHooli,hooli.xyz,,Ana,Open,OPP-2\n",
    )

    assert (result.created, result.updated) == (1, 1)
    entries = _entries(vendor)
    assert len(entries) == 2
    assert (entries["OPP-1"].company_name, entries["OPP-1"].product, entries["OPP-1"].owner) == (
        "Initech Inc", products["ras"], "Ana",
    )  # fmt: skip


def test_importing_the_same_file_twice_changes_nothing_more(vendor, products):
    text = HEADER + "Initech,initech.com,PD-BUS,Sam,Open,OPP-1\n"
    import_pipeline(vendor=vendor, text=text)
    before = {k: (e.pk, e.company_name, e.domain, e.product_id) for k, e in _entries(vendor).items()}

    result = import_pipeline(vendor=vendor, text=text)

    assert (result.created, result.updated) == (0, 1)
    assert {k: (e.pk, e.company_name, e.domain, e.product_id) for k, e in _entries(vendor).items()} == before


def test_it_can_deactivate_entries_missing_from_a_full_export(vendor, products):
    PipelineEntryFactory(vendor=vendor, external_id="OLD-1")
    result = import_pipeline(
        vendor=vendor, text=HEADER + "Initech,initech.com,,Sam,Open,OPP-1\n", deactivate_missing=True
    )
    assert result.deactivated == 1
    assert _entries(vendor)["OLD-1"].is_active is False


def test_it_reactivates_an_entry_that_is_back_in_the_file(vendor, products):
    PipelineEntryFactory(vendor=vendor, external_id="OPP-1", is_active=False)
    import_pipeline(vendor=vendor, text=HEADER + "Initech,initech.com,,Sam,Open,OPP-1\n")
    assert _entries(vendor)["OPP-1"].is_active is True


def test_another_vendors_sku_is_unknown_and_its_entries_untouched(vendor, other_vendor):
    ProductFactory(vendor=other_vendor, sku="THEIRS")
    PipelineEntryFactory(vendor=other_vendor, external_id="OPP-1", company_name="Theirs")

    result = import_pipeline(vendor=vendor, text=HEADER + "Initech,initech.com,THEIRS,Sam,Open,OPP-1\n")

    assert [e.message for e in result.errors] == ["unknown product SKU “THEIRS”."]
    with scopes_disabled():
        assert PipelineEntry.objects.get(vendor=other_vendor).company_name == "Theirs"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "company_name,domain\nInitech,initech.com\n",
            "missing column(s): product_sku, owner, stage, external_id",
        ),
        (HEADER, "the file has no rows to import."),
        ("", "missing column(s)"),
    ],
)
def test_it_refuses_a_file_without_the_columns_or_rows(vendor, text, message):
    result = import_pipeline(vendor=vendor, text=text)
    assert result.errors[0].line == 1
    assert message in result.errors[0].message


def test_it_skips_blank_lines_and_reads_a_byte_order_mark(vendor, products):
    data = ("\ufeff" + HEADER + "Initech,initech.com,,Sam,Open,OPP-1\n,,,,,\n\n").encode()
    result = import_pipeline_file(vendor=vendor, data=data)
    assert result.ok and result.created == 1


def test_it_refuses_a_file_that_is_not_utf8(vendor):
    result = import_pipeline_file(
        vendor=vendor, data=(HEADER + "Caf\xe9 SA,cafe.fr,,,,X-1\n").encode("latin-1")
    )
    assert result.errors[0].message.startswith("The file is not UTF-8 text")


def test_the_command_imports_and_summarises(vendor, products, tmp_path, capsys):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + "Initech,initech.com,PD-BUS,Sam,Open,OPP-1\n", encoding="utf-8")

    call_command("import_pipeline", "acme", str(path))

    assert "Imported 1 pipeline entries for Acme Software: 1 new, 0 updated." in capsys.readouterr().out
    assert set(_entries(vendor)) == {"OPP-1"}


def test_the_command_lists_every_bad_row_and_fails(vendor, products, tmp_path, capsys):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + "Initech,initech.com,,,,OPP-1\n,x.com,,,,OPP-2\nHooli,1.2.3.4,,,,OPP-3\n")

    with pytest.raises(CommandError, match="Nothing was imported: 2 rows have errors"):
        call_command("import_pipeline", "acme", str(path))

    err = capsys.readouterr().err
    assert "pipeline.csv, line 3: company_name" in err
    assert "pipeline.csv, line 4: bad domain" in err
    assert _entries(vendor) == {}


def test_the_command_refuses_an_unknown_vendor_or_file(vendor, tmp_path):
    with pytest.raises(CommandError, match="No vendor with the slug “nope”"):
        call_command("import_pipeline", "nope", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_pipeline", "acme", str(tmp_path / "missing.csv"))
