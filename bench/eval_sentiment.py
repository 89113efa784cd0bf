"""`make eval`: Warmline's local model beside VADER and the previous engine, on every public test split.

Sets (never used for training, calibration or the threshold):
- the test split of each set in ../shared/data/sentiment-train/ (see `sentiment_data.py` for label
  mapping and splits): TweetEval sentiment (SemEval-2017 test), TweetEval emotion, GoEmotions,
  complaints to company accounts, SemEval-2014 ABSA (restaurants + laptops), Hu & Liu reviews;
- the whole of the sets in ../shared/data/sentiment/ (UCI sentences, VADER's ICWSM-2014 ground
  truth; ratings in (-0.5, 0.5) left out), which no engine was trained on;
- customer_service (bench/data/customer_service.jsonl): 208 short emails written by the team that
  wrote the previous engine's cues: an illustration, not the headline.

Engines, each at the operating point the product uses:
- model: the local engine (`LocalSentimentAnalyzer`), negative score >= the default escalation threshold;
  with `--weights F`, a candidate weights file (`train_sentiment.py --out F`) read by the same engine code
  at its own calibrated threshold;
- previous: the lexicon engine it replaces (`previous_engine.py`), negative score >= 0.6;
- vader: vaderSentiment's SentimentIntensityAnalyzer, compound <= -0.05.

Columns: negative precision, recall, F1 at that point; average precision (the area under the
precision-recall curve: the whole ranking, not one point); R@Pv, the best recall any threshold on the
engine's score reaches with at least the precision VADER has at its own operating point on that set (a
precision every set can reach, so engines compare at equal precision where R@P.85 is often out of
reach); recall at precision 0.85 and 0.90 (the same at those fixed precisions); P@15%: the precision
an inbox where 15% of messages are upset would see at the same recall and false-positive rate; false
alarms: the share of clearly positive and of neutral messages that would count as upset ("-" where
the set has no such rows); owner alerts: the share of clearly positive, of neutral and of upset
messages that Warmline would text the owner about, and that it would put in the owner's inbox without a
text (model and cues through escalation at "alert" or above, with no
customer history, as `warmline score`; the previous engine through the same escalation at its own
threshold; "-" for VADER, which Warmline never put behind escalation).

Then the margins on the public test splits: model minus each other engine on AP, R@Pv, R@P.85 and
R@P.90, each with a 95% paired bootstrap interval (the split resampled with replacement, every engine
scored on the same resample; `--resamples`, fixed seed), which says whether a difference is more than
the luck of which messages the split happens to hold: at precision 0.90 on a set of 1,421 tweets, a
dozen tweets move recall by a point.
And the model's false alarms on clearly positive messages with their 95% Wilson intervals.
And how well the model's score is calibrated on the test splits: a reliability table (score bins, the
share of upset messages in each) with every set re-weighted to the inbox the trainer calibrated for.

Then the regression set of whole customer emails (bench/data/customer_emails.jsonl) with the level
each gets; the blind probes (bench/data/blind_probes.jsonl: messages written, with the level each
should get, by helpers who had not read the cues), as agreement with their writers' levels; and
throughput on short messages, one core, after warm-up.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sentiment_data import SOURCES, Example, load_all  # noqa: E402

from chalicelib.config.model import EscalationSettings  # noqa: E402
from chalicelib.domain.escalation import assess  # noqa: E402
from chalicelib.domain.state import SentimentReading  # noqa: E402
from chalicelib.engine.local import LocalSentimentAnalyzer  # noqa: E402
from chalicelib.engine.model import Model, decode  # noqa: E402
from chalicelib.ingress.email_message import extract_new_text  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "sentiment"
CUSTOMER_SERVICE = REPO / "bench" / "data" / "customer_service.jsonl"
CUSTOMER_EMAILS = REPO / "bench" / "data" / "customer_emails.jsonl"
BLIND_PROBES = REPO / "bench" / "data" / "blind_probes.jsonl"
LEVELS: Final = ("none", "watch", "alert", "urgent")
VADER_NEUTRAL_BAND = 0.5
INBOX_SHARE = 0.15
PREVIOUS_THRESHOLD = 0.6


def _binary(text: str, negative: bool, source: str) -> Example:
    return Example(text, int(negative), None if negative else 1, "negative" if negative else "positive", source,
                   "test")


def load_uci(path: Path, source: str) -> list[Example]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text, _, label = line.rstrip().rpartition("\t")
        if text and label in ("0", "1"):
            out.append(_binary(text.strip(), label == "0", source))
    return out


def load_vader(path: Path, source: str) -> list[Example]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        try:
            rating = float(parts[1])
        except ValueError:
            continue
        if abs(rating) >= VADER_NEUTRAL_BAND:
            out.append(_binary(parts[2].strip(), rating <= -VADER_NEUTRAL_BAND, source))
    return out


def load_customer_service(path: Path = CUSTOMER_SERVICE) -> list[Example]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [_binary(r["text"], r["label"] == "negative", "customer_service") for r in rows]


def load_emails(path: Path = CUSTOMER_EMAILS) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def datasets() -> dict[str, list[Example]]:
    """Every evaluation set by name: public test splits first, the team-written illustration last."""
    if not SHARED.is_dir():
        raise SystemExit(f"The shared sentiment data is missing: expected {SHARED} beside this checkout.")
    sets: dict[str, list[Example]] = {}
    for example in load_all():
        if example.split == "test":
            sets.setdefault(example.source, []).append(example)
    uci = SHARED / "uci_sentiment_labelled_sentences"
    vader = SHARED / "vader_icwsm2014"
    sets["uci_amazon_cells"] = load_uci(uci / "amazon_cells_labelled.txt", "uci_amazon_cells")
    sets["uci_imdb"] = load_uci(uci / "imdb_labelled.txt", "uci_imdb")
    sets["uci_yelp"] = load_uci(uci / "yelp_labelled.txt", "uci_yelp")
    sets["vader_amazon_snippets"] = load_vader(vader / "amazonReviewSnippets_GroundTruth.txt", "vader_amazon")
    sets["vader_tweets"] = load_vader(vader / "tweets_GroundTruth.txt", "vader_tweets")
    sets["customer_service (team-written)"] = load_customer_service()
    return sets


@dataclass(frozen=True)
class Result:
    n: int
    negatives: int
    precision: float
    recall: float
    f1: float
    recall_at_85: float
    recall_at_90: float
    recall_at_vader: float
    average_precision: float
    inbox_precision: float
    positive_false_alarms: float | None
    neutral_false_alarms: float | None
    positive_owner_alerts: float | None = None
    neutral_owner_alerts: float | None = None
    upset_owner_alerts: float | None = None
    positive_owner_inbox: float | None = None
    neutral_owner_inbox: float | None = None
    upset_owner_inbox: float | None = None


@dataclass(frozen=True)
class Ranking:
    """One engine's scores on a set, sorted once: example indices from most to least upset, and where each
    group of tied scores ends (a threshold cannot split a tie)."""

    order: tuple[int, ...]
    group_ends: tuple[bool, ...]


def rank(scores: Sequence[float]) -> Ranking:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ends = tuple(k + 1 == len(order) or scores[order[k + 1]] != scores[i] for k, i in enumerate(order))
    return Ranking(tuple(order), ends)


def ranked_metrics(ranking: Ranking, gold: Sequence[int], weights: Sequence[int] | None,
                   targets: Sequence[float]) -> tuple[float, tuple[float, ...]]:
    """(average precision, best recall at precision >= each target) of a ranking, each example counted
    `weights[i]` times (a bootstrap resample; None: once each). Average precision is the mean precision at
    each upset message's rank, a tie counted at its group's precision: 1.0 when every upset message scores
    above every other, the upset share for chance."""
    positives = sum(gold) if weights is None else sum(w for w, g in zip(weights, gold, strict=True) if g)
    if not positives:
        return 0.0, tuple(0.0 for _ in targets)
    best = [0] * len(targets)
    total = 0.0
    tp = fp = group_tp = 0
    for i, end in zip(ranking.order, ranking.group_ends, strict=True):
        count = 1 if weights is None else weights[i]
        if gold[i]:
            tp += count
            group_tp += count
        else:
            fp += count
        if not end or not tp:
            continue
        precision = tp / (tp + fp)
        total += group_tp * precision
        group_tp = 0
        for k, target in enumerate(targets):
            if precision >= target and tp > best[k]:
                best[k] = tp
    return total / positives, tuple(b / positives for b in best)


def recall_at_precision(scores: Sequence[float], gold: Sequence[int], target: float) -> float:
    """The best recall any threshold on `scores` reaches with precision >= target (ties kept together)."""
    return ranked_metrics(rank(scores), gold, None, (target,))[1][0]


def average_precision(scores: Sequence[float], gold: Sequence[int]) -> float:
    """Area under the precision-recall curve (`ranked_metrics`)."""
    return ranked_metrics(rank(scores), gold, None, ())[0]


MARGIN_METRICS: Final = ("AP", "R@Pv", "R@P.85", "R@P.90")


def paired_margins(gold: Sequence[int], scores: dict[str, Sequence[float]], vader_hits: Sequence[bool],
                   resamples: int, seed: int = 2026) -> dict[tuple[str, str], tuple[float, float, float]]:
    """How far the model is ahead of each other engine, and how sure that is: for each metric of
    `MARGIN_METRICS` and each engine other than "model", (model minus that engine on the set, and the 2.5th
    and 97.5th percentiles of the same difference over `resamples` paired bootstrap resamples of the set).

    Paired: every engine is scored on the same resampled messages, so a hard message counts against all
    of them at once. R@Pv is recomputed at the precision VADER's operating point has in each resample."""
    n = len(gold)
    rankings = {name: rank(s) for name, s in scores.items()}

    def metrics(weights: Sequence[int] | None) -> dict[str, tuple[float, ...]]:
        hits = [(1 if weights is None else weights[i], gold[i]) for i in range(n) if vader_hits[i]]
        flagged = sum(w for w, _ in hits)
        vader_precision = sum(w for w, g in hits if g) / flagged if flagged else 1.0
        out = {}
        for name, ranking in rankings.items():
            ap, recalls = ranked_metrics(ranking, gold, weights, (vader_precision, 0.85, 0.90))
            out[name] = (ap, *recalls)
        return out

    def differences(values: dict[str, tuple[float, ...]]) -> dict[tuple[str, str], float]:
        return {(metric, other): values["model"][k] - values[other][k]
                for k, metric in enumerate(MARGIN_METRICS) for other in values if other != "model"}

    point = differences(metrics(None))
    draws: dict[tuple[str, str], list[float]] = {key: [] for key in point}
    rng = random.Random(seed)
    for _ in range(resamples):
        weights = [0] * n
        for i in rng.choices(range(n), k=n):
            weights[i] += 1
        for key, value in differences(metrics(weights)).items():
            draws[key].append(value)
    out = {}
    for key, value in point.items():
        cuts = statistics.quantiles(draws[key], n=40, method="inclusive") if resamples >= 2 else [value, value]
        out[key] = (value, cuts[0], cuts[-1])
    return out


