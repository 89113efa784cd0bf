"""The data `make train` and `make eval` read: present, well-formed, split the same way every run,
test splits disjoint from training; and the evaluation's metrics."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"


def _load(name: str) -> ModuleType:
    for folder in ("sentiment", "sentiment-train"):
        if not (SHARED / folder).is_dir():
            pytest.fail(f"The shared sentiment data is missing: expected {SHARED / folder} beside this checkout.")
    if str(REPO / "bench") not in sys.path:
        sys.path.insert(0, str(REPO / "bench"))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def examples() -> list[object]:
    return list(_load("sentiment_data").load_all())


def test_every_set_has_train_val_and_test_with_both_classes(examples: list[object]) -> None:
    seen = Counter((e.source, e.split, e.negative) for e in examples)  # type: ignore[attr-defined]
    for source in _load("sentiment_data").SOURCES:
        for split in ("train", "val", "test"):
            assert seen[(source, split, 1)] > 0 and seen[(source, split, 0)] > 0, (source, split)


def test_test_tweets_never_reach_training(examples: list[object]) -> None:
    data = _load("sentiment_data")
    held = {data._key(e.text) for e in examples if e.source == "tweeteval_sentiment" and e.split != "train"}  # type: ignore[attr-defined]
    train = {data._key(e.text) for e in examples if e.source == "tweeteval_sentiment" and e.split == "train"}  # type: ignore[attr-defined]
    assert held and train and not held & train


def test_splits_are_deterministic() -> None:
    data = _load("sentiment_data")
    assert data._three_way("123") == data._three_way("123")
    shares = Counter(data._three_way(str(i)) for i in range(10_000))
    assert 0.67 < shares["train"] / 10_000 < 0.73 and 0.13 < shares["test"] / 10_000 < 0.17


def test_label_mapping_examples() -> None:
    data = _load("sentiment_data")
    go = [e for e in data.goemotions() if e.split == "val"]
    assert {e.polarity for e in go} == {"negative", "positive", "neutral", "other"}
    assert all(e.positive is None for e in go if e.negative)
    complaints = list(data.complaints())
    assert all(e.positive is None for e in complaints)
    assert sum(e.negative for e in complaints) == 1229


def test_worried_writers_are_upset_only_in_the_test_labels() -> None:
    """GoEmotions: fear or nervousness alone is not "upset" for training and validation (upset means
    displeased), but the test labels keep SOURCE.md's mapping, so the evaluation stays comparable."""
    data = _load("sentiment_data")
    names = (data.DATA / "goemotions" / "emotions.txt").read_text(encoding="utf-8").split()
    rows = list(data.goemotions())
    for split, part in (("val", "dev"), ("test", "test")):
        lines = [line.split("\t") for line in (data.DATA / "goemotions" / f"{part}.tsv").read_text(
            encoding="utf-8").splitlines()]
        labels = [{names[int(i)] for i in p[1].split(",") if i} for p in lines if len(p) >= 2]
        examples = [e for e in rows if e.split == split]
        assert len(labels) == len(examples)
        worried = [e for e, emotions in zip(examples, labels, strict=True)
                   if emotions and emotions <= {"fear", "nervousness"}]
        assert len(worried) > 20
        assert all(e.negative == (split == "test") for e in worried)
        angry = [e for e, emotions in zip(examples, labels, strict=True) if "anger" in emotions]
        assert angry and all(e.negative for e in angry)


def test_published_escapes_are_decoded() -> None:
    from chalicelib.engine.model import decode_published

    assert decode_published("I\\u2019m here\\u002c ok &amp; fine") == "I\u2019m here, ok & fine"


def test_eval_sets_include_every_public_test_split() -> None:
    sets = _load("eval_sentiment").datasets()
    assert set(_load("sentiment_data").SOURCES) <= set(sets)
    assert len(sets["uci_yelp"]) == 1000
    assert len(sets["customer_service (team-written)"]) == 208
    for name, rows in sets.items():
        assert 0 < sum(e.negative for e in rows) < len(rows), name


def test_customer_service_set_is_well_formed() -> None:
    rows = [json.loads(line) for line in (REPO / "bench/data/customer_service.jsonl").read_text().splitlines()]
    assert {r["label"] for r in rows} == {"negative", "not_negative"}
    assert len({r["text"] for r in rows}) == len(rows)


