"""LinkSigner: a key of its own, a purpose and an expiry in every token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chalicelib.messages import LinkSigner
from tests.conftest import Clock

KEY = "a-link-signing-key-of-its-own-0123"


def signer(clock: Clock, key: str = KEY) -> LinkSigner:
    return LinkSigner(key, "https://shop.example/dev", clock)


def test_a_token_is_for_one_purpose_and_one_subject(clock: Clock) -> None:
    links = signer(clock)
    token = links.sign("survey", "order-1001", timedelta(days=14))
    assert links.check("survey", "order-1001", token)
    assert not links.check("unsubscribe", "order-1001", token)
    assert not links.check("survey", "order-1002", token)
    assert not links.check("survey", "order-1001", None) and not links.check("survey", "order-1001", "")


def test_a_token_expires(clock: Clock) -> None:
    links = signer(clock)
    token = links.sign("console-signin", "owner:n1", timedelta(minutes=15))
    clock.advance(minutes=14, seconds=59)
    assert links.expiry("console-signin", "owner:n1", token) is not None
    clock.advance(seconds=2)
    assert not links.check("console-signin", "owner:n1", token)


def test_an_extended_expiry_breaks_the_signature(clock: Clock) -> None:
    links = signer(clock)
    token = links.sign("review", "k", timedelta(minutes=1))
    head, _, mac = token.partition(".")
    later = int(head, 36) + 86400
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while later:
        later, rest = divmod(later, 36)
        text = digits[rest] + text
    assert not links.check("review", "k", f"{text}.{mac}")
    assert not links.check("review", "k", "0" + token)  # one spelling per expiry


def test_unsubscribe_links_survive_the_rotation_of_every_other_secret(clock: Clock) -> None:
    """The key is its own secret: a webhook secret or inbound token changing does not touch it."""
    url = signer(clock).unsubscribe_url("Sam@Example.com")
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    clock.advance(days=300)
    assert signer(clock).check("unsubscribe", query["e"], query["t"])
    assert not signer(clock, KEY + "-rotated").check("unsubscribe", query["e"], query["t"])
    clock.advance(days=101)
    assert not signer(clock).check("unsubscribe", query["e"], query["t"])  # even these end (after 400 days)


def test_a_short_key_is_refused(clock: Clock) -> None:
    with pytest.raises(ValueError, match="too short"):
        signer(clock, "short").sign("review", "k", timedelta(days=1))


@given(st.text(min_size=0, max_size=80))
@example("0.\x80")  # non-ASCII after a valid expiry: compare_digest raised TypeError on such a str
@example("0.\ud800")  # a lone surrogate, which a JSON body can carry
def test_garbage_tokens_are_refused_without_errors(token: str) -> None:
    links = LinkSigner(KEY, "http://x", lambda: datetime(2026, 1, 1, tzinfo=UTC),
                       legacy_secret=lambda: "inbound-token")
    assert links.check("review", "k", token) is False
    assert links.check("unsubscribe", "sam@example.com", token) is False
    assert links.check("unsubscribe", "sam@example.com", (token * 32)[:32]) is False  # the legacy length


def test_unsubscribe_links_from_before_the_change_keep_working_for_a_while(clock: Clock) -> None:
    import hashlib
    import hmac

    old_key = hashlib.sha256(b"warmline-links:inbound-token").digest()
    old_token = hmac.new(old_key, b"unsubscribe:sam@example.com", hashlib.sha256).hexdigest()[:32]
    links = LinkSigner(KEY, "http://x", clock, legacy_secret=lambda: "inbound-token")
    assert links.check("unsubscribe", "sam@example.com", old_token)
    assert not links.check("unsubscribe", "kim@example.com", old_token)
    assert not links.check("review", "sam@example.com", old_token)  # only unsubscribe links were ever honoured
    assert not LinkSigner(KEY, "http://x", clock).check("unsubscribe", "sam@example.com", old_token)
    clock.now = LinkSigner.LEGACY_UNSUBSCRIBE_UNTIL
    assert not links.check("unsubscribe", "sam@example.com", old_token)
