"""The evaluation data `make eval` reads: present, well-formed, split the same way every run."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "sentiment"


def load_eval() -> ModuleType:
    if not SHARED.is_dir():
        pytest.fail(f"The shared sentiment data is missing: expected {SHARED} beside this checkout.")
    spec = importlib.util.spec_from_file_location("eval_sentiment", REPO / "bench" / "eval_sentiment.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_sentiment"] = module
    spec.loader.exec_module(module)
    return module


def test_all_sets_load_with_both_classes() -> None:
    sets = load_eval().datasets()
    assert set(sets) == {"customer_service", "uci_amazon_cells", "uci_imdb", "uci_yelp", "vader_amazon_snippets",
                         "vader_tweets"}
    for name, examples in sets.items():
        negatives = sum(e.negative for e in examples)
        assert 0 < negatives < len(examples), name
    assert len(sets["uci_yelp"]) == 1000
    assert len(sets["customer_service"]) == 208


def test_customer_service_set_is_well_formed() -> None:
    rows = [json.loads(line) for line in (REPO / "bench/data/customer_service.jsonl").read_text().splitlines()]
    assert {r["label"] for r in rows} == {"negative", "not_negative"}
    assert len({r["text"] for r in rows}) == len(rows)


def test_held_out_split_is_deterministic_and_about_thirty_percent() -> None:
    module = load_eval()
    texts = [e.text for e in module.datasets()["vader_tweets"]]
    share = sum(module.held_out(t) for t in texts) / len(texts)
    assert 0.25 < share < 0.35
    assert module.held_out("Where is my order?") == module.held_out("Where is my order?")


def test_metrics() -> None:
    scores = load_eval().score([True, True, False, False], [True, False, True, False])
    assert (scores.accuracy, scores.precision, scores.recall, scores.f1) == (0.5, 0.5, 0.5, 0.5)
