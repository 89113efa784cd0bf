"""The due-step sweep: one customer's bad data never stops the others, and any number of tickers send each
step once (issue: hostile input, faults and load)."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from chalicelib.bootstrap import Services
from chalicelib.cli import main
from chalicelib.domain.state import AbandonedCartSequence, CartItem
from chalicelib.ports import ScheduledStep
from tests.conftest import Clock, make_services
from tests.functional.helpers import log_of, outbox, tick_at


def plant_carts(services: Services, clock: Clock, count: int, poisoned: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    """`count` checkouts whose first reminder is due now; the poisoned ones carry data no email can hold."""
    started = clock() - timedelta(hours=1, minutes=5)
    for n in range(count):
        token = f"tok-{n:04d}"
        name = "Ana\ud800" if n in poisoned else f"Ana {n}"  # a lone surrogate: stored before validation existed
        seq = AbandonedCartSequence(
            checkout_token=token, email=f"ana{n}@example.com", started_at=started.isoformat(),
            due=tuple((started + timedelta(hours=h)).isoformat() for h in (1, 24, 72)), first_name=name,
            items=(CartItem("Sourdough", 1, "4.50"),), recovery_url=f"https://shop.example/recover/{n}")
        services.store.save_sequence(seq)
        services.extras["scheduler"].schedule(ScheduledStep("abandoned_cart", token, seq.due[0],
                                                            {"checkout_token": token, "step": 0}, seq.email, token))


def test_one_poisoned_cart_never_stops_the_other_reminders(services: Services, clock: Clock, tmp_path: Path,
                                                           capsys: object) -> None:
    plant_carts(services, clock, 20, poisoned={7})
    report = tick_at(services, clock())
    assert len(outbox(services)) == 19
    assert report.errors and "tok-0007" in report.errors[0]
    for _ in range(6):  # retried with backoff, then parked
        clock.advance(hours=2)
        tick_at(services, clock())
    (parked,) = services.extras["scheduler"].dead_steps()
    assert parked.key == "tok-0007" and "surrogate" in (parked.last_error or "")
    assert len(outbox(services)) == 19
    # The owner sees it with `warmline dead-letters` and can discard it.
    data_dir = str(services.data_dir)
    assert main(["dead-letters", "--data-dir", data_dir]) == 0
    listed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "step:abandoned_cart:tok-0007" in listed and "surrogates" in listed and "ana7@" not in listed
    assert main(["dead-letters", "--data-dir", data_dir, "--discard", "step:abandoned_cart:tok-0007"]) == 0
    assert services.extras["scheduler"].dead_steps() == []
    # Owner actions are idempotent by key: the same discard again is the same answer, and changes nothing.
    assert main(["dead-letters", "--data-dir", data_dir, "--discard", "step:abandoned_cart:tok-0007"]) == 0
    assert main(["dead-letters", "--data-dir", data_dir, "--retry", "step:abandoned_cart:nope"]) == 1


def test_two_tickers_at_once_send_each_reminder_once(tmp_path: Path, clock: Clock) -> None:
    first = make_services(tmp_path, clock)
    second = make_services(tmp_path, clock)  # another process's view of the same data dir
    plant_carts(first, clock, 200)
    start = threading.Barrier(2)

    def run(services: Services) -> None:
        start.wait()
        tick_at(services, clock())

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    keys = [str(m["X-Warmline-Key"]) for m in outbox(first)]
    assert len(keys) == 200 and len(set(keys)) == 200
    sent = [e["key"] for e in log_of(first, decision="SendEmail", outcome="sent")]
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 200  # and each decided once: one claim per step
    assert first.extras["scheduler"].claim_due(clock()) == []
    for services in (first, second):
        services.extras["db"].close()