def evaluate(
    examples: Sequence[Example], scores: Sequence[float], threshold: float, equal_precision: float | None = None
) -> Result:
    """`equal_precision`: the precision another engine reaches at its own operating point (VADER's), at
    which this engine's best recall is reported (`recall_at_vader`); None for this engine's own."""
    gold = [e.negative for e in examples]
    hit = [s >= threshold for s in scores]
    tp = sum(1 for g, h in zip(gold, hit, strict=True) if g and h)
    fp = sum(1 for g, h in zip(gold, hit, strict=True) if not g and h)
    fn = sum(1 for g, h in zip(gold, hit, strict=True) if g and not h)
    negatives = tp + fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / negatives if negatives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    not_negative = len(gold) - negatives
    fpr = fp / not_negative if not_negative else 0.0
    caught = INBOX_SHARE * recall
    inbox = caught / (caught + (1 - INBOX_SHARE) * fpr) if caught + fpr else 0.0

    def alarm_rate(polarity: str) -> float | None:
        chosen = [h for e, h in zip(examples, hit, strict=True) if e.polarity == polarity]
        return sum(chosen) / len(chosen) if chosen else None

    at_vader = recall_at_precision(scores, gold, precision if equal_precision is None else equal_precision)
    return Result(len(gold), negatives, precision, recall, f1, recall_at_precision(scores, gold, 0.85),
                  recall_at_precision(scores, gold, 0.90), at_vader, average_precision(scores, gold), inbox,
                  alarm_rate("positive"), alarm_rate("neutral"))


