"""Warmline's trained sentiment model at run time: hashed n-gram features and two linear heads.

Plain Python on purpose (no numpy, no scikit-learn): the model must ship in the Lambda zip as
Comprehend's degraded fallback, load in well under 100 ms and read thousands of short messages a
second on one core. `bench/train_sentiment.py` trains it with scikit-learn on the very features
`features()` below produces (it imports this module), so training and inference cannot drift.

Features of one text (`features`): the text is normalised (`normalise`), split into tokens
(words, numbers, emoji and the punctuation that carries feeling, `!` and `?`), and every
word unigram, word bigram and character 4-5-gram of each word (padded with spaces) is hashed
with CRC-32 into `2**bits` buckets. Words in a negation's scope (the `NEGATION_SCOPE` words after
"not", "never", "no", "don't"..., up to a clause break or "but") are marked: their unigram and
character grams get a `~`, so "not bad at all" is not read as "bad". The vector is the set of buckets
hit, each with the value 1/sqrt(count) (unit length), so a long text does not score higher just by
being long.

Heads (`Model.scores`):
- negative: P(the writer is upset), Platt-calibrated on validation data (never test data);
- positive: P(the writer is pleased | not upset), calibrated the same way.

Weights file (`sentiment_model.bin`): magic `WLSM1\\n`, a 4-byte big-endian header length, a JSON
header (version, bits, per-head scale, bias and calibration), then zlib-compressed int8 weights,
head after head (`2**bits` each). The SHA-256 of the whole file is written in MODEL_CARD.md.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import re
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

MAGIC: Final = b"WLSM1\n"
WEIGHTS_FILE: Final = "sentiment_model.bin"
HEADS: Final = ("negative", "positive")
CHAR_MIN: Final = 4
CHAR_MAX: Final = 5

_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_MENTION: Final = re.compile(r"@\w+")
_ESCAPE: Final = re.compile(r"\\u([0-9a-fA-F]{4})")
_REPEAT: Final = re.compile(r"(.)\1{2,}")
# Words (with inner apostrophes), numbers, emoticons, emoji, and ! ? as tokens of their own.
_TOKEN: Final = re.compile(
    r"[a-z0-9\u00c0-\u024f]+(?:'[a-z]+)?|[!?]|[:;=]['-]?[()\[\]dp/|]|<3|[\u2600-\u27bf\U0001f300-\U0001faff]"
)
# The same, plus the clause breaks that end a negation's scope (not features themselves).
_PIECE: Final = re.compile(_TOKEN.pattern + r"|[.,;:]")
_CLAUSE_BREAKS: Final = frozenset({".", ",", ";", ":", "!", "?", "but"})
_NEGATORS: Final = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "hardly", "cannot",
    "dont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wont", "wouldnt",
    "shouldnt", "havent", "hasnt", "hadnt", "aint",
})
NEGATION_SCOPE: Final = 3
_QUOTES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})


def normalise(text: str) -> str:
    """Lower case; mentions, URLs and runs of a repeated letter made uniform; quotes straightened."""
    text = text.translate(_QUOTES).lower()
    text = _URL.sub(" http ", text)
    text = _MENTION.sub(" @user ", text)
    return _REPEAT.sub(r"\1\1", text)


def decode_published(text: str) -> str:
    """Training data as published: literal \\uXXXX escapes and HTML entities decoded."""
    return html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


def marked_tokens(text: str) -> list[tuple[str, bool]]:
    """The text's tokens, each with whether it lies in a negation's scope ("not [bad at all]")."""
    out: list[tuple[str, bool]] = []
    left = 0
    for piece in _PIECE.findall(normalise(text)):
        if piece in _CLAUSE_BREAKS:
            left = 0
            if piece in ".,;:":
                continue
            out.append((piece, False))
            continue
        out.append((piece, left > 0))
        left = NEGATION_SCOPE if _is_negator(piece) else max(left - 1, 0)
    return out


def grams(text: str) -> list[str]:
    """Every feature string of `text`, before hashing (duplicates kept)."""
    marked = marked_tokens(text)
    out = [("w:~" if negated else "w:") + t for t, negated in marked]
    out.extend("b:" + a + " " + b for (a, _), (b, _) in itertools.pairwise(marked))
    for t, negated in marked:
        out.extend(_char_grams(t, negated))
    return out


def _char_grams(token: str, negated: bool) -> list[str]:
    """One word's character 4-5-grams, padded with spaces, marked "~" in a negation's scope."""
    if len(token) < 2 or not token[0].isalnum():
        return []
    padded = " " + token + " "
    mark = "~" if negated else ""
    n = len(padded)
    return [mark + padded[start : start + size] for size in range(CHAR_MIN, CHAR_MAX + 1)
            for start in range(0, n - size + 1)]


def features(text: str, bits: int) -> list[int]:
    """The sorted, distinct hash buckets `text` hits (each has value 1/sqrt(len(result))): the buckets of
    every string `grams(text)` gives, with each word's own grams looked up in a bounded cache (words
    repeat across messages, and between a message and its sentences, which the engine reads too)."""
    mask = (1 << bits) - 1
    crc = zlib.crc32
    marked = marked_tokens(text)
    hit: set[int] = set()
    for token, negated in marked:
        hit.update(_token_buckets(token, negated, mask))
    hit.update(crc(("b:" + a + " " + b).encode("utf-8")) & mask for (a, _), (b, _) in itertools.pairwise(marked))
    return sorted(hit)


@lru_cache(maxsize=4096)  # at most about 2.9 MB (measured); hostile input only evicts
def _token_buckets(token: str, negated: bool, mask: int) -> tuple[int, ...]:
    """The buckets of one token's unigram and character grams (as `grams` spells them)."""
    crc = zlib.crc32
    unigram = ("w:~" if negated else "w:") + token
    return tuple(crc(g.encode("utf-8")) & mask for g in (unigram, *_char_grams(token, negated)))


