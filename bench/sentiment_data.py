"""The public labelled sets in ../shared/data/sentiment-train/, read into one shape, with fixed splits.

Used by `bench/train_sentiment.py` (train + validation splits only) and `bench/eval_sentiment.py`
(test splits). Every row becomes an `Example`:
- `negative`: 1 when the writer is upset (label mapping below), else 0;
- `positive`: for rows that are not negative, 1 when the writer is pleased, 0 when neutral, None
  when the set cannot tell (complaints: "not a complaint" is not "pleased");
- `polarity`: "negative", "positive" (clearly positive: only positive labels), "neutral" (no
  feeling labelled) or "other"; used for the false-alarm rates;
- `split`: "train", "val" or "test".

Label mapping (negative = upset):
- TweetEval sentiment / SemEval 2013-2016 tweets: `negative`; positive = `positive`, else neutral.
- TweetEval emotion: anger or sadness; joy and optimism are positive.
- GoEmotions: any of anger, annoyance, disappointment, disapproval, disgust, sadness, grief (remorse and
  embarrassment are mostly the writer apologising: not counted); positive = any of admiration,
  amusement, approval, caring, desire, excitement, gratitude, joy, love, optimism, pride, relief with no
  negative label; neutral = only the `neutral` label. Fear and nervousness: in the **test** split they
  count as upset too, as in SOURCE.md's suggested mapping and every earlier evaluation, so the figures
  stay comparable; in train and validation a writer who is only afraid or nervous is not upset (since
  model 2026.12-2): upset means displeased, and with fear counted as upset, worried words in hopeful
  or reassured messages ("don't let fear stop you", "I was worried it wouldn't come... it's perfect")
  made them read as upset.
- Complaints to company accounts: complaint = 1.
- SemEval-2014 ABSA: any aspect term or category negative or conflict; positive = some aspect positive
  and none negative/conflict; neutral = no aspect, or only neutral aspects.
- Hu & Liu reviews: any `[-n]` tag; positive = only `[+n]` tags; neutral = untagged.

Splits:
- TweetEval sentiment: val -> val, test -> test; training tweets are the SemEval 2013-2016 pool with
  every TweetEval val and test tweet removed (matched on normalised text).
- TweetEval emotion and GoEmotions: their own train / val (dev) / test files.
- SemEval-2014 ABSA: the Test_Gold files are test; the train files give val by hash (10%).
- Complaints and Hu & Liu (no published split): by hash of the row's id/text, 70% train,
  15% val, 15% test.
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chalicelib.engine.model import decode_published

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "sentiment-train"

_GO_NEG = {"anger", "annoyance", "disappointment", "disapproval", "disgust", "sadness", "grief", "fear",
           "nervousness"}
_GO_WORRY = {"fear", "nervousness"}  # upset in the test split only (see the label mapping above)
_GO_POS = {"admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy", "love",
           "optimism", "pride", "relief"}


@dataclass(frozen=True)
class Example:
    text: str
    negative: int
    positive: int | None
    polarity: str
    source: str
    split: str


def require_data() -> Path:
    if not DATA.is_dir():
        raise SystemExit(f"The training data is missing: expected {DATA} beside this checkout.")
    return DATA


def _bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100


def _three_way(key: str) -> str:
    b = _bucket(key)
    return "train" if b < 70 else "val" if b < 85 else "test"


def _key(text: str) -> str:
    text = re.sub(r"@\w+|https?://\S+", " ", text.lower())
    return " ".join(text.split())


def _tweet(text: str, label: str, source: str, split: str) -> Example:
    neg = int(label == "negative")
    pos = None if neg else int(label == "positive")
    polarity = label if label in ("negative", "positive", "neutral") else "other"
    return Example(text, neg, pos, polarity, source, split)


def tweets() -> Iterator[Example]:
    base = DATA / "tweeteval_sentiment"
    names = ["negative", "neutral", "positive"]
    held: set[str] = set()
    for split, part in (("val", "val"), ("test", "test")):
        texts = (base / f"{part}_text.txt").read_text(encoding="utf-8").split("\n")
        labels = (base / f"{part}_labels.txt").read_text(encoding="utf-8").split()
        for text, label in zip(texts, labels, strict=False):
            text = decode_published(text)
            held.add(_key(text))
            yield _tweet(text, names[int(label)], "tweeteval_sentiment", split)
    seen: set[str] = set()
    for path in sorted((DATA / "semeval2017_task4a_english").glob("twitter-*-A.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            text = decode_published(parts[2])
            key = _key(text)
            if key in held or key in seen:
                continue
            seen.add(key)
            yield _tweet(text, parts[1].strip(), "tweeteval_sentiment", "train")


def emotion() -> Iterator[Example]:
    base = DATA / "tweeteval_emotion"
    for split, part in (("train", "train"), ("val", "val"), ("test", "test")):
        texts = (base / f"{part}_text.txt").read_text(encoding="utf-8").split("\n")
        labels = (base / f"{part}_labels.txt").read_text(encoding="utf-8").split()
        for text, label in zip(texts, labels, strict=False):
            neg = int(label in ("0", "3"))
            yield Example(decode_published(text), neg, None if neg else 1, "negative" if neg else "positive",
                          "tweeteval_emotion", split)


def goemotions() -> Iterator[Example]:
    base = DATA / "goemotions"
    names = (base / "emotions.txt").read_text(encoding="utf-8").split()
    for split, part in (("train", "train"), ("val", "dev"), ("test", "test")):
        for line in (base / f"{part}.tsv").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            emotions = {names[int(i)] for i in parts[1].split(",") if i}
            neg = int(bool(emotions & (_GO_NEG if split == "test" else _GO_NEG - _GO_WORRY)))
            if neg:
                polarity, pos = "negative", None
            elif emotions & _GO_POS:
                polarity, pos = "positive", 1
            elif emotions == {"neutral"}:
                polarity, pos = "neutral", 0
            else:
                polarity, pos = "other", 0
            yield Example(parts[0], neg, pos, polarity, "goemotions", split)


def complaints() -> Iterator[Example]:
    path = DATA / "complaints_social_media" / "complaints-data.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 3 or row[2] not in ("0", "1"):
                continue
            neg = int(row[2])
            yield Example(row[1], neg, None, "negative" if neg else "other", "complaints", _three_way(row[0]))


def absa() -> Iterator[Example]:
    base = DATA / "semeval2014_absa"
    for name, split in (("Restaurants_Train_v2.xml", "train"), ("Laptop_Train_v2.xml", "train"),
                        ("Restaurants_Test_Gold.xml", "test"), ("Laptops_Test_Gold.xml", "test")):
        for sentence in ET.parse(base / name).getroot().iter("sentence"):
            text = sentence.findtext("text") or ""
            polarities = {a.get("polarity") for a in sentence.iter() if a.tag in ("aspectTerm", "aspectCategory")}
            neg = int(bool(polarities & {"negative", "conflict"}))
            if neg:
                polarity, pos = "negative", None
            elif "positive" in polarities:
                polarity, pos = "positive", 1
            else:
                polarity, pos = "neutral", 0
            row_split = split
            if split == "train" and _bucket(name + (sentence.get("id") or text)) < 10:
                row_split = "val"
            yield Example(text, neg, pos, polarity, "semeval2014_absa", row_split)


_TAG = re.compile(r"\[([+-])\d\]")


def hu_liu() -> Iterator[Example]:
    base = DATA / "hu_liu_customer_reviews"
    for path in sorted(base.glob("*.txt")):
        if path.name == "Readme.txt":
            continue
        for number, line in enumerate(path.read_text(encoding="latin-1").splitlines()):
            if line.startswith("*") or "##" not in line or line.startswith("[t]"):
                continue
            tags, text = line.split("##", 1)
            text = text.strip()
            if not text:
                continue
            signs = set(_TAG.findall(tags))
            neg = int("-" in signs)
            if neg:
                polarity, pos = "negative", None
            elif "+" in signs:
                polarity, pos = "positive", 1
            else:
                polarity, pos = "neutral", 0
            yield Example(text, neg, pos, polarity, "hu_liu_reviews", _three_way(f"{path.name}:{number}"))


SOURCES = {
    "tweeteval_sentiment": tweets,
    "tweeteval_emotion": emotion,
    "goemotions": goemotions,
    "complaints": complaints,
    "semeval2014_absa": absa,
    "hu_liu_reviews": hu_liu,
}


def load_all() -> list[Example]:
    require_data()
    out: list[Example] = []
    for reader in SOURCES.values():
        out.extend(e for e in reader() if e.text.strip())
    return out
