"""`make train`: train Warmline's local sentiment model from ../shared/data/sentiment-train/.

Reproducible: fixed splits (see `sentiment_data.py`), a deterministic solver (L-BFGS) run to
convergence (TOL, so another CPU's rounding cannot move where it stops), pinned training dependencies
(requirements-train.txt, dev only). Test splits are never read here: the
model is fitted on train splits, calibrated and its threshold chosen on validation splits.

Writes chalicelib/engine/sentiment_model.bin and the machine-written parts of
chalicelib/engine/MODEL_CARD.md (between the `<!-- generated -->` markers; the prose around them
is kept). `--check` retrains and only compares with the shipped file (same hash, or within TOLERANCE_SHARE).

Steps:
1. features: `chalicelib.engine.model.features` (the run-time code itself), 2**BITS buckets;
2. negative head: logistic regression, upset vs not, on every train row (customer-facing sets,
   complaints and the two review sets, weighted up: they are closest to a shop's inbox; clearly
   positive rows weighted up: a happy customer read as upset is the costliest mistake);
3. positive head: pleased vs neutral, on train rows that are not upset and say which they are;
4. weights quantised to int8 (per-head scale); everything after this uses the quantised weights;
5. calibration (Platt) of each head on the validation rows, each set given equal weight and
   upset rows re-weighted to INBOX_SHARE of the total, so a score of 0.7 means "7 in 10 messages
   scored like this are upset" in an inbox where INBOX_SHARE are upset;
6. threshold: the validation messages are read as the run time reads them (`local.message_scores`:
   whole text and sentences, from the quantised, calibrated file), and on that same re-weighted mix
   the multiple of 0.05 with the best F1 is chosen among those where, in *every* validation set, at
   most MAX_POSITIVE_FALSE_ALARMS of clearly positive and MAX_NEUTRAL_FALSE_ALARMS of neutral messages
   would count as upset (the worst set decides, not the average), with one standard error to spare
   (a small split's share is uncertain: `false_alarms`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentiment_data import DATA, SOURCES, Example, load_all

from chalicelib.engine import local
from chalicelib.engine import model as runtime

Array = Any  # numpy arrays: typed loosely so mypy passes with or without the training dependencies
Matrix = Any  # scipy.sparse.csr_matrix

BITS = 18
VERSION = "2026.12-2"
C_NEGATIVE = 4.0
C_POSITIVE = 4.0
CUSTOMER_WEIGHT = 3.0
CUSTOMER_SETS = frozenset({"complaints", "semeval2014_absa", "hu_liu_reviews"})
# In the negative head, clearly positive rows count this many times over: a happy customer read as upset
# costs the owner's trust in every later alert. Chosen by the threshold rule's own measure, F1 on validation
# within the false-alarm limits (converged fits, threshold 0.50 for each): 1 (no extra weight) 0.429,
# 2 0.436, 3 0.437, 4 0.438, 6 0.430.
POSITIVE_WEIGHT = 4.0
# L-BFGS is run to a tight tolerance: the problem is strictly convex, so a converged fit is the same optimum on
# any CPU or BLAS build up to rounding far below one int8 step, and the shipped file is reproducible byte for
# byte. (At 1e-5 the optimiser stopped early on a path that depends on how the CPU rounds sums: another
# machine's retrain differed in 3.8% of the weights by one step and chose another threshold.)
TOL = 1e-9
MAX_ITER = 20000
INBOX_SHARE = 0.15
MAX_POSITIVE_FALSE_ALARMS = 0.05
MAX_NEUTRAL_FALSE_ALARMS = 0.10
MIN_ROWS_FOR_LIMIT = 50  # a set's false-alarm rate counts for the threshold from this many rows of that kind

# Texts whose margins the trainer records (computed with scipy on its own matrix) in the weights file's
# header; tests/unit/test_engine_model.py recomputes them in plain Python: the features must agree exactly.
PROBES = (
    "The sourdough was wonderful, thank you so much for the lovely note in the box!",
    "Where is my order?? It's been THREE weeks 😡 @shop http://x.co/1",
    "I\u2019m sooooo disappointed, the mug arrived chipped :(",
    "Hallo, meine Bestellung ist noch nicht angekommen.",
    "ok",
    "",
)

ENGINE = Path(__file__).resolve().parent.parent / "chalicelib" / "engine"
WEIGHTS = ENGINE / runtime.WEIGHTS_FILE
CARD = ENGINE / "MODEL_CARD.md"
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"


def matrix(rows: list[Example]) -> Matrix:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for row in rows:
        buckets = runtime.features(row.text, BITS)
        indices.extend(buckets)
        value = 1.0 / math.sqrt(len(buckets)) if buckets else 0.0
        data.extend([value] * len(buckets))
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=(len(rows), 1 << BITS))


def fit(x: Matrix, y: Array, weights: Array, c: float) -> tuple[Array, float]:
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=TOL)
    clf.fit(x, y, sample_weight=weights)
    return clf.coef_[0].astype(np.float64), float(clf.intercept_[0])


def quantise(coef: Array) -> tuple[Array, float]:
    scale = float(np.max(np.abs(coef))) / 127.0
    return np.clip(np.rint(coef / scale), -127, 127).astype(np.int8), scale


def balanced(rows: list[Example], y: Array, share: float | None) -> Array:
    """Weights giving every set the same total, and (if `share`) positives `share` of each set's total."""
    weights = np.zeros(len(rows))
    sources = sorted({r.source for r in rows})
    for source in sources:
        idx = np.array([i for i, r in enumerate(rows) if r.source == source])
        if share is None:
            weights[idx] = 1.0 / len(idx)
            continue
        pos = idx[y[idx] == 1]
        neg = idx[y[idx] == 0]
        if len(pos):
            weights[pos] = share / len(pos)
        if len(neg):
            weights[neg] = (1.0 - share if len(pos) else 1.0) / len(neg)
    return weights / weights.sum() * len(rows)