# name, the engine's negative score for a text, its operating threshold, and its full reading (None for VADER)
Engine = tuple[str, Callable[[str], float], float, Callable[[str], SentimentReading] | None]
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


OwnerRates = tuple[float | None, float | None, float | None]


def owner_alert_rates(examples: Sequence[Example], readings: Sequence[SentimentReading], threshold: float
                      ) -> tuple[OwnerRates, OwnerRates]:
    """For clearly positive, neutral and upset messages: the share escalation makes "alert" or above (a
    text to the owner), and the share it puts in the owner's inbox without a text (a "watch" with an
    upset reading or a cue, not clearly positive)."""
    settings = EscalationSettings(threshold=threshold)
    alerted: list[float | None] = []
    inboxed: list[float | None] = []
    for wanted in ("positive", "neutral", "upset"):
        chosen = [(e, r) for e, r in zip(examples, readings, strict=True)
                  if (e.negative if wanted == "upset" else e.polarity == wanted)]
        results = [assess(r, e.text, None, settings, NOW) for e, r in chosen]
        alerts = sum(a.at_least("alert") for a in results)
        inbox = sum(a.inbox and not a.at_least("alert") for a in results)
        alerted.append(alerts / len(chosen) if chosen else None)
        inboxed.append(inbox / len(chosen) if chosen else None)
    return (alerted[0], alerted[1], alerted[2]), (inboxed[0], inboxed[1], inboxed[2])


