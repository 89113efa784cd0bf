"""The previous local engine (before the trained model, issue 9), kept for `make eval` comparisons only.

Not shipped: it needs the vaderSentiment package (a dev requirement now) and uses the cues as they
were then (`previous_cues.py`). What follows is its original description.

The local sentiment engine: fast, pure Python, tuned for a shop's inbox.

It is a lean re-implementation of VADER's rules (Hutto & Gilbert, ICWSM 2014) over VADER's
own lexicon (read from the installed `vaderSentiment` package's data file; the package's
analyser code is not used at run time because it is about 4x slower than needed), plus:

- customer-service corrections to the lexicon (`lexicon_overrides.json`: "please" and "no" are
  not sentiment in a support inbox, "stale" and "chipped" are);
- customer-service cues from `chalicelib.domain.cues` (lateness, refund demands, damage,
  threats, sarcasm...), added as negative weight, because complaints are often written in
  neutral words ("Where is my order? It's been 3 weeks");
- emoji valences; ALL CAPS, "!!!" and "??" emphasis; negation; "but" shifts.

The four scores are shaped like Comprehend's (they sum to 1), so the owner's
`escalation.threshold` means the same thing whichever engine is selected.
English only: other languages are read with the English lexicon (emoji and cues still count),
and the reading carries the language it was given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

from previous_cues import Cue, find_cues

from chalicelib.domain.state import SentimentLabel, SentimentReading

# VADER's empirically derived constants.
_BOOST: Final = 0.293
_CAPS: Final = 0.733
_NEGATE_SCALAR: Final = -0.74
_EXCLAIM: Final = 0.292

# Shape of the scores: how much sentiment mass it takes to move off "neutral".
NEUTRAL_MASS: Final = 1.0
MIXED_SHARE: Final = 0.6
# How sharply the polar mass goes to the stronger side (1: in proportion; 2: squared).
SHARE_POWER: Final = 2.0
# Under sarcasm, praise words count for little.
SARCASM_DAMPING: Final = 0.1



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PUNCT: Final = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\u201c\u201d\u2018\u2019'"

_NEGATIONS: Final = _words(
    """aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't doesn't
    dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't
    neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt uhuh wasnt werent
    oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't wouldn't rarely seldom
    despite no"""
)
_BOOSTERS: Final[dict[str, float]] = {
    **dict.fromkeys(
        _words(
            """absolutely amazingly awfully completely considerably decidedly deeply entirely especially
        exceptionally extremely fabulously fully greatly highly hugely incredibly intensely particularly
        purely quite really remarkably so substantially thoroughly totally tremendously unbelievably
        utterly very super truly seriously"""
        ),
        _BOOST,
    ),
    **dict.fromkeys(_words("almost barely hardly less little marginally partly slightly somewhat kinda"), -_BOOST),
}
# "like" is a feeling only after these ("I like it", "didn't like"); otherwise a preposition or a request.
_LIKE_AS_VERB: Final = _words("i we they you really just also do did don't didn't dont didnt not definitely totally")
_EMOJI: Final = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, float]
    emoji: dict[str, float]


@cache
def _lexicon() -> _Lexicon:
    """VADER's lexicon with Warmline's customer-service overrides; read once, on first use."""
    words: dict[str, float] = {}
    vader = resources.files("vaderSentiment")
    for line in vader.joinpath("vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                words[parts[0]] = float(parts[1])
            except ValueError:
                continue
    own = Path(__file__).resolve().parent / "data" / "lexicon_overrides.json"
    overrides = json.loads(own.read_text(encoding="utf-8"))
    for word, value in overrides["words"].items():
        if value == 0:
            words.pop(word, None)
        else:
            words[word] = float(value)
    # Emoji: VADER describes each one in words; score the description, then apply our own values.
    emoji: dict[str, float] = {}
    for line in vader.joinpath("emoji_utf8_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            value = sum(words.get(w, 0.0) for w in parts[1].split())
            if value:
                emoji[parts[0]] = max(-3.0, min(3.0, value))
    emoji.update({k: float(v) for k, v in overrides["emoji"].items()})
    return _Lexicon(words, emoji)


@dataclass(frozen=True)
class _Tally:
    positive: float
    negative: float
    cues: tuple[Cue, ...]


def _tally(text: str) -> _Tally:
    lex = _lexicon()
    words = lex.words
    raw_tokens = text.split()
    tokens = [t.strip(_PUNCT).lower() for t in raw_tokens]
    has_lower = any(c.islower() for c in text)
    sentiments: list[float] = []
    but_at = -1
    for i, token in enumerate(tokens):
        if token == "but" or token == "however":
            but_at = len(sentiments)
        valence = words.get(token) if token else None
        if valence is None:
            valence = words.get(raw_tokens[i])  # emoticons such as ":(" keep their punctuation
            if valence is None:
                continue
        if token == "like" and (i == 0 or tokens[i - 1] not in _LIKE_AS_VERB):
            continue  # "like rubber", "I'd like to...": not a feeling
        if has_lower and raw_tokens[i].isupper() and len(token) > 1:
            valence += _CAPS if valence > 0 else -_CAPS
        for distance in (1, 2, 3):
            j = i - distance
            if j < 0:
                break
            previous = tokens[j]
            boost = _BOOSTERS.get(previous)
            if boost is not None:
                scale = (1.0, 0.95, 0.9)[distance - 1]
                valence += boost * scale if valence > 0 else -boost * scale
            if previous in _NEGATIONS or previous.endswith("n't"):
                valence *= _NEGATE_SCALAR
                break
        if i + 2 < len(tokens) and tokens[i + 1] == "at" and tokens[i + 2] == "all" and i > 0 and valence > 0:
            valence *= 1.2  # "not bad at all"
        sentiments.append(valence)
    if but_at >= 0:
        sentiments = [s * 0.5 for s in sentiments[:but_at]] + [s * 1.5 for s in sentiments[but_at:]]
    for emoji_char in _EMOJI.findall(text):
        value = lex.emoji.get(emoji_char)
        if value is not None:
            sentiments.append(value)

    positive = sum(s for s in sentiments if s > 0)
    negative = -sum(s for s in sentiments if s < 0)
    cues = find_cues(text)
    if cues:
        if any(c.kind == "sarcasm" for c in cues):
            positive *= SARCASM_DAMPING
        negative += -sum(c.weight for c in cues)
    exclaims = min(text.count("!"), 4) * _EXCLAIM
    if exclaims:
        if positive > negative:
            positive += exclaims
        elif negative > positive:
            negative += exclaims
    if "??" in text or "?!" in text:
        negative += 0.6
    return _Tally(positive, negative, cues)


def _reading(tally: _Tally, language: str) -> SentimentReading:
    p, n = tally.positive, tally.negative
    total = p + n
    neutral = NEUTRAL_MASS / (NEUTRAL_MASS + total)
    polar = 1.0 - neutral
    if total > 0:
        balance = min(p, n) / max(p, n)
        mixed = polar * MIXED_SHARE * balance**2 if min(p, n) >= 1.0 else 0.0
        rest = polar - mixed
        neg_share = n**SHARE_POWER / (n**SHARE_POWER + p**SHARE_POWER)
        pos, neg = rest * (1.0 - neg_share), rest * neg_share
    else:
        mixed = pos = neg = 0.0
    scores: dict[SentimentLabel, float] = {"NEUTRAL": neutral, "POSITIVE": pos, "NEGATIVE": neg, "MIXED": mixed}
    label = max(scores, key=lambda k: scores[k])
    return SentimentReading(
        label=label,
        positive=round(pos, 4),
        negative=round(neg, 4),
        neutral=round(neutral, 4),
        mixed=round(mixed, 4),
        language=language,
        engine="previous",
    )


class PreviousEngine:
    """`SentimentAnalyzer` that runs in-process with no network and no model download."""

    engine = "previous"

    def read(self, text: str, language: str | None = None) -> SentimentReading:
        return _reading(_tally(text), language or "en")

    def read_many(self, texts: Sequence[str], language: str | None = None) -> list[SentimentReading]:
        return [self.read(text, language) for text in texts]

    def warm_up(self) -> None:
        """Load the lexicon now (e.g. during a Lambda init phase) rather than on the first message."""
        _lexicon()
