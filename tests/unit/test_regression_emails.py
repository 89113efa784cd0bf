"""The regression set of whole customer emails (bench/data/customer_emails.jsonl): each gets its expected
escalation level from the local engine and escalation, with no customer history, reading the email's new text as the
service does (its signature and a company's legal footer dropped)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.config.model import EscalationSettings
from chalicelib.domain.escalation import assess
from chalicelib.domain.state import ESCALATION_ORDER
from chalicelib.engine import LocalSentimentAnalyzer
from chalicelib.ingress.email_message import extract_new_text

ROWS = [json.loads(line) for line in
        (Path(__file__).resolve().parents[2] / "bench/data/customer_emails.jsonl").read_text().splitlines() if line]
ENGINE = LocalSentimentAnalyzer()
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_the_set_covers_every_kind_and_the_sourdough_note() -> None:
    assert {r["kind"] for r in ROWS} == {"thank-you", "question", "complaint", "sarcasm", "mixed", "foreign", "crisis"}
    assert any(r["text"] == "The sourdough was wonderful, thank you so much for the lovely note in the box!"
               and r["expected"] == "none" for r in ROWS)
    assert len({r["id"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_expected_level(row: dict[str, str]) -> None:
    text = extract_new_text(row["text"])
    result = assess(ENGINE.read(text), text, None, EscalationSettings(), NOW)
    expected = row["expected"]
    if expected.endswith("+"):
        assert ESCALATION_ORDER.index(result.level) >= ESCALATION_ORDER.index(expected[:-1]), result.reasons
    else:
        assert result.level == expected, result.reasons
    if row["kind"] in ("thank-you", "question"):
        assert not result.at_least("alert") and not any("sarcastic" in r for r in result.reasons)
