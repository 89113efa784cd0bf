"""The shipped model: weights and card agree, the file is compact, and the run-time features are exactly
the trainer's (the trainer records its own margins for probe texts in the weights file's header)."""

from __future__ import annotations

import hashlib
import re
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.engine import model

ENGINE = Path(model.__file__).resolve().parent
CARD = ENGINE / "MODEL_CARD.md"
WEIGHTS = ENGINE / model.WEIGHTS_FILE


def test_card_names_the_shipped_version_and_hash() -> None:
    data = WEIGHTS.read_bytes()
    card = CARD.read_text(encoding="utf-8")
    loaded = model.decode(data)
    assert f"**Version:** `{loaded.version}`" in card
    assert hashlib.sha256(data).hexdigest() in card
    assert f"{len(data):,} bytes" in card
    threshold = re.search(r"\*\*Threshold:\*\* ([0-9.]+)", card)
    assert threshold is not None and float(threshold.group(1)) == loaded.header["threshold"]


def test_default_escalation_threshold_is_the_models() -> None:
    from chalicelib.config.model import EscalationSettings

    assert EscalationSettings().threshold == model.load().header["threshold"]


def test_weights_file_is_compact() -> None:
    assert WEIGHTS.stat().st_size <= 3 * 1024 * 1024


def test_runtime_margins_match_the_trainers() -> None:
    loaded = model.load()
    probes = loaded.header["probes"]
    assert isinstance(probes, list) and len(probes) >= 5
    for text, negative, positive in probes:
        buckets = model.features(text, loaded.bits)
        assert loaded.heads["negative"].margin(buckets) == pytest.approx(negative, abs=1e-5), text
        assert loaded.heads["positive"].margin(buckets) == pytest.approx(positive, abs=1e-5), text


def test_features_are_stable_crc32_buckets() -> None:
    # Pinned values: changing tokenisation or hashing silently would make the shipped weights meaningless.
    assert model.tokens("I'm SOOOO upset!!! @bob http://x.y :( 😡") == ["i'm", "soo", "upset", "!", "!", "user",
                                                                       "http", ":(", "😡"]
    grams = model.grams("Hi you")
    assert grams[:3] == ["w:hi", "w:you", "b:hi you"] and " hi " in grams and " you " in grams
    assert model.features("ok", 18) == sorted({zlib.crc32(g.encode()) & (2**18 - 1) for g in model.grams("ok")})
    assert model.features("", 18) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"abcdez'!?.,;: ~😡ÉéN", "not ", "don't ", "but ", "never "]),
                max_size=40).map("".join))
def test_features_hash_exactly_the_grams(text: str) -> None:
    # The run time looks each word's grams up in a cache; the buckets must be those of `grams` all the same,
    # whatever was cached before (the text is read twice, the second time from the cache).
    expected = sorted({zlib.crc32(g.encode()) & (2**18 - 1) for g in model.grams(text)})
    assert model.features(text, 18) == expected
    assert model.features(text, 18) == expected
    assert model.features(text, 12) == sorted({zlib.crc32(g.encode()) & (2**12 - 1) for g in model.grams(text)})


def test_decode_refuses_other_files() -> None:
    with pytest.raises(ValueError):
        model.decode(b"not a model")
    data = WEIGHTS.read_bytes()
    with pytest.raises(zlib.error):
        model.decode(data[:-100])


def test_probabilities_are_probabilities() -> None:
    loaded = model.load()
    for text in ("", "x", "Thank you!", "This is the worst order ever."):
        negative, pleased = loaded.probabilities(text)
        assert 0.0 < negative < 1.0 and 0.0 < pleased < 1.0


def test_the_engine_reads_with_other_weights_when_given_them() -> None:
    """`make eval --weights` scores a retrained candidate through the same engine code as the shipped model."""
    from dataclasses import replace

    from chalicelib.engine.local import LocalSentimentAnalyzer

    text = "Where is my order? It's been three weeks and nobody answers my emails. I'm furious."
    shipped = model.load()
    assert LocalSentimentAnalyzer(model.decode(model.weights_bytes())).read(text) == LocalSentimentAnalyzer().read(text)
    strict = replace(shipped, header={**shipped.header, "threshold": 0.999})  # a candidate with its own threshold
    assert LocalSentimentAnalyzer().read(text).label == "NEGATIVE"
    assert LocalSentimentAnalyzer(strict).read(text).label != "NEGATIVE"
