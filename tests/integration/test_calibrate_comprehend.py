"""bench/calibrate_comprehend.py: scoring the validation splits with Comprehend (botocore's Stubber, real
validation messages), caching what was billed, and fitting the map onto the local model's scale."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.aws.comprehend import ComprehendAnalyzer, check_anchors, interpolate
from chalicelib.engine import LocalSentimentAnalyzer

REPO = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    if not (REPO.parent / "shared" / "data" / "sentiment-train").is_dir():
        pytest.fail(f"The shared training data is missing: expected {REPO.parent / 'shared/data/sentiment-train'}.")
    if "calibrate_comprehend" in sys.modules:
        return sys.modules["calibrate_comprehend"]
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location("calibrate_comprehend", REPO / "bench" / "calibrate_comprehend.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate_comprehend"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


@pytest.fixture(scope="module")
def rows(tool: ModuleType) -> list[Any]:
    """40 real validation messages from two sets, upset and not."""
    chosen: list[Any] = []
    for source in ("complaints", "hu_liu_reviews"):
        mine = [r for r in tool.validation_rows() if r.source == source]
        chosen += [r for r in mine if r.negative][:8] + [r for r in mine if not r.negative][:12]
    return chosen


@pytest.fixture
def on_rows(tool: ModuleType, rows: list[Any], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The tool, reading the 40 chosen rows as its validation data."""
    monkeypatch.setattr(tool, "validation_rows", lambda: rows)
    return tool


