"""The local sentiment engine: Warmline's trained model, read in plain Python, sentence by sentence.

- The model (`model.py`, card in MODEL_CARD.md) gives a calibrated probability that the writer is
  upset, and one that they are pleased if not upset. No network, no model download, no numpy.
- Emails are read whole and sentence by sentence (`sentences`). The message's negative score is the
  whole text's, raised to its most upset sentence's when that sentence on its own would count as upset
  (at or above the model's threshold), so one angry sentence in a long polite email still counts. A
  gloomier sentence below the threshold does not lift the score: the plain maximum ranked messages
  worse on validation data (a happy message with one gloomy clause, "I was worried it wouldn't come
  in time. It's perfect!", read as upset; see MODEL_CARD.md). The most upset sentence is kept in
  `SentimentReading.focus` for the alert's excerpt.
- English only, honestly: a message in another language (the configured one, or else `language.detect`)
  gets a neutral reading carrying that language, and escalation says the local engine could not read it.
- Customer-service cues (`chalicelib.domain.cues`) are not the engine's business: escalation finds them
  once, for every engine (Comprehend too), and adds them as reasons and points.

The four scores are shaped like Comprehend's (they sum to 1): negative = P(upset); positive and
neutral share the rest by P(pleased | not upset); mixed is 0 (the model has no mixed class). The
label is NEGATIVE from the model's calibrated threshold (MODEL_CARD.md) on, POSITIVE when the writer is
more likely pleased than not (positive >= 0.5), else NEUTRAL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ..domain import language as languages
from ..domain.state import SentimentLabel, SentimentReading
from .model import BucketMemo, Model, load, scored_sentences, sentences
from .person import needs_person

__all__ = ["PLEASED", "LocalSentimentAnalyzer", "message_scores", "sentences"]  # sentences: from model, as before
PLEASED: Final = 0.5  # a reading is POSITIVE from this positive score on (`_label`)


def message_scores(model: Model, text: str, lift: float | None = None,
                   memo: BucketMemo | None = None) -> tuple[float, float, str]:
    """(negative, positive-given-not-negative, most upset sentence or "") for one English text. `memo`: the features
    of the text and its sentences, shared with the other model that reads them.

    `lift`: the score from which a single sentence raises the message to its own score; the model's
    threshold unless given. (The trainer passes 0 while it chooses that threshold: at any threshold t,
    "whole >= t or a sentence >= t" is the same decision as max(whole, sentences) >= t.)"""
    if lift is None:
        lift = model.threshold
    negative, pleased = model.probabilities(text, memo)
    focus = ""
    parts = scored_sentences(text)
    if len(parts) >= 2:
        worst_p, worst = max((model.upset(s, memo), s) for s in parts)
        if worst_p >= lift and worst_p > negative:
            negative = worst_p
        focus = worst
    elif parts:
        focus = parts[0]
    return negative, pleased, focus


def _label(scores: dict[SentimentLabel, float], threshold: float) -> SentimentLabel:
    """NEGATIVE from the model's calibrated threshold on (an upset share of 15% makes a plain argmax
    almost never say NEGATIVE); POSITIVE when the writer is more likely pleased than not (positive >= 0.5:
    "I want a full refund, please." can make pleased the likeliest of three readings by a hair, 0.45
    against 0.43, and that is not a happy message); otherwise NEUTRAL. The week page counts POSITIVE
    messages as happy, and escalation asks the same 0.5 of any engine's POSITIVE reading
    (`escalation.CLEARLY_PLEASED`), so the two agree."""
    if scores["NEGATIVE"] >= threshold:
        return "NEGATIVE"
    if scores["POSITIVE"] >= PLEASED:
        return "POSITIVE"
    return "NEUTRAL"


class LocalSentimentAnalyzer:
    """`SentimentAnalyzer` that runs in-process with no network and no model download."""

    engine = "local"

    def __init__(self, model: Model | None = None, person_model: Model | None = None) -> None:
        """`model`, `person_model`: other weights than the shipped ones (`make eval --weights`, to weigh a
        retrained candidate); None reads the shipped ones, loaded on first use."""
        self._model = model
        self._person_model = person_model

    def read(self, text: str, language: str | None = None) -> SentimentReading:
        lang = language or languages.detect(text)
        if not languages.reads(lang):
            return SentimentReading("NEUTRAL", 0.0, 0.0, 1.0, 0.0, language=lang, engine=self.engine)
        model = self._model or load()
        memo = BucketMemo()  # the text and its sentences, featured once for both models
        negative, pleased, focus = message_scores(model, text, memo=memo)
        rest = 1.0 - negative
        scores: dict[SentimentLabel, float] = {
            "NEGATIVE": negative, "POSITIVE": rest * pleased, "NEUTRAL": rest * (1.0 - pleased), "MIXED": 0.0,
        }
        needs = needs_person(text, self._person_model, memo)
        return SentimentReading(
            label=_label(scores, model.threshold),
            positive=round(scores["POSITIVE"], 4),
            negative=round(negative, 4),
            neutral=round(scores["NEUTRAL"], 4),
            mixed=0.0,
            language=lang,
            engine=self.engine,
            focus=focus,
            person_level=needs.level,
            person=needs.person,
            person_focus=needs.focus,
            person_urgent=needs.urgent,
            person_words=needs.words,
            person_urgent_words=needs.urgent_words,
        )

    def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]:
        return [self.read(text, language) for text in texts]
