"""The week's "most common complaints": every complaint the cues name has a topic in the owner's words, and what is
no complaint (worry, urgency, a bereavement, "no rush") has none."""

from __future__ import annotations

from chalicelib.domain.cues import _CUE_TABLE
from chalicelib.owner.week import _topic

NOT_COMPLAINTS = {"worried", "urgent", "bereavement", "sarcasm", "wants_owner", "opt_out_other", "allergy",
                  "data_request", "callback", "distress", "at_risk",
                  "impersonation"}  # a customer in crisis or at risk, or a fake shop, is no complaint to count


def test_every_complaint_cue_has_a_topic_and_the_rest_none() -> None:
    for kind, reason, *_ in _CUE_TABLE:
        if kind in NOT_COMPLAINTS:
            assert _topic(reason) in ("", "requests to stop the emails", "requests about personal data"), (kind, reason)
        else:
            assert _topic(reason), (kind, reason)


def test_specific_topics_win() -> None:
    assert _topic("reports a careless or wrong delivery") == "deliveries"
    assert _topic("received the wrong or incomplete order") == "wrong item"
    assert _topic("reports a health or safety problem") == "health or safety"
    assert _topic("says their order was cancelled") == "cancelled orders"
    assert _topic("order #1001 is 6 days late") == "late or missing orders"
    assert _topic("says they did not place this order") == "orders they didn't place"
    assert _topic("threatens you or your staff") == "threats to you or your staff"
    assert _topic("says they were sent another customer's personal details") == "another customer's details sent out"
    assert _topic('says it can wait ("no rush")') == ""


def test_the_customers_quoted_words_are_not_a_topic() -> None:
    assert _topic('thanks you for putting it right ("thank you for the refund")') == ""
    assert _topic('says it can wait ("no rush")') == ""
    assert _topic('a deadline today ("in two hours")') == ""
