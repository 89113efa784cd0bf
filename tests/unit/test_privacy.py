"""Masking personal data for logs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.ingress.inspect import inspect_email
from chalicelib.privacy import customer_ref, mask_email, mask_phone, mask_pii


@pytest.mark.parametrize(
    ("addr", "masked"),
    [
        ("john@example.com", "jo***@example.com"),
        ("Jonathan.Smith@Example.COM", "Jo***@example.com"),
        ("al@example.com", "a***@example.com"),
        ("x@example.com", "x***@example.com"),
        ("  jane@shop.example  ", "ja***@shop.example"),
        ("not-an-address", "n***"),
        ("", ""),
    ],
)
def test_mask_email(addr: str, masked: str) -> None:
    assert mask_email(addr) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+44 20 7946 0958", "+** ** **** **58"),
        ("+1 (555) 123-4567", "+* (***) ***-**67"),
        ("07700900123", "*********23"),
        ("12", "12"),
    ],
)
def test_mask_phone_keeps_shape_and_last_two_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail me at jane.doe+shop@example.co.uk please", "mail me at ja***@example.co.uk please"),
        ("Call +44 20 7946 0958 today", "Call +** ** **** **58 today"),
        ("Call (555) 123-4567 or 555.123.4567", "Call (***) ***-**67 or ***.***.**67"),
        ("Mobil: 0151 23456789", "Mobil: **** ******89"),
        ("appelez le 06 12 34 56 78", "appelez le ** ** ** ** 78"),
        ("ruf an: 0049 30 1234567", "ruf an: **** ** *****67"),
        ("card 4111 1111 1111 1111 ok", "card [card ****1111] ok"),
        ("card 4111-1111-1111-1111.", "card [card ****1111]."),
        ("amex 3782 822463 10005", "amex [card ****0005]"),
        # Not Luhn-valid (last digit changed): masked all the same, by design.
        ("typo 4111111111111112", "typo [card ****1112]"),
    ],
)
def test_mask_pii_masks(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Order #1001 placed on 2024-03-12, delivered 12.03.2024, total 129.99 EUR",
        "Between 2019-2024 I ordered 3 times; reference 1234567",
        "It's been 3 weeks, at 10:30 every day",
        "Tracking 1Z999AA10123456784",
        "",
    ],
)
def test_mask_pii_leaves_ordinary_numbers(text: str) -> None:
    assert mask_pii(text) == text


def test_mask_pii_two_phones_side_by_side_are_both_masked() -> None:
    masked = mask_pii("555-123-4567 555-987-6543")
    assert "4567" not in masked and "6543" not in masked
    assert "card" not in masked


def test_mask_pii_everything_at_once() -> None:
    text = "I'm Jane (jane@example.com, +1 555 123 4567), card 4242 4242 4242 4242 was charged twice!"
    masked = mask_pii(text)
    assert masked == "I'm Jane (ja***@example.com, +* *** *** **67), card [card ****4242] was charged twice!"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_mask_pii_never_raises_and_keeps_text_without_digits_or_at(text: str) -> None:
    masked = mask_pii(text)
    if not any(ch.isdigit() for ch in text) and "@" not in text:
        assert masked == text


def test_customer_ref_is_stable_short_and_normalised() -> None:
    ref = customer_ref("Jane@Example.com ")
    assert ref == customer_ref("jane@example.com")
    assert ref.startswith("c_") and len(ref) == 14
    assert "jane" not in ref
    assert ref != customer_ref("john@example.com")
    assert customer_ref("jane@example.com", salt="shop-1") != ref


def test_inspect_email_masks_sender_and_counts_stripped_characters() -> None:
    raw = (
        b"From: Jane Doe <jane@customer.example>\r\nSubject: Re: order\r\n\r\n"
        b"Where is my order?\r\n\r\nOn Mon, 1 Jan 2024 at 10:00, Shop <s@x.example> wrote:\r\n> Shipped!\r\n"
    )
    result = inspect_email(raw)
    assert result == {
        "kind": "customer",
        "kind_reason": "no machine-mail signals: a person wrote this",
        "from": "ja***@customer.example",
        "subject": "Re: order",
        "new_text": "Where is my order?",
        "stripped_chars": len("\n\nOn Mon, 1 Jan 2024 at 10:00, Shop <s@x.example> wrote:\n> Shipped!"),
        "trust": "unknown",
        "trust_detail": "",
    }
    signed = inspect_email(b"Authentication-Results: mx.example; spf=pass; dkim=pass; dmarc=pass\r\n" + raw)
    assert signed["trust"] == "pass" and signed["trust_detail"] == "headers: spf=pass dkim=pass dmarc=pass"