def model_threshold(weights: Model | None) -> float:
    """The model engine's operating point: the default escalation threshold (the shipped model's own), or a
    candidate's own calibrated threshold (`--weights`), which shipping it would make the default."""
    return EscalationSettings().threshold if weights is None else weights.threshold


def engines(weights: Model | None = None) -> list[Engine]:
    from previous_engine import PreviousEngine
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    model = LocalSentimentAnalyzer(weights)
    previous = PreviousEngine()
    vader = SentimentIntensityAnalyzer()
    def read_model(text: str) -> SentimentReading:
        return model.read(text, "en")

    def read_previous(text: str) -> SentimentReading:
        return previous.read(text, "en")

    return [
        ("model", _negative(read_model), model_threshold(weights), read_model),
        ("previous", _negative(read_previous), PREVIOUS_THRESHOLD, read_previous),
        ("vader", lambda t: -float(vader.polarity_scores(t)["compound"]), 0.05, None),
    ]


def _negative(read: Callable[[str], SentimentReading]) -> Callable[[str], float]:
    """An engine's score for a text: the negative score of its reading."""
    return lambda text: read(text).negative


def throughput(read: Callable[[str], object], texts: Sequence[str], seconds: float = 1.5) -> float:
    for text in texts:
        read(text)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            read(text)
        count += len(texts)
    return count / (time.perf_counter() - start)


def email_levels(weights: Model | None = None) -> list[tuple[dict[str, str], str, list[str]]]:
    """Each regression email with the level it gets (no customer history) and the reasons."""
    engine = LocalSentimentAnalyzer(weights)
    settings = EscalationSettings(threshold=model_threshold(weights))
    out: list[tuple[dict[str, str], str, list[str]]] = []
    for row in load_emails():
        text = extract_new_text(row["text"])  # the new text, as the service reads an email
        escalation = assess(engine.read(text), text, None, settings, NOW)
        out.append((row, escalation.level, list(escalation.reasons)))
    return out


@dataclass
class ProbeResult:
    """One blind probe: `table[expected][got]`, and its summary counts."""

    table: dict[str, dict[str, int]]
    n: int = 0
    exact: int = 0  # at the writer's level
    too_low: int = 0  # two or more levels below it
    too_high: int = 0  # two or more levels above it
    text_missed: int = 0  # the writer wanted a text (alert or urgent); none was sent


def probe_agreement(weights: Model | None = None, path: Path = BLIND_PROBES) -> dict[int, ProbeResult]:
    """Per blind probe: the writers' level against the level Warmline gives (no customer history)."""
    engine = LocalSentimentAnalyzer(weights)
    settings = EscalationSettings(threshold=model_threshold(weights))
    out: dict[int, ProbeResult] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        got = assess(engine.read(row["text"]), row["text"], None, settings, NOW).level
        probe = out.setdefault(row["probe"], ProbeResult({e: dict.fromkeys(LEVELS, 0) for e in LEVELS}))
        want, have = LEVELS.index(row["expected"]), LEVELS.index(got)
        probe.table[row["expected"]][got] += 1
        probe.n += 1
        probe.exact += want == have
        probe.too_low += have <= want - 2
        probe.too_high += have >= want + 2
        probe.text_missed += want >= 2 and have < 2
    return out


