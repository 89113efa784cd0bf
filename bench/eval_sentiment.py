"""`make eval`: the local sentiment engine beside plain VADER, on labelled sets, with a held-out part.

Sets (all read from ../shared/data/sentiment/ beside this checkout, plus bench/data/):
- UCI "Sentiment Labelled Sentences" (amazon_cells, imdb, yelp): `sentence<TAB>0|1`; 0 is negative.
- VADER ICWSM-2014 ground truth (amazon review snippets, tweets): `id<TAB>mean rating<TAB>text`, the mean
  of human ratings on -4..+4. Gold negative: rating <= -0.5; gold not negative: rating >= +0.5; the
  ambiguous band in between (-0.5, +0.5) is left out (the raters themselves did not agree on a side).
- customer_service (bench/data/customer_service.jsonl): 208 short shop emails written by the Warmline
  team before the engine's cues were written, labelled by meaning (see bench/data/README.md).

Predicted negative:
- local engine: `is_negative(reading, EscalationSettings())`, i.e. negative score >= 0.6, the
  default escalation threshold: exactly what the product acts on.
- VADER baseline: compound <= -0.05 (the usual VADER thresholds are +-0.05).

Split: each text goes to "held-out" when the first 8 hex digits of sha256(text) mod 10 < 3 (about
30%), otherwise "dev". Only dev errors may be looked at while tuning (`--errors` prints dev only).

Throughput: the local engine over the customer-service texts (short messages), one process, one
core, after warm-up; VADER's own analyser timed the same way for comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chalicelib.config.model import EscalationSettings  # noqa: E402
from chalicelib.domain.escalation import is_negative  # noqa: E402
from chalicelib.engine.local import LocalSentimentAnalyzer  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "sentiment"
CUSTOMER_SERVICE = REPO / "bench" / "data" / "customer_service.jsonl"
VADER_NEUTRAL_BAND = 0.5
HELD_OUT_SHARE = 3  # out of 10


@dataclass(frozen=True)
class Example:
    text: str
    negative: bool


def held_out(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 10 < HELD_OUT_SHARE


def load_uci(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text, _, label = line.rstrip().rpartition("\t")
        if text and label in ("0", "1"):
            examples.append(Example(text.strip(), label == "0"))
    return examples


def load_vader(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        try:
            rating = float(parts[1])
        except ValueError:
            continue
        if abs(rating) < VADER_NEUTRAL_BAND:
            continue
        examples.append(Example(parts[2].strip(), rating <= -VADER_NEUTRAL_BAND))
    return examples


def load_customer_service(path: Path) -> list[Example]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(r["text"], r["label"] == "negative") for r in rows]


def datasets() -> dict[str, list[Example]]:
    if not SHARED.is_dir():
        raise SystemExit(f"The shared sentiment data is missing: expected {SHARED} beside this checkout.")
    uci = SHARED / "uci_sentiment_labelled_sentences"
    vader = SHARED / "vader_icwsm2014"
    return {
        "customer_service": load_customer_service(CUSTOMER_SERVICE),
        "uci_amazon_cells": load_uci(uci / "amazon_cells_labelled.txt"),
        "uci_imdb": load_uci(uci / "imdb_labelled.txt"),
        "uci_yelp": load_uci(uci / "yelp_labelled.txt"),
        "vader_amazon_snippets": load_vader(vader / "amazonReviewSnippets_GroundTruth.txt"),
        "vader_tweets": load_vader(vader / "tweets_GroundTruth.txt"),
    }


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    precision: float
    recall: float
    f1: float


def score(gold: list[bool], predicted: list[bool]) -> Scores:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(len(gold), correct / len(gold) if gold else 0.0, precision, recall, f1)


def local_predictor() -> Callable[[str], bool]:
    engine = LocalSentimentAnalyzer()
    settings = EscalationSettings()
    return lambda text: is_negative(engine.read(text), settings)


def local_label_predictor() -> Callable[[str], bool]:
    engine = LocalSentimentAnalyzer()
    return lambda text: engine.read(text).label == "NEGATIVE"


def vader_predictor() -> Callable[[str], bool]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda text: float(analyzer.polarity_scores(text)["compound"]) <= -0.05


def throughput(read: Callable[[str], object], texts: list[str], seconds: float = 1.5) -> float:
    for text in texts:
        read(text)  # warm-up: lexicon loaded, regexes compiled
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            read(text)
        count += len(texts)
    return count / (time.perf_counter() - start)


def rows(sets: dict[str, list[Example]], split: str) -> Iterable[tuple[str, str, list[tuple[str, Scores]]]]:
    predictors = (("local", local_predictor()), ("local:label", local_label_predictor()), ("vader", vader_predictor()))
    for name, examples in sets.items():
        for part in ("dev", "held-out"):
            if split not in ("all", part):
                continue
            chosen = [e for e in examples if held_out(e.text) == (part == "held-out")]
            gold = [e.negative for e in chosen]
            yield name, part, [(label, score(gold, [p(e.text) for e in chosen])) for label, p in predictors]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=("all", "dev", "held-out"), default="all")
    parser.add_argument("--errors", metavar="SET", help="print the local engine's dev-split errors on SET (tuning aid)")
    args = parser.parse_args(argv)
    sets = datasets()

    if args.errors:
        engine = LocalSentimentAnalyzer()
        predict = local_predictor()
        for example in sets[args.errors]:
            if held_out(example.text):
                continue
            if predict(example.text) != example.negative:
                reading = engine.read(example.text)
                kind = "MISSED" if example.negative else "FALSE+"
                print(f"{kind} neg={reading.negative:.2f} {reading.label:8} {list(reading.cues)} {example.text[:140]}")
        return 0

    print("Negative-class detection, same run, same texts:")
    print("  local       = Warmline local engine, negative score >= 0.6 (the default escalation threshold: what")
    print("                the product acts on; the customer-service target is measured here)")
    print("  local:label = Warmline local engine, label == NEGATIVE (argmax of the four scores)")
    print("  vader       = vaderSentiment 3.3.2 SentimentIntensityAnalyzer, compound <= -0.05")
    print("customer_service: written by the Warmline team (bench/data/README.md); held-out = never tuned on.")
    print()
    header = f"{'set':22} {'split':8} {'n':>5} | {'engine':11} {'acc':>5} {'prec':>5} {'recall':>6} {'f1':>5}"
    print(header)
    print("-" * len(header))
    for name, part, results in rows(sets, args.split):
        for engine_name, s in results:
            print(
                f"{name:22} {part:8} {s.n:5d} | {engine_name:11} {s.accuracy:5.3f} {s.precision:5.3f} "
                f"{s.recall:6.3f} {s.f1:5.3f}"
            )
    print()
    texts = [e.text for e in sets["customer_service"]]
    mean_len = sum(len(t) for t in texts) / len(texts)
    engine = LocalSentimentAnalyzer()
    local_rate = throughput(engine.read, texts)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader_rate = throughput(SentimentIntensityAnalyzer().polarity_scores, texts)
    print(f"Throughput, one core, {len(texts)} short messages (mean {mean_len:.0f} characters), after warm-up:")
    print(f"  local engine: {local_rate:,.0f} messages/second")
    print(f"  vaderSentiment SentimentIntensityAnalyzer: {vader_rate:,.0f} messages/second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