def platt(margins: Array, y: Array, weights: Array) -> tuple[float, float]:
    clf = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    clf.fit(margins.reshape(-1, 1), y, sample_weight=weights)
    return float(clf.coef_[0][0]), float(clf.intercept_[0])


def sigmoid(z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-z))


def false_alarms(hit: Array, polarity: Array, sources: Array, kind: str) -> tuple[float, float, str]:
    """The worst validation set for `kind` ("positive" or "neutral") messages counted as upset: its share,
    that share plus one standard error (the set with the highest such bound is the worst), and its name.

    The bound, not the share, is held to the limit: a share measured on a small split is uncertain (125
    clearly positive TweetEval emotion tweets: one tweet is 0.8 points, one standard error about 2 points at
    5%), and a threshold whose measured share sits just under the limit would as likely as not exceed it
    on another sample of the same kind of message."""
    worst, bound, where = 0.0, 0.0, "-"
    for source in sorted(set(sources.tolist())):
        chosen = (sources == source) & (polarity == kind)
        n = int(chosen.sum())
        if n >= MIN_ROWS_FOR_LIMIT:
            rate = float(hit[chosen].mean())
            upper = rate + math.sqrt(rate * (1.0 - rate) / n)
            if upper > bound:
                worst, bound, where = rate, upper, str(source)
    return worst, bound, where


