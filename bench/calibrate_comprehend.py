"""Fit Comprehend's calibration: its Negative score mapped onto the local model's calibrated scale.

Escalation reads every engine's negative score as "the probability that this customer is upset, in an
inbox where 15% of messages are upset", with one threshold (0.5 by default). The local model is
calibrated so by `make train`. Comprehend's Negative score is not such a probability, so the adapter
maps it through the anchors in `chalicelib/adapters/aws/comprehend_calibration.json`. As shipped they
are set by hand; this tool fits them the same way the local model was calibrated:

1. scores the validation splits of ../shared/data/sentiment-train/ (never the test splits) with
   Comprehend's BatchDetectSentiment ("en"; the adapter's batching, truncation and retries), keeping
   every score in a cache file so a rerun bills nothing twice (about 9,500 messages, about 30,000
   units: a few dollars at Comprehend's list price);
2. fits Platt scaling on the logit of the Negative score, each set weighted equally and the upset
   share re-weighted to 15% (as `make train` does for the model);
3. prints what the fitted map would change on each validation set (messages counted as upset at the
   threshold; false alarms on clearly positive and neutral ones), and writes the anchors, with where
   they came from, to the calibration file. Review it and commit it like the model's weights.

Run: `.venv/bin/python bench/calibrate_comprehend.py` (says what it would score and bill; calls nothing),
`... --go` (scores what is not cached yet, needs AWS credentials and a region, then fits and writes),
`... --fit-only` (fits from the cache; calls nothing).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from eval_sentiment import INBOX_SHARE, evaluate  # noqa: E402
from sentiment_data import Example, load_all  # noqa: E402

from chalicelib.adapters.aws.comprehend import (  # noqa: E402
    CALIBRATION_FILE,
    billed_units,
    check_anchors,
    interpolate,
    truncate_utf8,
)
from chalicelib.config.model import EscalationSettings  # noqa: E402

DEFAULT_CACHE = REPO / "var" / "comprehend_validation_scores.jsonl"
PRICE_PER_UNIT = 0.0001  # US dollars, Comprehend's list price for sentiment (first 10M units a month)
# Comprehend Negative scores at which the fitted map is written down (it is interpolated between them).
GRID = (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0)
MAX_UNSCORED = 0.01  # the fit goes ahead without at most 1% of the messages (ones Comprehend refuses)
CLIP = 1e-4  # Comprehend reports scores like 0.00012; the logit needs them inside (0, 1)


def validation_rows() -> list[Example]:
    return [e for e in load_all() if e.split == "val"]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_cache(path: Path) -> dict[str, float]:
    """Cached raw Negative scores by `text_key`. A line cut short by an interrupted run is skipped (its
    message is scored again), not fatal."""
    cached: dict[str, float] = {}
    if not path.exists():
        return cached
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            cached[str(row["key"])] = float(row["negative"])
        except (ValueError, KeyError, TypeError):
            continue
    return cached


def units_for(texts: Sequence[str]) -> int:
    return sum(billed_units(truncate_utf8(t)) for t in texts)


def score_missing(rows: Sequence[Example], cache_path: Path,
                  raw_scores: Callable[[Sequence[str]], list[dict[str, float] | None]], batch: int = 250
                  ) -> tuple[int, bool]:
    """Scores every row whose text is not cached yet, appending to the cache after each batch (an
    interrupted run keeps what it paid for). Returns how many messages Comprehend refused, and whether it
    stopped early because a whole batch failed (an outage or missing permission: no point in going on)."""
    cached = load_cache(cache_path)
    missing = [text for key, text in {text_key(r.text): r.text for r in rows}.items() if key not in cached]
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    refused = 0
    for start in range(0, len(missing), batch):
        texts = missing[start:start + batch]
        scores = raw_scores(texts)
        if all(score is None for score in scores):
            print(f"Comprehend scored none of {len(texts):,} messages (an outage, throttling, or no permission for "
                  "comprehend:BatchDetectSentiment): stopped. What was scored before is kept in the cache.",
                  file=sys.stderr)
            return refused + len(missing) - start, True
        with cache_path.open("a", encoding="utf-8") as out:
            for text, score in zip(texts, scores, strict=True):
                if score is None:
                    refused += 1
                    continue
                out.write(json.dumps({"key": text_key(text), "negative": score["Negative"]}) + "\n")
        print(f"  scored {min(start + batch, len(missing)):,} of {len(missing):,}", file=sys.stderr)
    return refused, False


def inbox_weights(rows: Sequence[Example]) -> list[float]:
    """Every set the same total weight, and within each set the upset rows INBOX_SHARE of it (a realistic
    inbox, not a tweet set's label mix); mean weight 1."""
    weights = [0.0] * len(rows)
    by_set: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_set.setdefault(row.source, []).append(i)
    for indexes in by_set.values():
        upset = [i for i in indexes if rows[i].negative]
        calm = [i for i in indexes if not rows[i].negative]
        for i in upset:
            weights[i] = INBOX_SHARE / len(upset)
        for i in calm:
            weights[i] = (1.0 - INBOX_SHARE if upset else 1.0) / len(calm)
    total = sum(weights)
    return [w / total * len(rows) for w in weights]


def logit(score: float) -> float:
    score = min(1.0 - CLIP, max(CLIP, score))
    return math.log(score / (1.0 - score))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def fit_platt(x: Sequence[float], y: Sequence[int], w: Sequence[float]) -> tuple[float, float]:
    """(a, b) minimising the weighted log loss of sigmoid(a * x + b) against y: Newton's method on two
    parameters (the same model scikit-learn's Platt fit gives the local model, without its weight)."""
    a, b = 1.0, 0.0
    for _ in range(100):
        ga = gb = haa = hab = hbb = 0.0
        for xi, yi, wi in zip(x, y, w, strict=True):
            p = sigmoid(a * xi + b)
            r = wi * (p - yi)
            s = wi * p * (1.0 - p)
            ga += r * xi
            gb += r
            haa += s * xi * xi
            hab += s * xi
            hbb += s
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            raise ValueError("Comprehend's scores do not separate upset from calm messages on this data")
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) < 1e-10 and abs(db) < 1e-10:
            return a, b
    raise ValueError("the calibration fit did not converge")