def test_metrics() -> None:
    module = _load("eval_sentiment")
    data = _load("sentiment_data")
    rows = [data.Example("a", 1, None, "negative", "x", "test"), data.Example("b", 1, None, "negative", "x", "test"),
            data.Example("c", 0, 1, "positive", "x", "test"), data.Example("d", 0, 0, "neutral", "x", "test")]
    result = module.evaluate(rows, [0.9, 0.1, 0.8, 0.2], 0.5)
    assert (result.precision, result.recall, result.f1) == (0.5, 0.5, 0.5)
    assert (result.positive_false_alarms, result.neutral_false_alarms) == (1.0, 0.0)
    assert module.recall_at_precision([0.9, 0.8, 0.7, 0.1], [1, 1, 0, 1], 0.9) == pytest.approx(2 / 3)
    assert module.recall_at_precision([0.9, 0.9, 0.1], [1, 0, 1], 0.9) == 0.0  # ties stay together
    # Average precision: the mean precision at each upset message's rank; 1.0 for a perfect ranking.
    assert module.average_precision([0.9, 0.8, 0.1], [1, 1, 0]) == 1.0
    assert module.average_precision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 1]) == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)
    assert module.average_precision([0.5, 0.5], [1, 0]) == 0.5  # a tie counts at the group's precision
    # Equal precision: the model's recall at the precision another engine reached.
    at = module.evaluate(rows, [0.9, 0.1, 0.8, 0.2], 0.5, equal_precision=1.0)
    assert at.recall_at_vader == 0.5 and at.average_precision == pytest.approx((1 + 2 / 4) / 2)
    assert module.level_ok("alert+", "urgent") and not module.level_ok("alert+", "watch")
    assert module.level_ok("none", "none") and not module.level_ok("none", "watch")


def test_resampled_metrics_count_each_message_as_often_as_it_was_drawn() -> None:
    module = _load("eval_sentiment")
    scores, gold = [0.9, 0.8, 0.8, 0.6, 0.3, 0.1], [1, 0, 1, 1, 0, 1]
    weights = [2, 0, 1, 3, 1, 2]
    copies = [i for i, w in enumerate(weights) for _ in range(w)]
    drawn = module.ranked_metrics(module.rank(scores), gold, weights, (0.75, 0.9))
    spelled_out = ([scores[i] for i in copies], [gold[i] for i in copies])
    assert drawn[0] == pytest.approx(module.average_precision(*spelled_out))
    assert drawn[1] == pytest.approx((module.recall_at_precision(*spelled_out, 0.75),
                                      module.recall_at_precision(*spelled_out, 0.9)))


def test_paired_margins_are_differences_with_an_interval_around_them() -> None:
    module = _load("eval_sentiment")
    gold = [1, 1, 1, 1, 0, 0, 0, 0] * 10
    perfect = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1] * 10
    shuffled = [0.9, 0.2, 0.7, 0.3, 0.8, 0.6, 0.1, 0.4] * 10
    vader_hits = [s >= 0.85 for s in perfect]  # precision 1.0, at which the poor ranking finds a quarter
    margins = module.paired_margins(gold, {"model": perfect, "previous": shuffled, "vader": perfect}, vader_hits,
                                    resamples=200)
    assert set(margins) == {(m, o) for m in module.MARGIN_METRICS for o in ("previous", "vader")}
    for metric in module.MARGIN_METRICS:
        assert margins[(metric, "vader")] == (0.0, 0.0, 0.0)  # the same ranking: level in every resample
        value, low, high = margins[(metric, "previous")]
        assert 0 < low <= value <= high <= 1  # a perfect ranking is ahead of a poor one in every resample
    assert margins[("R@P.90", "previous")][0] == 1.0 - module.recall_at_precision(shuffled, gold, 0.9)
    # A share's interval: Wilson's, which stays inside [0, 1] and is not empty for 0 hits.
    low, high = module.wilson_interval(21, 481)
    assert (round(low, 3), round(high, 3)) == (0.029, 0.066)
    assert module.wilson_interval(0, 50)[0] == 0.0 and 0.05 < module.wilson_interval(0, 50)[1] < 0.08
    # The same seed gives the same intervals: make eval's figures are reproducible.
    assert margins == module.paired_margins(gold, {"model": perfect, "previous": shuffled, "vader": perfect},
                                            vader_hits, resamples=200)


