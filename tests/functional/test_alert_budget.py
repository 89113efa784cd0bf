"""The alert budget: urgent alerts text at once, the rest are batched, and every one is in the inbox."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from chalicelib.owner.budget import BudgetedAlerter, BudgetSettings
from chalicelib.owner.desk import SqliteDesk
from chalicelib.owner.wiring import owner_services
from chalicelib.ports import OwnerAlertMessage
from tests.conftest import Clock, make_services
from tests.functional.helpers import client_for, post_email
from tests.functional.test_console import customer_email

URGENT = ("I am furious. You charged me twice and my order never came. I want a full refund today or I will "
          "file a chargeback with my bank and call my lawyer.")
UPSET = "This is not good enough. I'm unhappy with how my order was handled."


def test_thirty_upset_messages_in_an_hour(tmp_path: Path, clock: Clock) -> None:
    budget = {"batch_every_hours": 3, "max_texts_per_day": 12}
    services = make_services(tmp_path, clock, owner={**_owner(), "alert_budget": budget})
    alerts = services.extras["alerts"]
    urgent_at_once = 0
    with client_for(services) as client:
        for i in range(30):
            text = URGENT if i % 6 == 0 else UPSET
            before = len(alerts.entries())
            post_email(client, customer_email(f"m{i}@mail.example", text=text, sender=f"c{i}@example.com",
                                              name=f"Customer {i}"))
            services.extras["runner"].run_once()
            services.extras["alert_budget"].flush()
            new = alerts.entries()[before:]
            item = owner_services(services).desk.get("item", f"alert:m{i}@mail.example")
            assert item is not None, f"message {i} is in the inbox"
            if item["level"] == "urgent":
                assert [e["key"] for e in new] == [f"alert:m{i}@mail.example"]  # texted at once
                urgent_at_once += 1
            clock.advance(minutes=2)
    assert urgent_at_once == 5
    texts = alerts.entries()
    batched = [t for t in texts if t["level"] != "urgent" or t["key"].startswith("digest:")]
    assert len(batched) <= 1  # within the hour: one combined text at most (every 3 hours)
    clock.advance(hours=3)
    services.extras["alert_budget"].flush()
    texts = alerts.entries()
    digests = [t for t in texts if t not in texts[:urgent_at_once + len(batched)]]
    assert len(digests) == 1 and "customers need you" in digests[0]["sms"]
    assert len(texts) <= urgent_at_once + 2 <= budget["max_texts_per_day"]
    # every one of the 30 is in the owner's inbox, texted or not
    rows = [r for r in owner_services(services).attention() if r.kind == "message"]
    assert len(rows) == 30
    assert [r.level for r in rows[:5]] == ["urgent"] * 5  # most urgent first
    services.extras["db"].close()


def _owner() -> dict[str, Any]:
    return {"name": "Rosie", "alert_phones": ["+447911123456"], "alert_email": "rosie@rosiesbakery.example",
            "review_base_url": "http://127.0.0.1:8000"}


class Recorder:
    def __init__(self) -> None:
        self.sent: list[OwnerAlertMessage] = []

    def alert(self, message: OwnerAlertMessage) -> str:
        self.sent.append(message)
        return message.key


def test_quiet_hours_and_the_daily_cap(tmp_path: Path) -> None:
    from chalicelib.adapters.local.sqlite import SqliteDatabase

    clock = Clock(datetime(2026, 11, 18, 23, 0, tzinfo=UTC))
    inner = Recorder()
    desk = SqliteDesk(SqliteDatabase(tmp_path / "db.sqlite"), clock)
    settings = BudgetSettings(timedelta(hours=1), 3, time(22, 0), time(7, 0))
    budget = BudgetedAlerter(inner, desk, settings, clock, "UTC", "http://x/console")

    def message(key: str, level: str) -> OwnerAlertMessage:
        return OwnerAlertMessage(key=key, short_text=key, long_text=key, level=level, review_url="")

    budget.alert(message("a1", "alert"))
    budget.alert(message("u1", "urgent"))
    assert [m.key for m in inner.sent] == ["u1"]  # quiet hours: only the urgent one
    clock.advance(hours=8, minutes=5)  # 07:05
    assert budget.flush() == 1 and inner.sent[-1].key == "a1"
    budget.alert(message("u2", "urgent"))
    budget.alert(message("u3", "urgent"))
    budget.alert(message("u4", "urgent"))  # the fourth text of the 19th: over the cap of 3, so it waits
    assert [m.key for m in inner.sent] == ["u1", "a1", "u2", "u3"]
    assert budget.texts_today() == 3
    clock.advance(days=1)
    assert budget.flush() == 1 and inner.sent[-1].key == "u4"  # it waited, and goes out the next day


def test_a_retried_delivery_never_texts_again(tmp_path: Path) -> None:
    from chalicelib.adapters.local.sqlite import SqliteDatabase

    clock = Clock(datetime(2026, 11, 18, 12, 0, tzinfo=UTC))
    inner = Recorder()
    budget = BudgetedAlerter(inner, SqliteDesk(SqliteDatabase(tmp_path / "db.sqlite"), clock),
                             BudgetSettings(timedelta(hours=1), 5), clock)
    urgent = OwnerAlertMessage(key="u", short_text="u", long_text="u", level="urgent", review_url="")
    mild = OwnerAlertMessage(key="m", short_text="m", long_text="m", level="alert", review_url="")
    for _ in range(3):  # the queue re-runs the same delivery
        budget.alert(urgent)
        budget.alert(mild)
        clock.advance(hours=2)
        budget.flush()
    assert [m.key for m in inner.sent] == ["u", "m"] and budget.texts_today() == 2


def test_watch_items_mail_the_owner_at_most_so_often_and_all_wait_in_the_inbox(tmp_path: Path) -> None:
    from chalicelib.adapters.local.sqlite import SqliteDatabase

    clock = Clock(datetime(2026, 11, 18, 12, 0, tzinfo=UTC))
    inner = Recorder()
    desk = SqliteDesk(SqliteDatabase(tmp_path / "db.sqlite"), clock)
    budget = BudgetedAlerter(inner, desk, BudgetSettings(timedelta(hours=1), 5, max_watch_per_hour=3), clock)
    for i in range(5):  # anyone can write to the shop: five calm complaints within the hour
        budget.alert(OwnerAlertMessage(key=f"w{i}", short_text="w", long_text="w", level="watch", review_url=""))
    budget.alert(OwnerAlertMessage(key="w0", short_text="w", long_text="w", level="watch", review_url=""))  # retry
    assert [m.key for m in inner.sent] == ["w0", "w1", "w2"]  # mailed (never texted); the rest: inbox only
    assert {d["_key"]: d["in"] for d in desk.items("alert_done")} == {
        "w0": "inbox", "w1": "inbox", "w2": "inbox", "w3": "inbox only", "w4": "inbox only"}
    assert budget.texts_today() == 0
    clock.advance(hours=1)
    budget.alert(OwnerAlertMessage(key="w5", short_text="w", long_text="w", level="watch", review_url=""))
    assert inner.sent[-1].key == "w5"  # a new hour
