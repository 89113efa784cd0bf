"""ingress/clean.py: addresses checked, names cleaned, ids refused, times and amounts held in range."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.ingress.clean import (
    BIDI_CONTROLS,
    clean_body,
    clean_text,
    id_problem,
    money_problem,
    normalize_email,
    safe_url,
    sane_time,
)

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("given_address,expected", [
    ("Jon@Example.COM", "jon@example.com"),
    ("  jon.smith+cart@mail.example.co.uk ", "jon.smith+cart@mail.example.co.uk"),
    ("o'brien@example.ie", "o'brien@example.ie"),
    ("jörg@bücher.de", "jörg@bücher.de"),
    ("a@xn--bcher-kva.de", "a@xn--bcher-kva.de"),
    ("example@email.com", "example@email.com"),  # the checkout fixture's address
    ("a@example.com\n", "a@example.com"),  # surrounding whitespace is trimmed; a break inside is refused
])
def test_plain_addresses_are_kept_lower_cased(given_address: str, expected: str) -> None:
    assert normalize_email(given_address) == (expected, "")


@pytest.mark.parametrize("bad,words", [
    ("a@example.com\r\nBcc: b@example.org", "line break"),
    ("a\u202e@example.com", "bidirectional"),
    ("a\ud800@example.com", "surrogate"),
    ("a\x00@example.com", "control"),
    ("a\u200b@example.com", "invisible"),
    ("a b@example.com", "whitespace"),
    ("\"a b\"@example.com", "whitespace"),
    ("\"ab\"@example.com", "local part"),
    ("a(comment)@example.com", "local part"),
    ("a@b@example.com", "more than one @"),
    ("a@example", "domain"),
    ("a@-example.com", "domain"),
    ("a@example..com", "domain"),
    ("@example.com", "local part and domain"),
    ("a" * 65 + "@example.com", "local part"),
    ("a@" + "b" * 250 + ".com", "254"),
    ("", "no email address"),
])
def test_unusable_addresses_say_why(bad: str, words: str) -> None:
    address, why = normalize_email(bad)
    assert address is None and words in why


def test_non_text_addresses_are_unusable() -> None:
    assert normalize_email(None) == (None, "no email address")
    assert normalize_email(5)[0] is None and "int" in normalize_email(5)[1]
    assert normalize_email(["a@example.com"])[0] is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_an_accepted_address_never_carries_anything_a_header_could_misread(text: str) -> None:
    address, why = normalize_email(text)
    if address is None:
        assert why
        return
    assert address == address.strip().lower() and address.count("@") == 1
    assert address.isprintable() and not any(ch.isspace() for ch in address)


def test_names_and_titles_are_cleaned_never_refused() -> None:
    assert clean_text("Jo\ud800hn") == "Jo\ufffdhn"
    assert clean_text("Jo\u202ehn\u2066") == "John"
    assert clean_text("John\r\nBcc: x@example.org") == "John Bcc: x@example.org"
    assert clean_text("  Ro  sie\t") == "Ro sie"
    assert clean_text("\x00\x07\u200b") is None
    assert clean_text("x" * 500, 10) == "x" * 9 + "…"
    assert clean_text(None) is None and clean_text(True) is None and clean_text(["a"]) is None
    assert clean_text(42) == "42"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=2, max_value=300))
def test_cleaned_text_is_printable_one_line_and_bounded(text: str, limit: int) -> None:
    cleaned = clean_text(text, limit)
    if cleaned is None:
        return
    assert len(cleaned) <= limit and cleaned == cleaned.strip()
    assert not any(ch in BIDI_CONTROLS or "\ud800" <= ch <= "\udfff" for ch in cleaned)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in cleaned)
    cleaned.encode("utf-8")  # never raises


def test_bodies_keep_their_lines_and_lose_invisible_controls() -> None:
    assert clean_body("Hello\u202e\r\nthere\ud800\x07") == "Hello\nthere\ufffd"


def test_ids_with_odd_characters_are_refused() -> None:
    assert id_problem("c1a2b3") is None and id_problem("#1001") is None
    for bad in ("a\ud800", "a b", "a\r\nb", "\u202eid", "x" * 256, "a\u00a0b"):
        assert id_problem(bad), bad


def test_times_outside_1970_to_a_day_ahead_fall_back() -> None:
    assert sane_time(NOW - timedelta(days=3), NOW) == NOW - timedelta(days=3)
    assert sane_time(NOW + timedelta(hours=23), NOW) == NOW + timedelta(hours=23)
    assert sane_time(datetime(9999, 12, 31, tzinfo=UTC), NOW) == NOW
    assert sane_time(datetime(1, 1, 1), NOW) == NOW
    assert sane_time(datetime(1969, 12, 31, tzinfo=UTC), NOW) == NOW


def test_amounts_must_be_finite_and_sane() -> None:
    assert money_problem(Decimal("404.95")) is None and money_problem(Decimal(0)) is None
    for bad in ("NaN", "sNaN", "Infinity", "-Infinity", "1e12", "-1e30", "1e-20"):
        assert money_problem(Decimal(bad)), bad


def test_links_must_be_plain_http() -> None:
    url = "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token"
    assert safe_url(url) == url
    for bad in ("javascript:alert(1)", "http://x.example/\r\nX: y", "https://x.example/\u202e", "ftp://x", 5, ""):
        assert safe_url(bad) is None, bad
