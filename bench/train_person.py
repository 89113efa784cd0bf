"""`make train`, second model: "does this message need a person?" (chalicelib/engine/person_model.bin).

The sentiment model reads how a customer feels; the cues name the shop's problems in words an owner believes;
neither knows every way a customer says "this can't wait". This model learns it from examples: the blind
probes (bench/data/blind_probes.jsonl: shop emails written by helpers who never saw Warmline's code,
each with the level a caring owner would want), against a sample of public messages that need nobody
(clearly positive and neutral rows of the sentiment training splits, so ordinary happy or plain text
stays quiet). The email regression set, the held-out probes (person_data.HELD_OUT_PROBES) and every public
validation and test split stay out of training.

Heads (logistic regression on `chalicelib.engine.model.features`, the run-time code, 2**BITS buckets):
- person: the writer wanted the owner texted (alert or urgent) vs not (none or watch);
- urgent: the writer wanted the owner texted at once (urgent) vs not.

Thresholds, chosen before the shipped fit is used anywhere, from:
- out-of-fold scores: the probes in FOLDS groups, each group scored by a fit on the others (read as the run time
  reads them: `person.person_scores`, whole text and sentences), so no message is judged by a model that saw it;
- the public validation splits' clearly positive and neutral messages, scored by the shipped fit.
Rule (`choose`): the lowest multiple of 0.05 at which messages their writers wanted left alone ("none")
would be texted at most MAX_NONE_TEXTED of the time out of fold, and at most MAX_PUBLIC_RAISED of the
clearly positive and of the neutral messages of every public validation set with MIN_ROWS+ such
messages would be, each share with one standard error to spare. Urgent: the lowest at which messages
written as none or watch would reach the owner at once at most MAX_QUIET_URGENT of the time out of fold
(and public messages at most MAX_PUBLIC_URGENT). Urgent alone (since 2026.12-6): the lowest at which the urgent
head makes a message urgent whatever the person head reads, by the same two limits with both ways counted ("the
customer at 14 Heath Road just came at Steve with a spade... We're sat in the van with the doors locked" read
needs-a-person 0.62 but cannot-wait 0.78 to 2026.12-5, below its alert bar, and reached the owner's inbox only).

Reproducible like the sentiment trainer: fixed data and sample (by hash), L-BFGS to TOL, pinned
requirements-train.txt. Writes the weights and the generated block of PERSON_MODEL_CARD.md;
`--check` retrains and compares.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from person_data import probe_rows
from person_rule import MAX_NONE_TEXTED, MAX_PUBLIC_RAISED, MAX_PUBLIC_URGENT, MAX_QUIET_URGENT, choose
from sentiment_data import DATA, Example, load_all
from train_sentiment import fit, matrix, quantise

from chalicelib.engine import model as runtime
from chalicelib.engine import person

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "chalicelib" / "engine"
WEIGHTS = ENGINE / person.PERSON_FILE
CARD = ENGINE / "PERSON_MODEL_CARD.md"
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"

VERSION = "2026.12-6"
BITS = 18
C = 4.0
PROBE_WEIGHT = 5.0  # about 8,800 probe emails against CALM_ROWS public ones: the shop's own kind of text counts more
# 40,000 since 2026.12-5 (20,000 before): out of fold on probes 1-39 with the inbox bars chosen by their rule for each,
# 5,689 of 9,360 at the writer's level against 5,580, 1,149 wanted texts not sent against 1,189, 1,189 messages wanting
# a look reaching nobody against 1,278, for 3 more wanted left alone texted (56 against 53)
CALM_ROWS = 40_000
ORDER = ("person", "urgent")
FOLDS = 4  # out-of-fold scores: probes 4, 8 and 12 scored by a fit on the other eleven, and so on (make train < 10 min)

Array = Any


def calm_rows(examples: list[Example]) -> list[Example]:
    """A fixed sample of public training messages that need nobody: clearly positive or neutral."""
    calm = [e for e in examples if e.split == "train" and e.polarity in ("positive", "neutral")]
    calm.sort(key=lambda e: hashlib.sha256(f"{e.source}\0{e.text}".encode()).hexdigest())
    return calm[:CALM_ROWS]


def as_example(text: str) -> Example:
    return Example(text, 0, None, "other", "probe", "probe")


# Texts whose margins the trainer records in the file, computed its own way (numpy, from the quantised weights), so a
# test can check the run time's plain-Python margins agree (tests/unit/test_engine_person.py).
CHECK_TEXTS = (
    "My cat ate some of the treats and now she's twitching and falling over. I'm on the phone to the vet.",
    "Thank you so much, the candles are gorgeous and smell amazing!",
    "Could you tell me if the sourdough has sesame in it?",
    "I have written four times and nobody answers. This is theft.",
    "",
)


def fit_heads(probes: list[dict[str, Any]], calm: list[Example]) -> tuple[dict[str, bytes], dict[str, Any]]:
    x = matrix([as_example(r["text"]) for r in probes] + calm)
    x_check = matrix([as_example(t) for t in CHECK_TEXTS])
    w = np.array([PROBE_WEIGHT] * len(probes) + [1.0] * len(calm))
    blobs: dict[str, bytes] = {}
    heads: dict[str, Any] = {}
    for name, wanted in (("person", ("alert", "urgent")), ("urgent", ("urgent",))):
        y = np.array([1 if r["expected"] in wanted else 0 for r in probes] + [0] * len(calm))
        coef, bias = fit(x, y, w, C)
        q, scale = quantise(coef)
        blobs[name] = q.tobytes()
        heads[name] = {"scale": scale, "bias": bias, "platt_a": 1.0, "platt_b": 0.0,
                       "nonzero": int(np.count_nonzero(q)),
                       "check": np.asarray(x_check @ (q.astype(np.float64) * scale)).ravel() + bias}
    return blobs, heads


def header_for(heads: dict[str, Any], thresholds: dict[str, float] | None) -> dict[str, Any]:
    check = [[text, *(round(float(heads[n]["check"][i]), 6) for n in ORDER)] for i, text in enumerate(CHECK_TEXTS)]
    return {"version": VERSION, "bits": BITS, "order": list(ORDER), "thresholds": thresholds, "probes": check,
            "heads": {n: {k: round(float(v), 8) for k, v in h.items() if k not in ("nonzero", "check")}
                      for n, h in heads.items()}}


def train() -> tuple[bytes, dict[str, Any]]:
    started = time.perf_counter()
    examples = load_all()
    probes = probe_rows()
    calm = calm_rows(examples)
    oof: list[tuple[str, float, float]] = []
    for k in range(FOLDS):
        blobs, heads = fit_heads([r for r in probes if r["probe"] % FOLDS != k], calm)
        fold = runtime.decode(runtime.encode(header_for(heads, None), blobs))
        for r in probes:
            if r["probe"] % FOLDS == k:
                p, u, _focus = person.person_scores(r["text"], fold)
                oof.append((r["expected"], p, u))
        print(f"fold {k}: {time.perf_counter() - started:.0f} s", flush=True)
    folded = time.perf_counter()
    blobs, heads = fit_heads(probes, calm)
    shipped = runtime.decode(runtime.encode(header_for(heads, None), blobs))
    public = []
    for e in examples:
        if e.split == "val" and e.polarity in ("positive", "neutral"):
            p, u, _focus = person.person_scores(e.text, shipped)
            public.append((e.source, e.polarity, p, u))
    thresholds, table = choose(oof, public)
    data = runtime.encode(header_for(heads, thresholds), blobs)
    report = {"probes": len(probes), "calm": len(calm), "thresholds": thresholds, "table": table,
              "nonzero": {n: h["nonzero"] for n, h in heads.items()},
              "public_val": len(public),
              "seconds": {"folds": round(folded - started, 1), "total": round(time.perf_counter() - started, 1)}}
    return data, report


def write_card(data: bytes, report: dict[str, Any]) -> None:
    digest = hashlib.sha256(data).hexdigest()
    t = report["thresholds"]
    lines = [BEGIN, "", f"- **Version:** `{VERSION}`",
             f"- **Weights file:** `{person.PERSON_FILE}`, {len(data):,} bytes, SHA-256 `{digest}`",
             f"- **Features:** the sentiment model's (2^{BITS} hashed buckets of words, word pairs and character "
             "4-5-grams, negation marked); non-zero int8 weights: "
             + ", ".join(f"{k} {v:,}" for k, v in report["nonzero"].items()),
             f"- **Training rows:** {report['probes']:,} English probe emails (weight {PROBE_WEIGHT:g}) and "
             f"{report['calm']:,} clearly positive or neutral public training messages (label: needs nobody)",
             f"- **Thresholds:** alert {t['alert']:.2f}, urgent {t['urgent']:.2f}, urgent alone "
             f"{t['urgent_alone']:.2f} (rule: see bench/train_person.py; "
             f"texts to writers who wanted none <= {MAX_NONE_TEXTED:.0%} out of fold, public messages raised <= "
             f"{MAX_PUBLIC_RAISED:.1%} in every validation set, each with one standard error to spare; urgent: "
             f"none or watch messages texted at once <= {MAX_QUIET_URGENT:.0%} and public messages <= "
             f"{MAX_PUBLIC_URGENT:.1%}, both ways counted for urgent alone)",
             f"- **Training time** (this run): {report['seconds']['total']} s (folds {report['seconds']['folds']} s)",
             "", f"Out of fold (the probes in {FOLDS} groups, each scored by a fit on the others), the model alone, "
             "per threshold:", "",
             "| threshold | wanted a text, reached | wanted none, texted | urgent, at once | none or watch, at once "
             "| urgent alone: urgent, at once | urgent alone: none or watch, at once "
             "| worst public set raised (share + 1 SE) | meets the rule |", "|---|---|---|---|---|---|---|---|---|"]
    for row in report["table"]:
        lines.append(f"| {row['threshold']:.2f} | {row['wanted_caught']} of {row['wanted']} | {row['none_texted']} "
                     f"of {row['nones']} | {row['urgent_caught']} | {row['quiet_urgent']} | {row['alone_caught']} "
                     f"| {row['quiet_alone']} | {row['public_worst']:.4f}"
                     f" ({row['public_set']}) | {'yes' if row['meets'] else 'no'} |")
    lines += ["", "(urgent columns: with this row's value as the urgent threshold and the chosen alert threshold; "
              "urgent alone columns: with this row's value as the urgent-alone threshold and the chosen two)",
              "", END]
    block = "\n".join(lines)
    text = CARD.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    CARD.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="retrain and compare with the shipped weights only")
    parser.add_argument("--out", type=Path, help="write the weights here instead of the shipped file")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"The training data is missing: expected {DATA} beside this checkout.", file=sys.stderr)
        return 1
    data, report = train()
    digest = hashlib.sha256(data).hexdigest()
    print(json.dumps({k: v for k, v in report.items() if k != "table"}, indent=1))
    for row in report["table"]:
        print(row)
    if args.check:
        shipped = hashlib.sha256(WEIGHTS.read_bytes()).hexdigest() if WEIGHTS.exists() else "(none)"
        print(f"retrained {digest}\nshipped   {shipped}")
        return 0 if digest == shipped else 1
    target = args.out or WEIGHTS
    target.write_bytes(data)
    if not args.out:
        write_card(data, report)
    print(f"wrote {target} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
