"""The rule by which `make train` chooses the "needs a person" model's thresholds (bench/train_person.py, whose
docstring states it), without the training dependencies, so the tests can check it."""

from __future__ import annotations

import math
from typing import Any

GRID = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 .. 0.95
MAX_NONE_TEXTED = 0.03
MAX_PUBLIC_RAISED = 0.01
MAX_QUIET_URGENT = 0.01
MAX_PUBLIC_URGENT = 0.002
MIN_ROWS = 50


def bound(hits: int, n: int) -> float:
    share = hits / n if n else 0.0
    return share + math.sqrt(share * (1 - share) / n) if n else 0.0


def at_once(p: float, u: float, alert: float, urgent: float, alone: float = 2.0) -> bool:
    """Whether the model makes a message with these readings urgent: both heads over their thresholds, or the urgent
    head alone over its own."""
    return (p >= alert and u >= urgent) or u >= alone


def choose(oof: list[tuple[str, float, float]], public: list[tuple[str, str, float, float]]
           ) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The thresholds by the rule in bench/train_person.py's docstring, and the table behind them."""
    table: list[dict[str, Any]] = []
    alert: float | None = None
    nones = [(p, u) for level, p, u in oof if level == "none"]
    quiet = [(p, u) for level, p, u in oof if level in ("none", "watch")]
    wanted = [(p, u) for level, p, u in oof if level in ("alert", "urgent")]
    urgents = [(p, u) for level, p, u in oof if level == "urgent"]
    groups: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for source, polarity, p, u in public:
        groups.setdefault((source, polarity), []).append((p, u))
    groups = {k: v for k, v in groups.items() if len(v) >= MIN_ROWS}
    for t in GRID:
        texted_none = sum(p >= t for p, _ in nones)
        worst = max(((bound(sum(p >= t for p, _ in v), len(v)), f"{s} {pol}") for (s, pol), v in groups.items()),
                    default=(0.0, "-"))
        ok = bound(texted_none, len(nones)) <= MAX_NONE_TEXTED and worst[0] <= MAX_PUBLIC_RAISED
        if ok and alert is None:
            alert = t
        table.append({"threshold": t, "none_texted": texted_none, "nones": len(nones),
                      "wanted_caught": sum(p >= t for p, _ in wanted), "wanted": len(wanted),
                      "public_worst": round(worst[0], 4), "public_set": worst[1], "meets": ok})
    if alert is None:
        raise SystemExit("no threshold meets the rule: the model would text too many people who need nobody")
    bar = alert

    def within(urgent: float, alone: float) -> bool:
        """None or watch messages out of fold, and public ones, reaching the owner at once within their limits."""
        hits = sum(at_once(p, u, bar, urgent, alone) for p, u in quiet)
        worst = max((bound(sum(at_once(p, u, bar, urgent, alone) for p, u in g), len(g)) for g in groups.values()),
                    default=0.0)
        return bound(hits, len(quiet)) <= MAX_QUIET_URGENT and worst <= MAX_PUBLIC_URGENT

    # never urgent from the model (1.01) unless a threshold meets the rule; then the urgent head alone the same way
    urgent = next((t for t in GRID if within(t, 2.0)), 1.01)
    alone = next((t for t in GRID if within(urgent, t)), 1.01)
    for row in table:
        t = row["threshold"]
        row["urgent_caught"] = sum(at_once(p, u, alert, t) for p, u in urgents)
        row["quiet_urgent"] = sum(at_once(p, u, alert, t) for p, u in quiet)
        row["alone_caught"] = sum(at_once(p, u, alert, urgent, t) for p, u in urgents)
        row["quiet_alone"] = sum(at_once(p, u, alert, urgent, t) for p, u in quiet)
    return {"alert": alert, "urgent": urgent, "urgent_alone": alone}, table