def test_calibration_reweights_each_set_to_the_inbox_mix() -> None:
    module = _load("eval_sentiment")
    # 10 upset messages scored 0.9 and 30 calm ones scored 0.1: in an inbox where 15% are upset, 15% of the
    # weight sits at 0.9 (all upset) and 85% at 0.1 (none upset).
    rows, errors = module.calibration({"a": ([0.9] * 10 + [0.1] * 30, [1] * 10 + [0] * 30)})
    assert [tuple(round(v, 6) for v in row) for row in rows] == [(0.1, 0.2, 0.85, 0.1, 0.0), (0.9, 1.0, 0.15, 0.9, 1.0)]
    assert errors["a"] == pytest.approx(0.85 * 0.1 + 0.15 * 0.1)
    # Sets count equally, however many messages each has; a score of 1.0 falls in the top bin.
    rows, errors = module.calibration({"a": ([0.9] * 10 + [0.1] * 30, [1] * 10 + [0] * 30),
                                       "b": ([1.0, 0.0] * 500, [1, 0] * 500)})
    assert sum(row[2] for row in rows) == pytest.approx(1.0)
    assert errors["b"] == 0.0 and rows[-1][2] == pytest.approx(0.15)


def test_a_candidate_is_scored_at_its_own_threshold() -> None:
    from dataclasses import replace

    from chalicelib.config.model import EscalationSettings
    from chalicelib.engine import model

    module = _load("eval_sentiment")
    candidate = replace(model.load(), header={**model.load().header, "threshold": 0.45})
    assert module.model_threshold(None) == EscalationSettings().threshold
    assert module.model_threshold(candidate) == 0.45


def test_owner_alert_rates_count_what_escalation_would_text() -> None:
    from chalicelib.domain.state import SentimentReading

    module = _load("eval_sentiment")
    data = _load("sentiment_data")
    rows = [data.Example("Loved it, thank you!", 0, 1, "positive", "x", "test"),
            data.Example("Thanks. Where is my order? It's been 3 weeks and I want a refund.", 0, 1, "positive", "x",
                         "test"),
            data.Example("What time do you open?", 0, 0, "neutral", "x", "test"),
            data.Example("I hate this", 1, None, "negative", "x", "test")]
    happy = SentimentReading("POSITIVE", 0.9, 0.05, 0.05, 0.0)
    upset = SentimentReading("NEGATIVE", 0.1, 0.8, 0.1, 0.0)
    calm = SentimentReading("NEUTRAL", 0.1, 0.1, 0.8, 0.0)
    # The second "positive" row names two problems and reads upset: escalation texts the owner about it.
    # "I hate this" reads upset but names no problem: watch, not a text, and it waits in the inbox.
    alerts, inbox = module.owner_alert_rates(rows, [happy, upset, calm, upset], 0.5)
    assert alerts == (0.5, 0.0, 0.0) and inbox == (0.0, 0.0, 1.0)
    assert module.owner_alert_rates(rows[3:], [upset], 0.5) == ((None, None, 0.0), (None, None, 1.0))  # no such rows


def test_probe_agreement_counts_levels_against_the_writers(tmp_path: Path) -> None:
    module = _load("eval_sentiment")
    rows = [{"probe": 1, "expected": "none", "text": "Thank you, the bread was lovely!"},
            {"probe": 1, "expected": "urgent", "text": "Thanks, lovely!"},  # wanted a text: two or more too low
            {"probe": 2, "expected": "none", "text": "I found a piece of glass in the loaf."}]  # two too high
    probes = tmp_path / "probes.jsonl"
    probes.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = module.probe_agreement(path=probes)
    assert (result[1].n, result[1].exact, result[1].too_low, result[1].text_missed) == (2, 1, 1, 1)
    assert result[1].table["urgent"]["none"] == 1
    assert (result[2].n, result[2].exact, result[2].too_high) == (1, 0, 1)


def test_the_blind_probes_are_well_formed() -> None:
    rows = [json.loads(line) for line in (REPO / "bench/data/blind_probes.jsonl").read_text().splitlines() if line]
    assert Counter(r["probe"] for r in rows) == dict.fromkeys(range(1, 64), 240)
    assert all(r["expected"] in ("none", "watch", "alert", "urgent") and r["text"].strip() for r in rows)
    for probe in range(1, 64):  # (two writers may both write "???": unique within a probe)
        texts = [r["text"] for r in rows if r["probe"] == probe]
        assert len(set(texts)) == len(texts)
