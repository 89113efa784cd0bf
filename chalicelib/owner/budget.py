"""The alert budget: how often Warmline may text the owner.

Wraps the OwnerAlerter port (composed in bootstrap). Urgent alerts go at once; the rest wait and
go together in one text at most every `batch_every_hours`; never more than `max_texts_per_day`
texts a day (urgent ones count, and past the cap they wait for the next digest too); during the
owner's own quiet hours only urgent alerts go out. Nothing is lost: every alert is also an item in
the console's inbox, whether or not it was texted. "Watch" items (worth a look, never a text) go to
the alerts email and file at once, at most `max_watch_per_hour` an hour shop-wide: anyone can write
to the shop, so a flood of messages must not become a flood of mail to the owner; past the cap they
wait in the console's inbox only. `flush` runs on every alert and on the ticker
/ the scheduled sweeper, so waiting alerts go out when their time comes.

Concurrency (several Lambdas at once): every text takes one of the day's numbered slots with a
conditional write, and every digest takes its time window's slot, so the limits hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..ports import OwnerAlerter, OwnerAlertMessage
from .desk import Desk

PENDING = "alert_pending"
SLOT = "alert_slot"
STATE = "alert_budget"
DONE = "alert_done"  # alerts already texted, alone or in a digest: a retry never texts them again


@dataclass(frozen=True)
class BudgetSettings:
    batch_every: timedelta = timedelta(hours=3)
    max_per_day: int = 8
    quiet_start: time | None = None
    quiet_end: time | None = None
    max_watch_per_hour: int = 12

    @classmethod
    def from_config(cls, raw: dict[str, Any]) -> BudgetSettings:
        budget = (raw.get("owner") or {}).get("alert_budget") or {}
        quiet = budget.get("quiet_hours")

        def clock(value: str) -> time:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))

        return cls(timedelta(hours=float(budget.get("batch_every_hours", 3))), int(budget.get("max_texts_per_day", 8)),
                   clock(quiet["start"]) if quiet else None, clock(quiet["end"]) if quiet else None)

    def quiet(self, local: time) -> bool:
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end


class BudgetedAlerter:
    def __init__(self, inner: OwnerAlerter, desk: Desk, settings: BudgetSettings, clock: Callable[[], datetime],
                 timezone: str = "UTC", console_url: str = "", shop_name: str = "") -> None:
        self.inner = inner
        self.desk = desk
        self.settings = settings
        self.clock = clock
        self.zone = ZoneInfo(timezone)
        self.console_url = console_url
        self.shop_name = shop_name

    # --- OwnerAlerter ---------------------------------------------------------------------
    def alert(self, message: OwnerAlertMessage) -> str:
        now = self.clock()
        if self.desk.get(DONE, message.key) is not None:  # a retried delivery: texted (or digested) already
            return message.key
        if message.level == "watch":  # worth a look, never a text: the inbox, the alerts email and file only
            if not self._take_watch_slot(now, message.key):  # a flood: the console's inbox only
                self.desk.put(DONE, message.key, {"at": now.isoformat(), "in": "inbox only"}, ttl=timedelta(days=3))
                return message.key
            sent = self.inner.alert(message)  # the SNS adapter texts no phone for "watch"
            self.desk.put(DONE, message.key, {"at": now.isoformat(), "in": "inbox"}, ttl=timedelta(days=3))
            return sent
        if message.level == "urgent" and self._take_slot(now, message.key):
            sent = self.inner.alert(message)
            self.desk.put(DONE, message.key, {"at": now.isoformat()}, ttl=timedelta(days=3))
            return sent
        self.desk.put(PENDING, message.key, {"at": now.isoformat(), "level": message.level,
                                             "short_text": message.short_text, "long_text": message.long_text,
                                             "review_url": message.review_url, "data": message.data},
                      ttl=timedelta(days=3))
        self.flush(now)
        return message.key

    # --- the digest -------------------------------------------------------------------------
    def flush(self, now: datetime | None = None) -> int:
        """Send waiting alerts as one text if the budget allows now; returns how many it covered."""
        now = now or self.clock()
        pending = sorted(self.desk.items(PENDING), key=lambda p: str(p.get("at")))
        if not pending:
            return 0
        local = now.astimezone(self.zone)
        if self.settings.quiet(local.time()):
            return 0
        state = self.desk.get(STATE, "digest") or {}
        last = state.get("last")
        if last and now - datetime.fromisoformat(last) < self.settings.batch_every:
            return 0
        window = int(now.timestamp() // self.settings.batch_every.total_seconds())
        if not self.desk.add(SLOT, f"digest:{window}", {"at": now.isoformat()}, ttl=timedelta(days=2)):
            return 0
        first = pending[0]
        key = first["_key"] if len(pending) == 1 else f"digest:{now.isoformat(timespec='seconds')}"
        if not self._take_slot(now, key):
            self.desk.delete(SLOT, f"digest:{window}")
            return 0
        self.desk.put(STATE, "digest", {"last": now.isoformat()}, ttl=timedelta(days=2))
        self.inner.alert(self._digest(key, pending))
        for item in pending:
            self.desk.put(DONE, item["_key"], {"at": now.isoformat(), "in": key}, ttl=timedelta(days=3))
            self.desk.delete(PENDING, item["_key"])
        return len(pending)

    def _digest(self, key: str, pending: list[dict[str, Any]]) -> OwnerAlertMessage:
        if len(pending) == 1:  # one alert waiting: send it as it was written
            p = pending[0]
            return OwnerAlertMessage(key=key, short_text=p["short_text"], long_text=p["long_text"], level=p["level"],
                                     review_url=p.get("review_url", ""), data=p.get("data") or {})
        levels = [p.get("level", "alert") for p in pending]
        upset = sum(1 for lv in levels if lv in ("alert", "urgent"))
        short = (f"Warmline: {len(pending)} customers need you ({upset} upset). Open your console: "
                 f"{self.console_url}")
        long = "\n".join([f"{len(pending)} alerts waited for this combined text (your alert budget):",
                          *(f"- [{p.get('level')}] {p.get('short_text', '')[:160]}" for p in pending),
                          f"All of them are in your console's inbox: {self.console_url}"])
        return OwnerAlertMessage(key=key, short_text=short[:300], long_text=long, level=max(
            levels, key=lambda lv: ("watch", "alert", "urgent").index(lv) if lv in ("watch", "alert", "urgent") else 0),
            review_url=self.console_url, data={"digest_of": [p["_key"] for p in pending]})

    def _take_slot(self, now: datetime, key: str) -> bool:
        """One of the day's numbered text slots (local day), or False when the day's texts are used up."""
        day = now.astimezone(self.zone).strftime("%Y-%m-%d")
        for i in range(self.settings.max_per_day):
            if self.desk.add(SLOT, f"day:{day}:{i}", {"key": key, "at": now.isoformat()}, ttl=timedelta(days=2)):
                return True
        return False

    def _take_watch_slot(self, now: datetime, key: str) -> bool:
        """One of the hour's numbered slots for "watch" mail to the owner, or False when they are used up."""
        hour = now.astimezone(UTC).strftime("%Y-%m-%dT%H")
        for i in range(self.settings.max_watch_per_hour):
            if self.desk.add(SLOT, f"watch:{hour}:{i}", {"key": key, "at": now.isoformat()}, ttl=timedelta(hours=3)):
                return True
        return False

    def texts_today(self, now: datetime | None = None) -> int:
        day = (now or self.clock()).astimezone(self.zone).strftime("%Y-%m-%d")
        return sum(1 for s in self.desk.items(SLOT) if s["_key"].startswith(f"day:{day}:"))