# A sentence needs this many word tokens to be scored on its own ("Thanks!" and "Hi Sam," are not); at most this
# many are scored (a hostile email with thousands costs no more).
MIN_SENTENCE_TOKENS: Final = 3
MAX_SENTENCES: Final = 40
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The text's sentences (split after . ! ? and at line breaks), blank ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def scored_sentences(text: str) -> list[str]:
    """The sentences a model reads on their own besides the whole text: those of MIN_SENTENCE_TOKENS words or more,
    the first MAX_SENTENCES."""
    return [s for s in sentences(text) if len(tokens(s)) >= MIN_SENTENCE_TOKENS][:MAX_SENTENCES]


# Words too common to tell an owner anything on their own ("my", "the", "was"): `weighed_words` names none of them.
_FUNCTION_WORDS: Final = """
    a an the i me my mine myself you your yours yourself we us our ours he him his she her hers it its it's they them
    their theirs this that these those there here i'm i've i'd i'll you're you've you'd you'll we're we've we'd we'll
    they're they've they'd he's she's that's there's what's is are was were be been being am has have had do does did
    will would shall should can could may might must of to in on at for with from by about into onto as up out over
    than then so and or but if because while just also very really too some any all what which who whom whose when
    where how http
"""
FUNCTION_WORDS: Final = frozenset(_FUNCTION_WORDS.split())


def weighed_words(text: str, heads: Sequence[Head], bits: int, limit: int = 3) -> list[tuple[str, ...]]:
    """For each of `heads`, the words of `text` that raised its margin most (at most `limit`, in the order the text
    first has them), so a learned reason can name them: "most of all for "bleeding", "swollen" and "pushed"".

    A linear head's margin is a sum over the distinct buckets the text hits (`features`: a bucket counts once however
    often it is hit); each bucket's weight is shared among the words whose grams hit it (a word pair's between its two
    words), and a word's share is what it added. Only words that added something are named, and no function word
    (`FUNCTION_WORDS`), number or symbol: words as the model reads them (lower case, curly quotes straightened), never
    digits, so no order number, phone or card can be quoted. Distinct words and pairs only, so a hostile text that
    repeats itself costs no more than its vocabulary."""
    mask = (1 << bits) - 1
    marked = marked_tokens(text)
    owners: dict[int, set[str]] = {}
    for token, negated in dict.fromkeys(marked):
        for bucket in _token_buckets(token, negated, mask):
            owners.setdefault(bucket, set()).add(token)
    for (a, _), (b, _) in dict.fromkeys(itertools.pairwise(marked)):
        owners.setdefault(zlib.crc32(("b:" + a + " " + b).encode("utf-8")) & mask, set()).update((a, b))
    order = list(dict.fromkeys(token for token, _ in marked))
    nameable = {token for token in order if token not in FUNCTION_WORDS and not any(c.isdigit() for c in token)
                and sum(c.isalpha() for c in token) >= 2}
    found: list[tuple[str, ...]] = []
    for head in heads:
        added = dict.fromkeys(order, 0.0)
        weights = head.weights
        for bucket, words in owners.items():
            share = weights[bucket] / len(words)
            for word in words:
                added[word] += share
        best = {word: value for word, value in added.items() if word in nameable and value > 0}
        chosen = set(sorted(best, key=lambda w: (-best[w], w))[:limit])
        found.append(tuple(word for word in order if word in chosen))
    return found


