"""Does this message need a person? A small learned model that escalation consults beside the cues.

The cues (`chalicelib.domain.cues`) say *why* a message needs the owner in words an owner believes, but a
phrase list holds only the wordings someone thought of: "my cat is twitching and falling over, I'm on the
phone to the vet" or "I've been giving a lot of my stuff away" in new words reach nobody. This model was
trained on shop emails labelled with the level their writers wanted (`bench/train_person.py`, card in
PERSON_MODEL_CARD.md), on the same hashed features as the sentiment model (`model.features`), with two
linear heads in `person_model.bin`:

- person: P(the writer wanted the owner texted: alert or urgent);
- urgent: P(it could not wait for the morning).

A message is read whole and sentence by sentence (a buried sentence counts); its level is "alert" from the
person head's threshold, "urgent" when the urgent head passes its own threshold too or, whatever the person head
reads, its higher "urgent_alone" threshold (a model file without one never decides by the urgent head alone),
else "none". The
thresholds are the trainer's (chosen out of fold, and on public messages that need nobody). Escalation
(`domain.escalation.assess`) may raise a message to that level and quotes the sentence; it never lowers one.
English only, like the sentiment model: other languages get no reading from it.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from ..domain.state import EscalationLevel
from .model import BucketMemo, Model, decode, scored_sentences, weights_bytes

PERSON_FILE: Final = "person_model.bin"


@cache
def load_person() -> Model:
    """The shipped "needs a person" model, read once per process."""
    return decode(weights_bytes(PERSON_FILE))


def person_scores(text: str, model: Model, memo: BucketMemo | None = None) -> tuple[float, float, str]:
    """(P(person), P(urgent), the most person-like part if it is a sentence of a longer text, else ""): each the
    highest of the whole text and its sentences (`scored_sentences`, when there are 2+), as the sentiment model
    reads a message."""
    person, urgent = model.heads["person"], model.heads["urgent"]
    parts = scored_sentences(text)
    candidates = [text, *parts] if len(parts) >= 2 else [text]
    best, best_urgent, focus = 0.0, 0.0, ""
    for i, part in enumerate(candidates):
        buckets = model.buckets(part, memo)
        p = person.probability(buckets)
        best_urgent = max(best_urgent, urgent.probability(buckets))
        if p > best:
            best, focus = p, (part if i else "")
    return best, best_urgent, focus


def needs_person(text: str, model: Model | None = None,
                 memo: BucketMemo | None = None) -> tuple[EscalationLevel, float, float, str]:
    """(level, P(person) of the most person-like part, P(urgent) of the most urgent part, the most person-like part
    if it is a sentence of a longer text else ""). `memo`: features already computed for this text and its sentences
    (by the sentiment model)."""
    model = model or load_person()
    best, best_urgent, focus = person_scores(text, model, memo)
    thresholds = model.header.get("thresholds")
    if not isinstance(thresholds, dict):
        raise ValueError("the person model file names no thresholds")
    level: EscalationLevel = "none"
    if best >= float(thresholds["alert"]):
        level = "urgent" if best_urgent >= float(thresholds["urgent"]) else "alert"
    if best_urgent >= float(thresholds.get("urgent_alone", 2.0)):
        level = "urgent"
    return level, round(best, 4), round(best_urgent, 4), focus
