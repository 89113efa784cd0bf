"""The local engine (trained model, sentence by sentence, English only) and its invariants."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.config.model import EscalationSettings
from chalicelib.domain import language
from chalicelib.domain.state import SentimentLabel
from chalicelib.engine import LocalSentimentAnalyzer
from chalicelib.engine.local import _label, sentences
from chalicelib.ports import SentimentAnalyzer

ENGINE = LocalSentimentAnalyzer()
THRESHOLD = EscalationSettings().threshold
SOURDOUGH = "The sourdough was wonderful, thank you so much for the lovely note in the box!"


@pytest.mark.parametrize(
    "text",
    [
        "I've emailed three times and no one answers. This is appalling.",
        "This is the third email I've sent about this. Nobody has replied and I still don't have my order.",
        "I'm so angry, the cake arrived squashed and nobody cares.",
        "Worst customer service ever, I am never ordering from you again",
    ],
)
def test_complaints_read_upset(text: str) -> None:
    reading = ENGINE.read(text)
    assert reading.label == "NEGATIVE"
    assert reading.negative >= THRESHOLD


@pytest.mark.parametrize(
    "text", [SOURDOUGH, "Thanks so much, the cake was perfect!", "Loved it 😍", "Great service as always 👍"]
)
def test_praise_reads_positive(text: str) -> None:
    reading = ENGINE.read(text)
    assert reading.label == "POSITIVE"
    assert reading.negative < THRESHOLD / 2


@pytest.mark.parametrize(
    "text",
    ["Not bad at all.", "No problem at all, thanks!", "I was not disappointed, it's lovely.",
     "Nothing wrong with it, it fits perfectly."],
)
def test_negated_complaint_words_are_not_upset(text: str) -> None:
    # Words in a negation's scope are features of their own: "not bad" is not "bad".
    assert ENGINE.read(text).negative < THRESHOLD / 2


@pytest.mark.parametrize(
    ("negative", "positive", "neutral", "label"),
    [
        (0.48, 0.42, 0.10, "NEUTRAL"),  # just under the threshold, pleased second: not a happy message
        (0.30, 0.25, 0.45, "NEUTRAL"),
        (0.12, 0.45, 0.43, "NEUTRAL"),  # pleased the likeliest by a hair ("a full refund, please"): not happy
        (0.20, 0.50, 0.30, "POSITIVE"),  # more likely pleased than not
        (0.01, 0.97, 0.02, "POSITIVE"),
        (0.50, 0.45, 0.05, "NEGATIVE"),  # from the threshold on, whatever else
        (0.50, 0.50, 0.00, "NEGATIVE"),
    ],
)
def test_label_rule(negative: float, positive: float, neutral: float, label: str) -> None:
    """NEGATIVE from the threshold on; POSITIVE when more likely pleased than not (the week page counts it
    happy, escalation asks the same 0.5); otherwise NEUTRAL."""
    scores: dict[SentimentLabel, float] = {"NEGATIVE": negative, "POSITIVE": positive, "NEUTRAL": neutral, "MIXED": 0.0}
    assert _label(scores, 0.5) == label


def test_a_polite_refund_demand_is_not_a_happy_message() -> None:
    # "please" makes pleased the likeliest of the three readings by a hair: the week page must not count it happy
    reading = ENGINE.read("I want a full refund for order 1043, please.")
    assert reading.label == "NEUTRAL" and reading.positive < 0.5
    assert ENGINE.read("The sourdough was wonderful, thank you so much!").label == "POSITIVE"


def test_a_gloomy_sentence_below_the_threshold_does_not_lift_a_happy_message() -> None:
    gloomy = "The colour is a little darker than it looked on the website."
    text = gloomy + " I still love it and it fits perfectly, thank you so much!"
    alone, reading = ENGINE.read(gloomy), ENGINE.read(text)
    assert THRESHOLD / 2 < alone.negative < THRESHOLD  # the premise: a little disappointed, not upset
    assert reading.negative < alone.negative and reading.label == "POSITIVE"
    assert reading.focus == gloomy  # still the sentence an alert would quote, were there one


def test_one_angry_sentence_in_a_long_polite_email_raises_it_and_is_the_focus() -> None:
    angry = "Frankly I am so angry that nobody answered my first email about the cracked jars."
    polite = ("Hi Sam, I hope you're well. I've been a customer for years and I love your candles. "
              "The lavender one is a favourite in our house and I often recommend you to friends. ")
    email = polite + angry + " Kind regards, Jo"
    whole = ENGINE.read(email.replace(". ", ", "))  # one long sentence: no sentence to single out
    reading = ENGINE.read(email)
    assert ENGINE.read(angry).negative >= THRESHOLD  # the premise: this sentence alone reads upset
    assert reading.negative >= THRESHOLD > whole.negative
    assert reading.focus == angry


def test_sentences() -> None:
    expected = ["Hi Sam,", "Where is it?", "It's late!", "Thanks."]
    assert sentences("Hi Sam,\nWhere is it? It's late!  Thanks.") == expected
    assert sentences("   ") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hallo, meine Bestellung ist immer noch nicht angekommen und ich bin sehr enttäuscht.", "de"),
        ("Bonjour, je n'ai toujours pas reçu ma commande et personne ne répond.", "fr"),
        ("Hola, el pedido no ha llegado y estoy muy molesto con el servicio.", "es"),
        ("Buongiorno, il mio ordine non è ancora arrivato e sono molto deluso.", "it"),
        ("Hallo, mijn bestelling is nog steeds niet aangekomen en ik heb geen antwoord gekregen.", "nl"),
        ("注文した商品がまだ届いていません。", "ja"),
        ("Где мой заказ? Уже три недели жду.", "ru"),
        ("Ble mae fy archeb? Dw i wedi bod yn aros am bythefnos.", "cy"),  # Welsh, which UK shops hear
        # words English shares ("a", "no", "de") are no one's evidence; the rest, and the letters, are
        ("Paguei há um mês e nunca recebi nada. Já escrevi duas vezes sem resposta.", "pt"),
        ("Jestem bardzo niezadowolona. Maszyna przyszła uszkodzona i nikt nie odpowiada.", "pl"),
        ("Wiem, gdzie mieszkacie. Zapłacicie za to.", "pl"),
        ("Es la tercera vez que escribo y nadie me responde. Pagué y no he recibido nada.", "es"),
        ("Diolch yn fawr am y gacen, mae'n hyfryd! Bydda i'n archebu eto cyn bo hir.", "cy"),
        ("Hoi! Pakketje is goed aangekomen, dank jullie wel! Groetjes", "nl"),
    ],
)
def test_other_languages_are_not_read_with_english_weights(text: str, code: str) -> None:
    assert language.detect(text) == code
    reading = ENGINE.read(text)
    assert (reading.language, reading.label, reading.negative) == (code, "NEUTRAL", 0.0)


@pytest.mark.parametrize(
    "text",
    [SOURDOUGH, "ok", "Where is my order #1042?", "I ordered the Bratwurst and a Brezel, danke!",
     "The package from Bestellung GmbH arrived.", "😡😡😡", "",
     "We live in Llanfair, the bara brith arrived safely, diolch!",
     # words other languages share with English, a name, links and curly apostrophes
     "Three weeks. No parcel. No reply. No refund. Done.", "do u do gift vouchers", "Do you do a subscription?",
     "Book arrived with a bent cover. It's a gift so I'd quite like a replacement.",
     "Where is my parcel? It was due on Monday. Małgorzata Wiśniewska",
     "Chelsea v United, it\u2019s Super Sunday! Tesla\u2019s Model S", "so good https://t.co/56RSYzQg9W @do_zwcoz_w",
     "The crème brûlée and the jalapeño bread were gorgeous, Zoë loved the café au lait blend"],
)
def test_english_and_unclear_texts_stay_english(text: str) -> None:
    assert language.detect(text) == "en"


_FUNCTION_WORDS = sorted({w for words in language._STOPWORDS.values() for w in words.split()})


@given(st.lists(st.sampled_from([*_FUNCTION_WORDS, "parcel", "Sourdough", "123", "zażółć", "łódź", "straße"]),
                max_size=14))
@settings(max_examples=400, deadline=None)
def test_detector_counts_each_languages_function_words(words: list[str]) -> None:
    """The detector counts evidence through one word -> languages index; it must decide as counting each
    language's own list would: a word on English's list and another's is evidence for neither, a word on no list
    counts for the languages whose letters it has (ties go to the first language listed)."""
    text = " ".join(words)
    tokens = language._WORD.findall(text.lower())
    tables = {lang: set(table.split()) for lang, table in language._STOPWORDS.items()}
    expected = "en"
    if len(tokens) >= 3:
        counts = dict.fromkeys(tables, 0)
        for token in tokens:
            listed = [lang for lang, table in tables.items() if token in table]
            if not listed:
                listed = [lang for lang, chars in language._LETTERS.items() if set(token) & set(chars)]
            if "en" in listed and len(listed) > 1:
                continue
            for lang in listed:
                counts[lang] += 1
        english = counts.pop("en")
        best = max(counts, key=lambda k: counts[k])
        if counts[best] >= 2 and counts[best] >= 1.5 * english + 1 and counts[best] >= len(tokens) * 0.15:
            expected = best
    assert language.detect(text) == expected


def test_configured_language_is_trusted() -> None:
    assert ENGINE.read("I want a refund, the mug is broken", language="fr").label == "NEUTRAL"
    reading = ENGINE.read("I want a refund, the mug is broken", language="en")
    assert reading.engine == "local" and reading.language == "en" and not reading.degraded
    assert reading.negative > 0
    assert language.name("de") == "German" and language.name("zh-TW") == "Chinese" and language.name("xx") == "xx"


def test_read_many_keeps_order_and_matches_read() -> None:
    texts = ["Thanks!", "Where is my order?", ""]
    assert ENGINE.read_many(texts) == [ENGINE.read(t) for t in texts]


def test_implements_the_port() -> None:
    assert isinstance(ENGINE, SentimentAnalyzer)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_scores_are_probabilities(text: str) -> None:
    reading = ENGINE.read(text)
    scores = reading.scores.values()
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert abs(sum(scores) - 1.0) < 0.001
    assert reading.label in {"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"}


def test_import_reads_no_files() -> None:
    code = (
        "import chalicelib.engine.local, chalicelib.engine.model as m, chalicelib.domain.cues as c;"
        "assert m.load.cache_info().currsize == 0;"
        "assert c._compiled.cache_info().currsize == 0;"
        # a cold start that only needs the engine (Comprehend's fallback) does not pay for the scoring CLI
        "import sys; assert not {'chalicelib.engine.score', 'chalicelib.config.model'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