def fitted_anchors(a: float, b: float) -> list[list[float]]:
    """The Platt map written down at GRID (monotone when a > 0, which a Negative score that ranks upset
    messages higher gives)."""
    if a <= 0:
        raise ValueError(f"Comprehend's Negative score ranks calm messages above upset ones here (slope {a:.3f})")
    return [[x, round(sigmoid(a * logit(x) + b), 4)] for x in GRID]


def pct(value: float | None) -> str:
    return "     -" if value is None else f"{value:6.1%}"


def report(rows: Sequence[Example], raw: Sequence[float], maps: dict[str, Sequence[Sequence[float]]],
           threshold: float) -> None:
    """Per validation set and map: precision and recall at the threshold, false alarms on clearly
    positive and on neutral messages."""
    print(f"Validation splits, counted upset at calibrated negative >= {threshold:.2f}:")
    print(f"  {'set':22} {'map':8} {'prec':>5} {'recall':>6} {'FA pos':>6} {'FA neu':>6}")
    for source in sorted({r.source for r in rows}):
        chosen = [(r, s) for r, s in zip(rows, raw, strict=True) if r.source == source]
        for name, anchors in maps.items():
            pairs = check_anchors(anchors)
            result = evaluate([r for r, _ in chosen], [interpolate(pairs, s) for _, s in chosen], threshold)
            print(f"  {source:22} {name:8} {result.precision:5.3f} {result.recall:6.3f} "
                  f"{pct(result.positive_false_alarms)} {pct(result.neutral_false_alarms)}")


