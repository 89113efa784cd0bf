"""Comprehend's Negative score mapped onto the local model's calibrated scale (same escalation for both)."""

from __future__ import annotations

import pytest

from chalicelib.adapters.aws.comprehend import ComprehendAnalyzer, calibrated_negative, calibration, check_anchors
from chalicelib.config.model import EscalationSettings


def test_anchors_and_monotone() -> None:
    assert calibrated_negative(0.0) == 0.0 and calibrated_negative(1.0) == 1.0
    assert calibrated_negative(0.6) == pytest.approx(EscalationSettings().threshold)
    assert calibrated_negative(0.85) == pytest.approx(0.85)
    values = [calibrated_negative(i / 100) for i in range(101)]
    assert values == sorted(values)
    assert calibrated_negative(-1) == 0.0 and calibrated_negative(2) == 1.0
    assert calibration()[0] == (0.0, 0.0) and calibration()[-1] == (1.0, 1.0)


def test_anchors_that_would_misread_are_refused() -> None:
    assert check_anchors([[0, 0.01], [0.5, 0.2], [1, 0.97]]) == ((0.0, 0.01), (0.5, 0.2), (1.0, 0.97))
    bad_anchors: list[list[list[float]]] = [
        [[0, 0], [0.5, 0.6], [0.4, 0.7], [1, 1]],  # not rising in Comprehend's score
        [[0, 0], [0.5, 0.6], [0.7, 0.4], [1, 1]],  # a higher Negative reading calmer
        [[0.1, 0], [1, 1]], [[0, 0], [0.9, 1]],  # not covering 0..1
        [[0, 0], [1, 1.2]], [[0, 0]]]
    for bad in bad_anchors:
        with pytest.raises(ValueError):
            check_anchors(bad)


def test_reading_scores_still_sum_to_one() -> None:
    result = {"Sentiment": "NEGATIVE", "SentimentScore": {"Positive": 0.1, "Negative": 0.5, "Neutral": 0.3,
                                                          "Mixed": 0.1}}
    reading = ComprehendAnalyzer._reading(result, "en")
    assert reading.negative == pytest.approx(calibrated_negative(0.5), abs=1e-4)
    assert sum(reading.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert reading.label == "NEGATIVE" and reading.engine == "comprehend"
    certain = ComprehendAnalyzer._reading({"Sentiment": "NEGATIVE", "SentimentScore": {"Negative": 1.0}}, "en")
    assert (certain.negative, certain.positive) == (1.0, 0.0)
