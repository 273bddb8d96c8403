"""Domain normalisation: whatever a partner pastes becomes the registrable domain, or a clear error."""

import pytest
from django.core.exceptions import ValidationError

from deals.domains import normalize_domain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "example.com"),
        ("https://www.mail.example.co.uk/x", "example.co.uk"),
        ("http://user:secret@shop.example.com:8080/path?q=1#top", "example.com"),
        ("www.example.com/pricing", "example.com"),
        ("example.com:443", "example.com"),
        ("jane@sub.example.com", "example.com"),
        ("mailto:jane@example.org", "example.org"),
        ("EXAMPLE.COM", "example.com"),
        ("Www.Example.Co.Uk.", "example.co.uk"),
        ("  example.com  ", "example.com"),
        ("a.b.c.d.example.com.au", "example.com.au"),
        ("bücher.de", "bücher.de"),
        ("WWW.BÜCHER.DE", "bücher.de"),
        ("xn--bcher-kva.de", "bücher.de"),
        ("пример.рф", "пример.рф"),
        ("foo.blogspot.com", "blogspot.com"),  # private suffixes are not company domains
    ],
)
def test_it_reduces_input_to_the_registrable_domain(raw, expected):
    assert normalize_domain(raw) == expected


def test_it_gives_both_spellings_of_an_idn_the_same_domain():
    assert normalize_domain("https://shop.bücher.de") == normalize_domain("xn--bcher-kva.de")


def _error(raw) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        normalize_domain(raw)
    return caught.value


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_it_rejects_an_empty_domain(raw):
    error = _error(raw)
    assert error.code == "required"
    assert "Enter the company's domain" in error.messages[0]


def test_it_rejects_spaces():
    error = _error("acme corp.com")
    assert error.code == "spaces"
    assert error.messages == ["A domain cannot contain spaces."]


@pytest.mark.parametrize("raw", ["192.168.1.10", "http://10.0.0.1:8080/", "::1", "http://[2001:db8::1]/x"])
def test_it_rejects_ip_addresses(raw):
    error = _error(raw)
    assert error.code == "ip_address"
    assert "not an IP address" in error.messages[0]


@pytest.mark.parametrize("raw", ["co.uk", "com", "https://co.uk/", "COM.AU."])
def test_it_rejects_a_bare_public_suffix(raw):
    error = _error(raw)
    assert error.code == "public_suffix"
    assert "public domain ending" in error.messages[0]


@pytest.mark.parametrize("raw", ["localhost", "intranet", "server.local", "example.invalid"])
def test_it_rejects_names_without_a_public_suffix(raw):
    error = _error(raw)
    assert error.code == "no_suffix"
    assert "no public domain ending" in error.messages[0]


def test_it_rejects_a_label_longer_than_63_characters():
    error = _error("a" * 64 + ".com")
    assert error.code == "too_long"
    assert "at most 63 characters" in error.messages[0]


def test_it_rejects_a_domain_longer_than_253_characters():
    error = _error(("a" * 60 + ".") * 5 + "com")
    assert error.code == "too_long"
    assert "at most 253 characters" in error.messages[0]


@pytest.mark.parametrize(
    "raw", ["a..com", "-bad.com", "bad-.com", "under_score.com", "bang!.com", "http://", "@"]
)
def test_it_rejects_malformed_names(raw):
    error = _error(raw)
    assert error.code == "invalid"


def test_it_quotes_long_input_shortened_in_the_message():
    error = _error("x" * 200 + "..com")
    assert "…" in error.messages[0]
    assert len(error.messages[0]) < 150


@pytest.mark.parametrize(
    "raw", ["gmail.com", "jane.doe@GMAIL.com", "https://outlook.com/", "mail.yahoo.com", "web.de"]
)
def test_it_rejects_free_mail_domains(raw):
    error = _error(raw)
    assert error.code == "free_mail"
    assert "free email service" in " ".join(error.messages)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("faß.de", "faß.de"), ("xn--fa-hia.de", "faß.de"), ("FASS.DE", "fass.de"), ("σίσυφος.gr", "σίσυφος.gr")],
)
def test_it_uses_idna_2008_so_eszett_and_final_sigma_stay_distinct(raw, expected):
    """IDNA 2003 mapped faß.de onto fass.de, another company's domain."""
    assert normalize_domain(raw) == expected