def fit(rows: Sequence[Example], cache_path: Path, out: Path) -> int:
    cached = load_cache(cache_path)
    scored = [(r, cached[text_key(r.text)]) for r in rows if text_key(r.text) in cached]
    unscored = len(rows) - len(scored)
    if unscored > MAX_UNSCORED * len(rows):
        print(f"{unscored:,} of {len(rows):,} validation messages have no Comprehend score in {cache_path}: "
              "run with --go to score them first.", file=sys.stderr)
        return 2
    if unscored:
        print(f"Fitting without {unscored:,} validation messages Comprehend would not score.")
    chosen = [r for r, _ in scored]
    raw = [s for _, s in scored]
    try:
        a, b = fit_platt([logit(s) for s in raw], [r.negative for r in chosen], inbox_weights(chosen))
        anchors = fitted_anchors(a, b)
    except ValueError as error:
        print(f"No calibration written: {error}.", file=sys.stderr)
        return 1
    current = json.loads(out.read_text(encoding="utf-8"))["anchors"] if out.exists() else [[0, 0], [1, 1]]
    threshold = EscalationSettings().threshold
    report(chosen, raw, {"current": current, "fitted": anchors}, threshold)
    sets = ", ".join(f"{s} {sum(1 for r in chosen if r.source == s):,}" for s in sorted({r.source for r in chosen}))
    source = (f"fitted {datetime.now(UTC):%Y-%m-%d} by bench/calibrate_comprehend.py: Platt scaling "
              f"sigmoid({a:.4f} x logit(Negative) + {b:.4f}) on {len(chosen):,} validation messages ({sets}), "
              f"each set weighted equally, upset share re-weighted to {INBOX_SHARE:.0%}; BatchDetectSentiment, "
              "LanguageCode en")
    out.write_text(json.dumps({"anchors": anchors, "source": source}, indent=2) + "\n", encoding="utf-8")
    pairs = check_anchors(anchors)
    at_threshold = next((x for x in [i / 1000 for i in range(1001)] if interpolate(pairs, x) >= threshold), 1.0)
    print(f"Wrote {out}: Comprehend's Negative {at_threshold:.3f} now reads {threshold:.2f}, the threshold.")
    return 0


def aws_problem(region: str | None) -> str | None:
    """Why Comprehend cannot be called from here, in a sentence (None when a region and credentials are set)."""
    import boto3

    session = boto3.Session(region_name=region)
    if session.region_name is None:
        return "No AWS region: pass --region or set AWS_DEFAULT_REGION."
    if session.get_credentials() is None:
        return "No AWS credentials: set a profile (AWS_PROFILE) or keys in the environment."
    return None


def analyzer(region: str | None) -> Any:
    from chalicelib.adapters.aws.clients import COMPREHEND_CALLS, AwsClients
    from chalicelib.adapters.aws.comprehend import ComprehendAnalyzer
    from chalicelib.engine.local import LocalSentimentAnalyzer

    return ComprehendAnalyzer(AwsClients(region=region, policy=COMPREHEND_CALLS).comprehend,
                              fallback=LocalSentimentAnalyzer(), language="en")


def main(argv: list[str] | None = None, raw_scores: Callable[[Sequence[str]], list[dict[str, float] | None]]
         | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--go", action="store_true", help="score what is not cached with Comprehend (bills units)")
    parser.add_argument("--fit-only", action="store_true", help="fit from the cached scores; call nothing")
    parser.add_argument("--max-units", type=int, default=60_000, help="refuse to bill more than this (default 60,000)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cached scores (JSON lines)")
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE, help="the calibration file to write")
    parser.add_argument("--region", help="AWS region (default: the environment's)")
    args = parser.parse_args(argv)
    rows = validation_rows()
    cached = load_cache(args.cache)
    distinct = {text_key(r.text): r.text for r in rows}
    missing = [text for key, text in distinct.items() if key not in cached]
    units = units_for(missing)
    print(f"{len(rows):,} validation messages ({len(distinct):,} distinct texts); {len(distinct) - len(missing):,} "
          f"already scored in {args.cache}; {len(missing):,} to score: {units:,} Comprehend units, about "
          f"${units * PRICE_PER_UNIT:,.2f}.")
    if missing and not args.fit_only:
        if not args.go:
            print("Nothing was sent. Run again with --go to score them (AWS credentials needed), or --fit-only.")
            return 0
        if units > args.max_units:
            print(f"That is more than --max-units {args.max_units:,}: nothing was sent.", file=sys.stderr)
            return 2
        if raw_scores is None:
            problem = aws_problem(args.region)
            if problem:
                print(f"{problem} Nothing was sent.", file=sys.stderr)
                return 2
        refused, stopped = score_missing(rows, args.cache, raw_scores or analyzer(args.region).raw_scores)
        if stopped:
            return 1
        if refused:
            print(f"Comprehend refused or could not score {refused:,} messages (run --go again to retry them).")
    return fit(rows, args.cache, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