def choose_threshold(
    p: Array, y: Array, w: Array, polarity: Array, sources: Array
) -> tuple[float, list[dict[str, Any]]]:
    """The threshold with the best F1 on the re-weighted inbox mix among those within the false-alarm
    limits in every validation set (each set's share plus one standard error: `false_alarms`)."""
    table: list[dict[str, Any]] = []
    best: tuple[float, float] | None = None
    for step in range(2, 20):
        t = step * 5 / 100  # 0.10, 0.15, ... 0.95
        hit = p >= t
        tp = float(w[hit & (y == 1)].sum())
        fp = float(w[hit & (y == 0)].sum())
        fn = float(w[~hit & (y == 1)].sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        pos_alarm, pos_bound, pos_set = false_alarms(hit, polarity, sources, "positive")
        neu_alarm, neu_bound, neu_set = false_alarms(hit, polarity, sources, "neutral")
        table.append({"threshold": t, "precision": round(precision, 3), "recall": round(recall, 3),
                      "f1": round(f1, 3), "positive_false_alarms": round(pos_alarm, 3),
                      "positive_bound": round(pos_bound, 3), "positive_set": pos_set,
                      "neutral_false_alarms": round(neu_alarm, 3), "neutral_bound": round(neu_bound, 3),
                      "neutral_set": neu_set})
        if pos_bound <= MAX_POSITIVE_FALSE_ALARMS and neu_bound <= MAX_NEUTRAL_FALSE_ALARMS and (
                best is None or f1 > best[1]):
            best = (t, f1)
    return (best[0] if best else 0.95), table


def train(sets: frozenset[str] | None = None) -> tuple[bytes, dict[str, Any]]:
    """The weights file and a report; `sets`: train and validate on these sets only (a what-if, e.g. the
    openly licensed data alone), else on all of them."""
    started = time.perf_counter()
    rows = [r for r in load_all() if r.split in ("train", "val") and (sets is None or r.source in sets)]
    train_rows = [r for r in rows if r.split == "train"]
    val_rows = [r for r in rows if r.split == "val"]
    x_train, x_val = matrix(train_rows), matrix(val_rows)
    featurised = time.perf_counter()

    y_neg = np.array([r.negative for r in train_rows])
    w_train = np.array([CUSTOMER_WEIGHT if r.source in CUSTOMER_SETS else 1.0 for r in train_rows])
    polarity_train = np.array([r.polarity for r in train_rows])
    w_neg = w_train * np.where(polarity_train == "positive", POSITIVE_WEIGHT, 1.0)
    neg_coef, neg_bias = fit(x_train, y_neg, w_neg, C_NEGATIVE)
    pos_idx = np.array([i for i, r in enumerate(train_rows) if r.positive is not None])
    y_pos = np.array([train_rows[i].positive for i in pos_idx])
    pos_coef, pos_bias = fit(x_train[pos_idx], y_pos, w_train[pos_idx], C_POSITIVE)
    fitted = time.perf_counter()

    heads: dict[str, dict[str, Any]] = {}
    blobs: dict[str, bytes] = {}
    for name, coef, bias in (("negative", neg_coef, neg_bias), ("positive", pos_coef, pos_bias)):
        q, scale = quantise(coef)
        blobs[name] = q.tobytes()
        heads[name] = {"scale": scale, "bias": bias, "q": q}

    def margins(name: str, x: Matrix) -> Array:
        h = heads[name]
        return np.asarray(x @ (h["q"].astype(np.float64) * h["scale"])).ravel() + h["bias"]

    yv_neg = np.array([r.negative for r in val_rows])
    wv_neg = balanced(val_rows, yv_neg, INBOX_SHARE)
    a, b = platt(margins("negative", x_val), yv_neg, wv_neg)
    heads["negative"].update(platt_a=a, platt_b=b)
    pv_idx = np.array([i for i, r in enumerate(val_rows) if r.positive is not None])
    yv_pos = np.array([val_rows[i].positive for i in pv_idx])
    sub = [val_rows[i] for i in pv_idx]
    a2, b2 = platt(margins("positive", x_val[pv_idx]), yv_pos, balanced(sub, yv_pos, None))
    heads["positive"].update(platt_a=a2, platt_b=b2)

    x_probe = matrix([Example(t, 0, None, "other", "probe", "probe") for t in PROBES])
    probes = [[text, round(float(n), 6), round(float(p), 6)]
              for text, n, p in zip(PROBES, margins("negative", x_probe), margins("positive", x_probe), strict=True)]
    header: dict[str, Any] = {
        "version": VERSION if sets is None else f"{VERSION}+only-{'-'.join(sorted(sets))}",
        "probes": probes,
        "bits": BITS,
        "threshold": None,
        "inbox_share": INBOX_SHARE,
        "negation_scope": runtime.NEGATION_SCOPE,
        "heads": {n: {k: round(float(v), 8) for k, v in h.items() if k != "q"} for n, h in heads.items()},
    }
    # The threshold is chosen on the messages as the run time reads them, from the file it will ship.
    shipped = runtime.decode(runtime.encode(header, blobs))
    p_val = np.array([local.message_scores(shipped, r.text, lift=0.0)[0] for r in val_rows])
    polarity = np.array([r.polarity for r in val_rows])
    sources = np.array([r.source for r in val_rows])
    threshold, table = choose_threshold(p_val, yv_neg, wv_neg, polarity, sources)
    header["threshold"] = threshold
    data = runtime.encode(header, blobs)
    report = {
        "rows": {"train": len(train_rows), "val": len(val_rows)},
        "by_source": {s: sum(1 for r in train_rows if r.source == s) for s in sorted({r.source for r in rows})},
        "threshold_table": table,
        "threshold": threshold,
        "seconds": {"features": round(featurised - started, 1), "fit": round(fitted - featurised, 1),
                    "total": round(time.perf_counter() - started, 1)},
        "nonzero_weights": {n: int(np.count_nonzero(h["q"])) for n, h in heads.items()},
    }
    return data, report


def write_card(data: bytes, report: dict[str, Any]) -> None:
    digest = hashlib.sha256(data).hexdigest()
    lines = [BEGIN, "", f"- **Version:** `{VERSION}`", f"- **Weights file:** `{runtime.WEIGHTS_FILE}`, "
             f"{len(data):,} bytes, SHA-256 `{digest}`",
             f"- **Features:** 2^{BITS} hashed buckets (CRC-32) of word unigrams, word bigrams and character "
             f"{runtime.CHAR_MIN}-{runtime.CHAR_MAX}-grams, words in a negation's scope "
             f"({runtime.NEGATION_SCOPE} words) marked; non-zero int8 weights: "
             + ", ".join(f"{k} {v:,}" for k, v in report["nonzero_weights"].items()),
             f"- **Training rows:** {report['rows']['train']:,} ("
             + ", ".join(f"{k} {v:,}" for k, v in report["by_source"].items())
             + f"); validation rows: {report['rows']['val']:,}",
             f"- **Threshold:** {report['threshold']:.2f} (validation messages read as the run time reads them, "
             f"each set weighted equally, upset share re-weighted to {INBOX_SHARE:.0%}; rule: best F1 with false "
             f"alarms on clearly positive messages <= {MAX_POSITIVE_FALSE_ALARMS:.0%} and on neutral ones <= "
             f"{MAX_NEUTRAL_FALSE_ALARMS:.0%} in every validation set with {MIN_ROWS_FOR_LIMIT}+ such messages, "
             "with one standard error to spare: the share plus one standard error must be within the limit)",
             f"- **Training time** (this run): {report['seconds']['total']} s "
             f"(features {report['seconds']['features']} s, fitting {report['seconds']['fit']} s)",
             "", "Validation, per threshold (precision, recall, F1 on the re-weighted inbox mix; false alarms in "
             "the worst validation set, named, with the share plus one standard error, which the rule holds to the "
             "limit):",
             "",
             "| threshold | precision | recall | F1 | false alarms: clearly positive | neutral |",
             "|---|---|---|---|---|---|"]
    for row in report["threshold_table"]:
        lines.append(f"| {row['threshold']:.2f} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | "
                     f"{row['positive_false_alarms']:.3f} ({row['positive_set']}; {row['positive_bound']:.3f}) | "
                     f"{row['neutral_false_alarms']:.3f} ({row['neutral_set']}; {row['neutral_bound']:.3f}) |")
    lines += ["", END]
    block = "\n".join(lines)
    text = CARD.read_text(encoding="utf-8") if CARD.exists() else f"# Model card\n\n{BEGIN}\n{END}\n"
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    CARD.write_text(text, encoding="utf-8")


# Another CPU or BLAS build may round a few floating-point sums differently: a retrained file counts as
# the same model when the threshold is equal and at most this share of int8 weights differ, by one step.
TOLERANCE_SHARE = 0.001


def within_tolerance(retrained: bytes, shipped: bytes) -> bool:
    new, old = runtime.decode(retrained), runtime.decode(shipped)
    if new.bits != old.bits or new.header["threshold"] != old.header["threshold"]:
        print("different model: bits or threshold differ")
        return False
    ok = True
    for name in runtime.HEADS:
        a, b = new.heads[name].weights, old.heads[name].weights
        diffs = [abs(x - y) for x, y in zip(a, b, strict=True) if x != y]
        share = len(diffs) / len(a)
        print(f"{name}: {len(diffs)} of {len(a)} int8 weights differ ({share:.4%}), by at most {max(diffs, default=0)}")
        ok = ok and share <= TOLERANCE_SHARE and max(diffs, default=0) <= 1
    print("within tolerance" if ok else "outside tolerance")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights only")
    parser.add_argument("--sets", nargs="+", choices=sorted(SOURCES), metavar="SET",
                        help="a what-if: train and validate on these sets only (needs --out; the card is not touched)")
    parser.add_argument("--out", type=Path, help="write the weights here instead of the shipped file (see make eval "
                        "--weights)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"The training data is missing: expected {DATA} beside this checkout.", file=sys.stderr)
        return 1
    if args.sets and (args.check or not args.out):
        print("--sets trains a what-if model: give --out for its weights (it never replaces the shipped ones).",
              file=sys.stderr)
        return 2
    print(f"training on {DATA} with {os.cpu_count()} CPUs visible ...", flush=True)
    data, report = train(frozenset(args.sets) if args.sets else None)
    digest = hashlib.sha256(data).hexdigest()
    print(json.dumps({k: v for k, v in report.items() if k != "threshold_table"}, indent=1))
    for row in report["threshold_table"]:
        print(row)
    if args.check:
        shipped = hashlib.sha256(WEIGHTS.read_bytes()).hexdigest() if WEIGHTS.exists() else "(none)"
        print(f"retrained {digest}\nshipped   {shipped}")
        if digest == shipped:
            print("identical: the shipped weights are reproduced byte for byte")
            return 0
        return 0 if WEIGHTS.exists() and within_tolerance(data, WEIGHTS.read_bytes()) else 1
    if args.out:
        args.out.write_bytes(data)
        print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest}); score it with "
              f"bench/eval_sentiment.py --weights {args.out}")
        return 0
    WEIGHTS.write_bytes(data)
    write_card(data, report)
    print(f"wrote {WEIGHTS} ({len(data):,} bytes, sha256 {digest}) and {CARD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