def level_ok(expected: str, level: str) -> bool:
    """`expected` is a level ("watch"), or a level and anything above it ("alert+")."""
    order = ("none", "watch", "alert", "urgent")
    if expected.endswith("+"):
        return order.index(level) >= order.index(expected[:-1])
    return level == expected


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


CalibrationRow = tuple[float, float, float, float, float]  # bin low, bin high, weight share, mean score, upset share


def calibration(sets: dict[str, tuple[Sequence[float], Sequence[int]]], bins: int = 10
                ) -> tuple[list[CalibrationRow], dict[str, float]]:
    """How well a score reads as "the probability this customer is upset, in an inbox where INBOX_SHARE of
    messages are upset" (what the trainer calibrated it to, on validation data). Each set is re-weighted to
    that inbox (its upset messages INBOX_SHARE of its weight) and the sets count equally. Returns the pooled
    reliability table, one row per score bin that holds any weight, and each set's expected calibration
    error: the weighted mean gap between the scores in a bin and the upset share among them."""
    totals = [[0.0, 0.0, 0.0] for _ in range(bins)]  # weight, weighted score, weighted upset
    errors: dict[str, float] = {}
    for name, (scores, gold) in sets.items():
        upset = sum(gold)
        calm = len(gold) - upset
        per_set = [[0.0, 0.0, 0.0] for _ in range(bins)]
        for score, label in zip(scores, gold, strict=True):
            weight = (INBOX_SHARE / upset if label else (1 - INBOX_SHARE) / calm) if upset and calm else 1 / len(gold)
            cell = per_set[min(bins - 1, int(score * bins))]
            cell[0] += weight
            cell[1] += weight * score
            cell[2] += weight * label
        errors[name] = sum(abs(c[1] - c[2]) for c in per_set) / sum(c[0] for c in per_set)
        for total, cell in zip(totals, per_set, strict=True):
            for k in range(3):
                total[k] += cell[k]
    weight = sum(t[0] for t in totals)
    rows = [(b / bins, (b + 1) / bins, t[0] / weight, t[1] / t[0], t[2] / t[0])
            for b, t in enumerate(totals) if t[0] > 0]
    return rows, errors