@pytest.fixture
def stubbed() -> Iterator[tuple[Stubber, ComprehendAnalyzer]]:
    client = boto3.client("comprehend", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield stubber, ComprehendAnalyzer(client, LocalSentimentAnalyzer(), language="en", sleep=lambda _: None)
        stubber.assert_no_pending_responses()


def fake_negative(row: Any, index: int) -> float:
    """Comprehend-like scores that rank upset messages higher, with overlap (a perfect split has no fit)."""
    return (0.8, 0.4, 0.95, 0.3)[index % 4] if row.negative else (0.05, 0.5, 0.2, 0.02)[index % 4]


def answer(texts: list[str], by_text: dict[str, float], refuse: str | None = None) -> dict[str, Any]:
    results, errors = [], []
    for i, text in enumerate(texts):
        if text == refuse:
            errors.append({"Index": i, "ErrorCode": "TextSizeLimitExceededException", "ErrorMessage": "too long"})
            continue
        negative = by_text[text]
        results.append({"Index": i, "Sentiment": "NEGATIVE" if negative > 0.5 else "NEUTRAL",
                        "SentimentScore": {"Positive": round((1 - negative) / 2, 4), "Negative": negative,
                                           "Neutral": round((1 - negative) / 2, 4), "Mixed": 0.0}})
    return {"ResultList": results, "ErrorList": errors}


def test_platt_fit_recovers_known_parameters(tool: ModuleType) -> None:
    # Each point once as upset with weight p and once as calm with weight 1 - p: the exact optimum is (a, b).
    xs = [i / 10 - 4 for i in range(81)]
    p = [1 / (1 + math.exp(-(1.7 * x - 0.9))) for x in xs]
    a, b = tool.fit_platt(xs + xs, [1] * len(xs) + [0] * len(xs), p + [1 - q for q in p])
    assert (a, b) == (pytest.approx(1.7, abs=1e-6), pytest.approx(-0.9, abs=1e-6))
    with pytest.raises(ValueError):
        tool.fitted_anchors(-0.5, 0.0)  # a score that ranks calm messages higher is refused, not inverted


def test_inbox_weights_give_every_set_the_same_weight_and_15_percent_upset(tool: ModuleType,
                                                                           rows: list[Any]) -> None:
    weights = tool.inbox_weights(rows)
    assert sum(weights) == pytest.approx(len(rows))
    for source in ("complaints", "hu_liu_reviews"):
        mine = [w for r, w in zip(rows, weights, strict=True) if r.source == source]
        upset = [w for r, w in zip(rows, weights, strict=True) if r.source == source and r.negative]
        assert sum(mine) == pytest.approx(len(rows) / 2)
        assert sum(upset) / sum(mine) == pytest.approx(tool.INBOX_SHARE)


def test_scores_caches_refits_and_never_bills_twice(on_rows: ModuleType, rows: list[Any], tmp_path: Path,
                                                    stubbed: tuple[Stubber, ComprehendAnalyzer],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    tool, (stubber, comprehend) = on_rows, stubbed
    cache, out = tmp_path / "scores.jsonl", tmp_path / "calibration.json"
    args = ["--cache", str(cache), "--out", str(out)]
    texts = [r.text for r in rows]
    by_text = {r.text: fake_negative(r, i) for i, r in enumerate(rows)}

    # Without --go nothing is sent (the Stubber would fail on any call) and nothing is written.
    assert tool.main(args, raw_scores=comprehend.raw_scores) == 0
    assert "Nothing was sent" in capsys.readouterr().out and not cache.exists() and not out.exists()
    # Over the budget: refused before any call.
    assert tool.main([*args, "--go", "--max-units", "10"], raw_scores=comprehend.raw_scores) == 2
    assert not cache.exists()

    # First run: two batches of Comprehend (25 + 15); one message refused. 39 of 40 scored is too few to fit.
    refused = texts[30]
    stubber.add_response("batch_detect_sentiment", answer(texts[:25], by_text), {"TextList": texts[:25],
                                                                                 "LanguageCode": "en"})
    stubber.add_response("batch_detect_sentiment", answer(texts[25:], by_text, refuse=refused),
                         {"TextList": texts[25:], "LanguageCode": "en"})
    assert tool.main([*args, "--go"], raw_scores=comprehend.raw_scores) == 2
    assert len(tool.load_cache(cache)) == 39 and not out.exists()
    assert comprehend.units_by_operation == {"BatchDetectSentiment": tool.units_for([t for t in texts
                                                                                     if t != refused])}

    # Second run sends only the one message not scored yet, then fits and writes the anchors.
    stubber.add_response("batch_detect_sentiment", answer([refused], by_text),
                         {"TextList": [refused], "LanguageCode": "en"})
    assert tool.main([*args, "--go"], raw_scores=comprehend.raw_scores) == 0
    written = json.loads(out.read_text())
    anchors = check_anchors(written["anchors"])
    assert "fitted" in written["source"] and "40 validation messages" in written["source"]
    calibrated = [interpolate(anchors, by_text[t]) for t in texts]
    upset = [c for c, r in zip(calibrated, rows, strict=True) if r.negative]
    calm = [c for c, r in zip(calibrated, rows, strict=True) if not r.negative]
    assert sum(upset) / len(upset) > sum(calm) / len(calm)  # the map keeps Comprehend's ranking
    report = capsys.readouterr().out
    assert "complaints" in report and "fitted" in report and "now reads 0.50" in report

    # A refit from the cache calls nothing and gives the same anchors; a cut-off cache line is skipped.
    with cache.open("a") as f:
        f.write('{"key": "abc", "nega')
    out.unlink()
    assert tool.main([*args, "--fit-only"], raw_scores=comprehend.raw_scores) == 0
    assert json.loads(out.read_text())["anchors"] == written["anchors"]


def test_a_batch_comprehend_refuses_whole_stops_the_run(on_rows: ModuleType, tmp_path: Path,
                                                         stubbed: tuple[Stubber, ComprehendAnalyzer],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    tool, (stubber, comprehend) = on_rows, stubbed
    for _ in range(2):  # the two Comprehend batches of the first 250 messages (25 + 15): no permission
        stubber.add_client_error("batch_detect_sentiment", "AccessDeniedException", http_status_code=400)
    cache = tmp_path / "scores.jsonl"
    assert tool.main(["--go", "--cache", str(cache), "--out", str(tmp_path / "c.json")],
                     raw_scores=comprehend.raw_scores) == 1
    assert "no permission for comprehend:BatchDetectSentiment" in capsys.readouterr().err
    assert tool.load_cache(cache) == {} and not (tmp_path / "c.json").exists()


def test_no_region_or_credentials_is_said_before_anything_is_sent(on_rows: ModuleType, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    tool = on_rows
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    args = ["--go", "--cache", str(tmp_path / "scores.jsonl"), "--out", str(tmp_path / "c.json")]
    assert tool.main(args) == 2
    assert "No AWS region: pass --region" in capsys.readouterr().err
    assert tool.main([*args, "--region", "eu-west-1"]) == 2
    assert "No AWS credentials" in capsys.readouterr().err
