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
English only, like the sentiment model: other languages get no reading from it. With each reading come the words
that weighed most in it (`model.weighed_words`), so an owner reads what the model heard ("most of all for "bleeding",
"swollen" and "pushed""), not only a number.
"""

from __future__ import annotations

from functools import cache
from typing import Final, NamedTuple

from ..domain.state import EscalationLevel
from .model import BucketMemo, Model, decode, scored_sentences, weighed_words, weights_bytes

PERSON_FILE: Final = "person_model.bin"
# Words are named for a reading from this on (below any bar escalation uses the model at: its inbox bars are 0.40
# and up); a message far from needing anyone costs nothing more.
WORDS_FROM: Final = 0.4


class PersonReading(NamedTuple):
    """What the model reads in one message (`needs_person`)."""

    level: EscalationLevel
    person: float  # P(person) of the most person-like part
    urgent: float  # P(urgent) of the most urgent part
    focus: str  # the most person-like part if it is a sentence of a longer text, else ""
    words: tuple[str, ...]  # the words that weighed most in the person reading of that part
    urgent_words: tuple[str, ...]  # ... and in the urgent reading of the most urgent part


@cache
def load_person() -> Model:
    """The shipped "needs a person" model, read once per process."""
    return decode(weights_bytes(PERSON_FILE))


def person_scores(text: str, model: Model, memo: BucketMemo | None = None) -> tuple[float, float, str]:
    """(P(person), P(urgent), the most person-like part if it is a sentence of a longer text, else ""): each the
    highest of the whole text and its sentences (`scored_sentences`, when there are 2+), as the sentiment model
    reads a message."""
    best, best_urgent, focus, _urgent_focus = _best_parts(text, model, memo)
    return best, best_urgent, focus


def _best_parts(text: str, model: Model, memo: BucketMemo | None) -> tuple[float, float, str, str]:
    """`person_scores`, and the most urgent part (the whole text or one of its sentences)."""
    person, urgent = model.heads["person"], model.heads["urgent"]
    parts = scored_sentences(text)
    candidates = [text, *parts] if len(parts) >= 2 else [text]
    best, best_urgent, focus, urgent_focus = 0.0, 0.0, "", text
    for i, part in enumerate(candidates):
        buckets = model.buckets(part, memo)
        p = person.probability(buckets)
        u = urgent.probability(buckets)
        if u > best_urgent:
            best_urgent, urgent_focus = u, part
        if p > best:
            best, focus = p, (part if i else "")
    return best, best_urgent, focus, urgent_focus


def needs_person(text: str, model: Model | None = None, memo: BucketMemo | None = None) -> PersonReading:
    """The level the model reads in `text`, its two readings and the parts and words behind them (`PersonReading`).
    `memo`: features already computed for this text and its sentences (by the sentiment model)."""
    model = model or load_person()
    best, best_urgent, focus, urgent_focus = _best_parts(text, model, memo)
    thresholds = model.header.get("thresholds")
    if not isinstance(thresholds, dict):
        raise ValueError("the person model file names no thresholds")
    level: EscalationLevel = "none"
    if best >= float(thresholds["alert"]):
        level = "urgent" if best_urgent >= float(thresholds["urgent"]) else "alert"
    if best_urgent >= float(thresholds.get("urgent_alone", 2.0)):
        level = "urgent"
    return PersonReading(level, round(best, 4), round(best_urgent, 4), focus,
                         *_words(model, focus or text, best >= WORDS_FROM, urgent_focus, best_urgent >= WORDS_FROM))


def _words(model: Model, part: str, wanted: bool, urgent_part: str,
           urgent_wanted: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words that weighed most in the person reading of `part` and the urgent reading of `urgent_part`, each only
    if wanted (one pass when they are the same part, as they mostly are)."""
    person, urgent = model.heads["person"], model.heads["urgent"]
    if wanted and urgent_wanted and part == urgent_part:
        both = weighed_words(part, (person, urgent), model.bits)
        return both[0], both[1]
    return (weighed_words(part, (person,), model.bits)[0] if wanted else (),
            weighed_words(urgent_part, (urgent,), model.bits)[0] if urgent_wanted else ())