def wilson_interval(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a share `hits / n` (sound for small counts and shares near 0)."""
    if not n:
        return 0.0, 1.0
    share = hits / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((share * (1 - share) + z * z / (4 * n)) / n) ** 0.5 / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def print_calibration(sets: dict[str, tuple[Sequence[float], Sequence[int]]]) -> None:
    rows, errors = calibration(sets)
    print(f"Calibration of the model's negative score on the public test splits, each re-weighted to an inbox where "
          f"{INBOX_SHARE:.0%}")
    print("of messages are upset, the sets counting equally (calibrated on validation data: a score of 0.5 should")
    print("mean about half of the messages scored so are upset):")
    print(f"  {'score':>9} {'messages':>8} {'mean score':>10} {'upset':>6}")
    for low, high, share, mean, upset in rows:
        print(f"  {low:4.1f}-{high:4.1f} {share:8.1%} {mean:10.3f} {upset:6.3f}")
    print("  expected calibration error (weighted mean gap per bin): "
          + ", ".join(f"{name} {error:.3f}" for name, error in errors.items()))


def print_margins(margins: dict[str, dict[tuple[str, str], tuple[float, float, float]]], resamples: int) -> None:
    print("Margins on the public test splits: model minus previous, model minus VADER, with the 95% interval of")
    print(f"{resamples:,} paired bootstrap resamples of each split in brackets (an interval that holds 0: level")
    print("within sampling noise; one wholly above 0: ahead on messages like these, not by luck of the sample).")
    header = f"{'set':31} {'metric':6} | {'model - previous':>24} | {'model - vader':>24}"
    print(header)
    print("-" * len(header))
    for name, table in margins.items():
        for metric in MARGIN_METRICS:
            cells = []
            for other in ("previous", "vader"):
                value, low, high = table[(metric, other)]
                cells.append(f"{value:+6.3f} [{low:+6.3f}, {high:+6.3f}]")
            print(f"{name:31} {metric:6} | {cells[0]:>24} | {cells[1]:>24}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sets", nargs="*", help="only these sets")
    parser.add_argument("--json", action="store_true", help="print the table as JSON lines")
    parser.add_argument("--weights", type=Path,
                        help="score these weights as the model (a candidate from train_sentiment.py --out)")
    parser.add_argument("--resamples", type=int, default=1000,
                        help="bootstrap resamples for the margins' intervals (0: no margins table)")
    args = parser.parse_args(argv)
    sets = datasets()
    chosen = {k: v for k, v in sets.items() if not args.sets or k in args.sets}
    weights = decode(args.weights.read_bytes()) if args.weights else None
    runs = engines(weights)
    print("Negative (upset) detection on test data no engine was trained, calibrated or tuned on.")
    print("  model    = Warmline's trained local model, negative >= "
          f"{model_threshold(weights):.2f} ("
          + ("the default escalation threshold)" if weights is None else
             f"its own threshold; weights {args.weights}, version {weights.version})"))
    print(f"  previous = the lexicon engine it replaces, negative >= {PREVIOUS_THRESHOLD}")
    print("  vader    = vaderSentiment 3.3.2, compound <= -0.05")
    print("  AP = average precision (area under the precision-recall curve; the upset share for a coin toss);")
    print("  R@Pv = best recall at the precision VADER reaches at its own operating point on that set;")
    print("  R@P.85 / R@P.90 = best recall at precision >= 0.85 / 0.90 (engines compared at equal precision);")
    print(f"  P@15% = precision in an inbox where {INBOX_SHARE:.0%} of messages are upset; FA = false alarms on")
    print("  clearly positive (pos) and neutral (neu) messages counted as upset (marketing paused: watch or more);")
    print("  Apos / Aneu = the share of them Warmline would text the owner about, Aneg = of the upset ones (the")
    print("  engine and the cues through escalation, no customer history, level alert or above; - for VADER,")
    print("  never put behind escalation); Ipos / Ineu / Ineg = the share put in the owner's inbox, no text.")
    print()
    header = (f"{'set':31} {'n':>6} {'neg':>5} | {'engine':8} {'prec':>5} {'recall':>6} {'f1':>5} {'AP':>5} "
              f"{'R@Pv':>5} {'R@P.85':>6} {'R@P.90':>6} {'P@15%':>5} {'FApos':>5} {'FAneu':>5} {'Apos':>5} {'Aneu':>5} "
              f"{'Aneg':>5} {'Ipos':>5} {'Ineu':>5} {'Ineg':>5}")
    print(header)
    print("-" * len(header))
    margins: dict[str, dict[tuple[str, str], tuple[float, float, float]]] = {}
    happy_alarms: dict[str, tuple[int, int]] = {}
    calibration_sets: dict[str, tuple[Sequence[float], Sequence[int]]] = {}
    for name, examples in chosen.items():
        none: OwnerRates = (None, None, None)
        scored: dict[str, tuple[list[float], float, tuple[OwnerRates, OwnerRates]]] = {}
        for engine_name, score, threshold, read in runs:
            if read is None:
                scored[engine_name] = ([score(e.text) for e in examples], threshold, (none, none))
                continue
            readings = [read(e.text) for e in examples]
            scored[engine_name] = ([r.negative for r in readings], threshold,
                                   owner_alert_rates(examples, readings, threshold))
        vader_scores, vader_threshold, _ = scored["vader"]
        vader_precision = evaluate(examples, vader_scores, vader_threshold).precision
        model_scores, model_cut, _ = scored["model"]
        happy = [score >= model_cut for e, score in zip(examples, model_scores, strict=True)
                 if e.polarity == "positive"]
        if happy and name in SOURCES:
            happy_alarms[name] = (sum(happy), len(happy))
        if name in SOURCES:
            calibration_sets[name] = (model_scores, [e.negative for e in examples])
        if args.resamples and name in SOURCES:
            margins[name] = paired_margins([e.negative for e in examples],
                                           {engine: values[0] for engine, values in scored.items()},
                                           [v >= vader_threshold for v in vader_scores], args.resamples)
        for engine_name, (scores, threshold, (alerts, inbox)) in scored.items():
            result = replace(evaluate(examples, scores, threshold, vader_precision), positive_owner_alerts=alerts[0],
                             neutral_owner_alerts=alerts[1], upset_owner_alerts=alerts[2],
                             positive_owner_inbox=inbox[0], neutral_owner_inbox=inbox[1], upset_owner_inbox=inbox[2])
            if args.json:
                print(json.dumps({"set": name, "engine": engine_name, **result.__dict__}))
                continue
            print(f"{name:31} {result.n:6d} {result.negatives:5d} | {engine_name:8} {result.precision:5.3f} "
                  f"{result.recall:6.3f} {result.f1:5.3f} {result.average_precision:5.3f} "
                  f"{result.recall_at_vader:5.3f} {result.recall_at_85:6.3f} {result.recall_at_90:6.3f} "
                  f"{result.inbox_precision:5.3f} {_pct(result.positive_false_alarms)} "
                  f"{_pct(result.neutral_false_alarms)} {_pct(result.positive_owner_alerts)} "
                  f"{_pct(result.neutral_owner_alerts)} {_pct(result.upset_owner_alerts)} "
                  f"{_pct(result.positive_owner_inbox)} {_pct(result.neutral_owner_inbox)} "
                  f"{_pct(result.upset_owner_inbox)}")
    if margins and not args.json:
        print()
        print_margins(margins, args.resamples)
    if happy_alarms and not args.json:
        print()
        print("The model's false alarms on clearly positive messages (goal at most 5%), with the 95% Wilson interval:")
        for name, (alarms, happy_count) in happy_alarms.items():
            low, high = wilson_interval(alarms, happy_count)
            print(f"  {name:31} {alarms:4d} of {happy_count:5d}: {alarms / happy_count:6.1%} [{low:5.1%}, {high:5.1%}]")
    if calibration_sets and not args.json:
        print()
        print_calibration(calibration_sets)
    print()
    print(f"Regression set: whole customer emails ({CUSTOMER_EMAILS.relative_to(REPO)}), expected level vs got:")
    failures = 0
    for row, level, reasons in email_levels(weights):
        ok = level_ok(row["expected"], level)
        failures += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {row['id']:24} expected {row['expected']:6} got {level:6} "
              f"{'; '.join(reasons)[:90]}")
    print(f"  {failures} of {len(load_emails())} differ")
    print()
    print(f"Blind probes ({BLIND_PROBES.relative_to(REPO)}): messages and levels written by helpers who had not read "
          "the cues; the")
    print("  writers' level against Warmline's (rows: expected; columns: got none / watch / alert / urgent).")
    print("  Each was scored once before anything it showed was changed (those figures: bench/data/README.md); all but")
    print("  probes 7, 12, 46, 47, 49, 52-55, 57-59 and 61-63 were then used to mend the cues, and probes 1-45")
    print("  train the 'needs a person' model (chalicelib/engine/PERSON_MODEL_CARD.md), so these figures flatter")
    print("  those. Probes 46 to 63 were written after the model and are held out of it; 52-55, 57-59 and 61-63")
    print("  were written after the cues too and never mended them: their figures are the honest ones for the code")
    print("  as it is (bench/data/README.md).")
    for probe, agreement in sorted(probe_agreement(weights).items()):
        print(f"  probe {probe}: {agreement.exact} of {agreement.n} at the writer's level; two or more levels too low "
              f"{agreement.too_low}, too high {agreement.too_high}; a text the writer wanted, not sent: "
              f"{agreement.text_missed}")
        for expected in LEVELS:
            print(f"    {expected:6} " + " ".join(f"{agreement.table[expected][got]:4d}" for got in LEVELS))
    print()
    texts = [e.text for e in sets["customer_service (team-written)"]]
    mean_len = sum(len(t) for t in texts) / len(texts)
    print(f"Throughput, one core, {len(texts)} short messages (mean {mean_len:.0f} characters), after warm-up:")
    for engine_name, score, _, _ in runs:
        print(f"  {engine_name:8}: {throughput(score, texts):8,.0f} messages/second")
    print("  (model: the engine's reading; escalation then finds the customer-service cues once, for any engine,")
    print("   see bench/model_bench.py for both together. previous: its lexicon read the cues itself.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