class BucketMemo(dict[tuple[str, int], list[int]]):
    """`features` of the texts one message is read as (whole and sentences), computed once for every model that
    reads it (the sentiment model and the "needs a person" model share the features). One per message: it holds
    nothing after."""

    def of(self, text: str, bits: int) -> list[int]:
        found = self.get((text, bits))
        if found is None:
            found = self[(text, bits)] = features(text, bits)
        return found


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True)
class Head:
    weights: array[int]  # int8, 2**bits
    scale: float  # weight = int8 * scale
    bias: float
    platt_a: float  # calibrated probability = sigmoid(platt_a * margin + platt_b)
    platt_b: float

    def margin(self, buckets: list[int]) -> float:
        if not buckets:
            return self.bias
        w = self.weights
        total: int = sum(map(w.__getitem__, buckets))
        return self.bias + self.scale * total / math.sqrt(len(buckets))

    def probability(self, buckets: list[int]) -> float:
        return _sigmoid(self.platt_a * self.margin(buckets) + self.platt_b)


@dataclass(frozen=True)
class Model:
    version: str
    bits: int
    heads: dict[str, Head]
    header: dict[str, object]

    @property
    def threshold(self) -> float:
        """The calibrated threshold chosen by the trainer (MODEL_CARD.md)."""
        value = self.header.get("threshold")
        if not isinstance(value, int | float):
            raise ValueError("the model file names no threshold")
        return float(value)

    def buckets(self, text: str, memo: BucketMemo | None = None) -> list[int]:
        return memo.of(text, self.bits) if memo is not None else features(text, self.bits)

    def probabilities(self, text: str, memo: BucketMemo | None = None) -> tuple[float, float]:
        """(P(upset), P(pleased | not upset)) for one text."""
        buckets = self.buckets(text, memo)
        return self.heads["negative"].probability(buckets), self.heads["positive"].probability(buckets)

    def upset(self, text: str, memo: BucketMemo | None = None) -> float:
        """P(upset) alone (a message's sentences need no more)."""
        return self.heads["negative"].probability(self.buckets(text, memo))


def _order(header: dict[str, object]) -> tuple[str, ...]:
    """The heads a file holds, in order: its header's "order", else the sentiment model's `HEADS`."""
    order = header.get("order")
    return tuple(str(name) for name in order) if isinstance(order, list) else HEADS


def encode(header: dict[str, object], weights: dict[str, bytes]) -> bytes:
    """The weights file for `header` and one int8 byte string per head (in the header's order, else `HEADS`)."""
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    payload = zlib.compress(b"".join(weights[name] for name in _order(header)), 9)
    return MAGIC + struct.pack(">I", len(head)) + head + payload


def decode(data: bytes) -> Model:
    if not data.startswith(MAGIC):
        raise ValueError("not a Warmline sentiment model file")
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    header = json.loads(data[start : start + length].decode("utf-8"))
    raw = zlib.decompress(data[start + length :])
    bits = int(header["bits"])
    size = 1 << bits
    order = _order(header)
    if len(raw) != size * len(order):
        raise ValueError("the model file's weights do not match its header")
    heads: dict[str, Head] = {}
    for i, name in enumerate(order):
        weights: array[int] = array("b")
        weights.frombytes(raw[i * size : (i + 1) * size])
        h = header["heads"][name]
        heads[name] = Head(weights, float(h["scale"]), float(h["bias"]), float(h["platt_a"]), float(h["platt_b"]))
    return Model(str(header["version"]), bits, heads, header)


def weights_bytes(name: str = WEIGHTS_FILE) -> bytes:
    # Beside this module, read as a plain file: the app ships as files (Lambda unzips the package), and
    # importlib.resources would import zipfile on the cold-start path for nothing (40-60 ms measured).
    with open(os.path.join(os.path.dirname(__file__), name), "rb") as file:
        return file.read()


@cache
def load() -> Model:
    """The shipped model, read once per process."""
    return decode(weights_bytes())
