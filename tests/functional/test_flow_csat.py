""""How did we do?": the survey email after delivery, a click recorded (and changed), a low score to the owner,
and never for a refunded order, an unsubscribed customer or twice in 90 days."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from chalicelib.bootstrap import Services
from tests.conftest import ROOT, Clock, shared_json
from tests.functional.helpers import client_for, live_order, log_of, outbox, post_shopify, text_of, tick_at

PLACED = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def delivered_order(services: Services, clock: Clock) -> datetime:
    """Order placed, shipped the next day, delivered (the carrier's scan) two days later: returns the scan time."""
    clock.now = PLACED
    fulfillment = shared_json("shopify/fulfillments_create.json")
    fulfillment["created_at"] = (PLACED + timedelta(days=1)).isoformat()
    scan = json.loads((ROOT / "tests" / "fixtures" / "shopify_fulfillment_events_create.json").read_text())
    scan["happened_at"] = (PLACED + timedelta(days=3)).isoformat()
    with client_for(services) as client:  # each webhook arrives when it happens
        assert post_shopify(client, live_order(PLACED), "orders/create").status_code == 200
        tick_at(services, PLACED)
        clock.now = PLACED + timedelta(days=1)
        assert post_shopify(client, json.dumps(fulfillment).encode(), "fulfillments/create").status_code == 200
        tick_at(services, clock.now)
        clock.now = PLACED + timedelta(days=3)
        assert post_shopify(client, json.dumps(scan).encode(), "fulfillment_events/create").status_code == 200
        tick_at(services, clock.now)
    return PLACED + timedelta(days=3)


def survey_emails(services: Services) -> list[Any]:
    return [m for m in outbox(services) if str(m["Subject"]).startswith("How did we do")]


def links(message: Any) -> dict[int, str]:
    text = text_of(message)
    return {int(score): url for score, url in re.findall(r"\((\d)\): (http\S+)", text)}


def click(services: Services, url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    with client_for(services) as client:
        response = client.http.get(f"{parts.path}?{parts.query}")
    return response.status_code, response.body.decode()


def test_the_survey_comes_days_after_delivery_and_a_low_score_reaches_the_owner(services: Services,
                                                                                 clock: Clock) -> None:
    scanned = delivered_order(services, clock)
    (step,) = services.extras["scheduler"].pending_steps("csat")
    assert datetime.fromisoformat(step.due) == scanned + timedelta(days=3)  # the delivery scan moved it
    tick_at(services, scanned + timedelta(days=2))
    assert survey_emails(services) == []
    clock.now = scanned + timedelta(days=3, minutes=1)
    tick_at(services, clock.now)
    (survey,) = survey_emails(services)
    assert survey["Subject"] == "How did we do with order #9999?" and survey["To"] == "jon@example.com"
    answers = links(survey)
    assert sorted(answers) == [1, 2, 3, 4, 5]

    status, page = click(services, answers[2])
    assert status == 200 and "Not great" in page and "<textarea" in page
    customer = services.store.get_customer("jon@example.com")
    assert customer is not None and customer.surveys[-1].score == 2
    (alert,) = [a for a in services.extras["alerts"].entries() if a["key"].startswith("csat:")]
    assert "scored order #9999 2 out of 5" in json.dumps(alert)

    status, page = click(services, answers[4])  # changed their mind: the last click counts
    customer = services.store.get_customer("jon@example.com")
    assert customer is not None and customer.surveys[-1].score == 4
    assert len([a for a in services.extras["alerts"].entries() if a["key"].startswith("csat:")]) == 1

    with client_for(services) as client:  # the comment box
        parts = urlsplit(answers[4])
        form = dict(p.split("=", 1) for p in parts.query.split("&") if not p.startswith("s="))
        form["comment"] = "Lovely%20bread%2C%20thank%20you"
        response = client.http.post("/survey", headers={"Content-Type": "application/x-www-form-urlencoded"},
                                    body="&".join(f"{k}={v}" for k, v in form.items()))
    assert response.status_code == 200 and "reads every word" in response.body.decode()
    customer = services.store.get_customer("jon@example.com")
    assert customer is not None and customer.surveys[-1].comment == "Lovely bread, thank you"
    assert log_of(services, decision="SaveCustomer")


def comment(services: Services, url: str, text: str) -> None:
    from urllib.parse import quote

    with client_for(services) as client:
        parts = urlsplit(url)
        form = dict(p.split("=", 1) for p in parts.query.split("&") if not p.startswith("s="))
        form["comment"] = quote(text)
        response = client.http.post("/survey", headers={"Content-Type": "application/x-www-form-urlencoded"},
                                    body="&".join(f"{k}={v}" for k, v in form.items()))
    assert response.status_code == 200


def test_a_named_problem_in_a_middling_scores_comment_reaches_the_owner(services: Services, clock: Clock) -> None:
    """"Okay" (3) with "The cake arrived squashed." reads calm to the model (0.09), but names a problem: the owner
    hears of it, with the problem named; a happy comment on the same score does not reach them."""
    scanned = delivered_order(services, clock)
    clock.now = scanned + timedelta(days=3, minutes=1)
    tick_at(services, clock.now)
    (survey,) = survey_emails(services)
    answers = links(survey)
    assert click(services, answers[3])[0] == 200
    comment(services, answers[3], "Lovely bread, thank you")
    assert not [a for a in services.extras["alerts"].entries() if a["key"].startswith("csat:")]
    comment(services, answers[3], "The cake arrived squashed.")
    (alert,) = [a for a in services.extras["alerts"].entries() if a["key"].startswith("csat:")]
    assert alert["reasons"] == ["scored order #9999 3 out of 5", "left an unhappy comment",
                                "reports damaged or faulty goods"]


def test_an_altered_survey_link_is_refused_and_reveals_nothing(services: Services, clock: Clock) -> None:
    delivered_order(services, clock)
    tick_at(services, PLACED + timedelta(days=7))
    (survey,) = survey_emails(services)
    url = links(survey)[5].replace("jon%40example.com", "someone-else%40example.com")
    status, page = click(services, url)
    assert status == 400 and "example.com" not in page


def test_no_survey_after_a_refund_or_within_ninety_days(services: Services, clock: Clock) -> None:
    delivered_order(services, clock)
    refund = shared_json("shopify/refunds_create.json")
    with client_for(services) as client:
        post_shopify(client, json.dumps(refund).encode(), "refunds/create")
    tick_at(services, PLACED + timedelta(days=30))
    assert survey_emails(services) == []
    assert services.extras["scheduler"].pending_steps("csat") == []


def test_no_survey_for_a_customer_who_unsubscribed(services: Services, clock: Clock) -> None:
    # Shopify's real consent payload, for this order's customer, saying they unsubscribed after it shipped.
    scanned = delivered_order(services, clock)
    consent = shared_json("shopify/customers_email_marketing_consent_update.json")
    consent.update(email_address="jon@example.com")
    consent["email_marketing_consent"].update(state="unsubscribed", consent_updated_at=scanned.isoformat())
    with client_for(services) as client:
        response = post_shopify(client, json.dumps(consent).encode(), "customers_email_marketing_consent/update")
        assert response.status_code == 200
    tick_at(services, scanned + timedelta(days=30))
    assert survey_emails(services) == []
    (why,) = [e for e in log_of(services, decision="Suppress") if e.get("flow") == "csat"]
    assert why["code"] == "unsubscribed" and "a survey is optional" in why["reason"]


def test_one_survey_in_ninety_days_even_for_two_orders(services: Services, clock: Clock) -> None:
    delivered_order(services, clock)
    tick_at(services, PLACED + timedelta(days=7))
    assert len(survey_emails(services)) == 1
    second = live_order(PLACED + timedelta(days=8), id=820982911946154999, name="#10000")
    fulfillment = shared_json("shopify/fulfillments_create.json")
    fulfillment.update(order_id=820982911946154999, id=999, created_at=(PLACED + timedelta(days=9)).isoformat())
    with client_for(services) as client:
        clock.now = PLACED + timedelta(days=8)
        post_shopify(client, second, "orders/create")
        tick_at(services, clock.now)
        clock.now = PLACED + timedelta(days=9)
        post_shopify(client, json.dumps(fulfillment).encode(), "fulfillments/create")
        tick_at(services, clock.now)
    tick_at(services, PLACED + timedelta(days=30))  # the second order's fallback (10 days after shipping) is due
    assert len(survey_emails(services)) == 1
    assert any("at most one in 90 days" in e["reason"] for e in log_of(services, decision="Note"))


def test_the_survey_pages_send_the_security_headers_and_escape_what_they_echo(services: Services,
                                                                              clock: Clock) -> None:
    delivered_order(services, clock)
    tick_at(services, PLACED + timedelta(days=7))
    (survey,) = survey_emails(services)
    parts = urlsplit(links(survey)[3])
    with client_for(services) as client:
        response = client.http.get(f"{parts.path}?{parts.query}")
    assert response.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_owners_week_counts_survey_answers_once_per_order(services: Services, clock: Clock) -> None:
    from chalicelib.owner.wiring import owner_services

    delivered_order(services, clock)
    clock.now = PLACED + timedelta(days=7)
    tick_at(services, clock.now)
    (survey,) = survey_emails(services)
    click(services, links(survey)[2])
    click(services, links(survey)[4])  # changed their mind
    week = owner_services(services).week(clock.now)
    assert week.survey_scores == [4]
    assert week.as_dict()["survey"] == {"answers": 1, "average": 4.0, "low (1-2)": 0}
