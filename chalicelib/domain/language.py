"""Which language a message is written in, well enough to know whether the local model can read it.

Pure (no I/O): the local engine uses `detect`, escalation uses `reads` and `name` for its reason.

The local model was trained on English only. Rather than read German with English weights (and
give confident nonsense), the engine asks `detect` first. Deliberately small: writing systems
decide non-Latin scripts; for Latin-script text, common function words ("und", "le", "que", ...)
of the languages small shops most often hear from are counted against English ones, a word on no
list counts for the languages whose letters it is written with ("przyszła", "cartão"), and a word
English shares with another language ("no", "a", "do") counts for neither. A text with too little
evidence counts as English (short messages, order numbers, emoji). Links, addresses and handles are
set aside first. On the 8,640 blind-probe emails (bench/data/blind_probes.jsonl) it reads 482 of the
484 written in another language as not English and none of the 8,156 English ones as foreign
(before December 2026's lists: 449 and 10; langdetect 1.0.9, for comparison: 483 and 75, at 300
messages a second against about 27,000).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

ENGLISH: Final = "en"

NAMES: Final[dict[str, str]] = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch",
    "pt": "Portuguese", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "pl": "Polish", "fi": "Finnish",
    "tr": "Turkish", "cs": "Czech", "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "he": "Hebrew",
    "ar": "Arabic", "hi": "Hindi", "th": "Thai", "ja": "Japanese", "ko": "Korean", "zh": "Chinese",
    "zh-TW": "Chinese", "cy": "Welsh",
}

_STOPWORDS: Final[dict[str, str]] = {
    "en": "the and is are was were you your my i it this that to of in for with not have has be please thanks "
          "thank order but on at me we our they can would could will just what where when a an do did does no so "
          "if as or all up u get got been had from there their who how why which some any still about one "
          "dont don't can't im i'm i've it's he she his her them us am",
    "de": "und ist nicht ich sie die der das ein eine mit für auf bitte danke meine mein wir ihr noch "
          "wurde habe haben sind war auch aber oder wenn kann nur schon bestellung zu den dem des im es mich mir "
          "hallo sehr nach von vom bei leider immer keine kein wie warum ihre ihnen",
    "fr": "et est je vous le la les un une des pas pour avec mon ma mes que qui sur nous merci bonjour "
          "commande mais ou très été avez suis ce cette dans de du au aux en ne il elle on votre vos sans "
          "j'ai n'ai c'est toujours reçu",
    "es": "y es el la los las un una que no por con mi mis para pero gracias hola pedido muy está estoy "
          "tengo del al se su como fue de en lo le ya hace también cuando desde hasta sin este esta han he",
    "it": "e è il lo la gli le un una che non per con mio mia sono ho grazie ciao ordine ma molto del della "
          "questo questa stato di mi anche già ancora buongiorno vorrei sapere se nel nella alla sei",
    "nl": "en is het de een ik niet van voor met mijn wij jullie maar dank bedankt bestelling nog heb zijn "
          "was ook wel geen dat deze je u we er al naar bij dit hallo goedemiddag graag",
    "pt": "e é o os as um uma que não por com meu minha para mas obrigado obrigada olá pedido muito está "
          "estou tenho do da foi de no na em se ao há já ainda nada sem vou são também encomenda boa",
    "sv": "och är det att jag inte en ett med för min mitt tack beställning har var som på av men",
    "da": "og er det at jeg ikke en et med for min mit tak bestilling har var som på af men",
    "no": "og er det at jeg ikke en et med for min mitt takk bestilling har var som på av men",
    "pl": "i jest nie to się na że w z do mój moja dziękuję zamówienie ale jak był czy za po od co już "
          "jeszcze bardzo dzień dobry pozdrawiam proszę mi mnie państwo tylko są jestem była było przez "
          "przy oraz też tak który która które",
    "fi": "ja on ei se että minä minun kiitos tilaus mutta oli kun tai hei olen",
    "tr": "ve bir bu da de için ile değil çok teşekkür sipariş ama ben benim",
    "cs": "a je to že se na do můj moje děkuji objednávka ale jak byl není dobrý den jsem jsme mi "
          "mě už ještě prosím velmi",
    "cy": "mae yw yn ydw dw dwi wedi ddim gyda diolch fy eich chi nhw ond oedd roedd ble pryd pam hefyd archeb "
          "iawn bod yr ac y i o ar am gan ei eu ein oes dim neu os pan beth sut pwy fe fo ni rydw bydd hwn hon "
          "yma yna dyma dyna cyn eto helo hwyl cofion gwelwch dda fawr",
}
# Letters that are evidence of a language a word is written in (not é, which English writes in café).
_LETTERS: Final[dict[str, str]] = {
    "pl": "ąęłńśźżć", "pt": "ãõ", "es": "ñ", "de": "ßäöü", "fr": "àâçèêëîïôùûœ", "it": "àèìòù",
    "cs": "řůěťďňčšžý", "cy": "âêîôûŵŷ", "sv": "åäö", "da": "åæø", "no": "åæø", "tr": "ğşıçöü", "fi": "äö",
    "nl": "ëï",
}
_SCRIPTS: Final[tuple[tuple[str, str], ...]] = (
    ("ja", "[\u3040-\u30ff]"),
    ("ko", "[\uac00-\ud7af\u1100-\u11ff]"),
    ("zh", "[\u4e00-\u9fff]"),
    ("ru", "[\u0400-\u04ff]"),
    ("el", "[\u0370-\u03ff]"),
    ("he", "[\u0590-\u05ff]"),
    ("ar", "[\u0600-\u06ff]"),
    ("hi", "[\u0900-\u097f]"),
    ("th", "[\u0e00-\u0e7f]"),
)
_WORD: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


_LETTER: Final = re.compile(r"[A-Za-z]")
# Addresses, links and handles are no language's words ("https://t.co/56RSYzQg9W" is not Polish).
_NOT_WORDS: Final = re.compile(r"\S*(?:://|www\.|@)\S*")


@cache
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], tuple[tuple[str, re.Pattern[str]], ...]]:
    """(function word -> the languages it belongs to, letter -> the languages that write it, writing-system
    patterns). A word English shares ("no", "a", "do", "die" is not one) is evidence for no language: "No reply.
    No refund." is not Spanish, "a gift" not Czech."""
    index: dict[str, tuple[str, ...]] = {}
    for lang, words in _STOPWORDS.items():
        for word in dict.fromkeys(words.split()):
            index[word] = (*index.get(word, ()), lang)
    index = {word: () if ENGLISH in langs and len(langs) > 1 else langs for word, langs in index.items()}
    letters: dict[str, tuple[str, ...]] = {}
    for lang, chars in _LETTERS.items():
        for char in chars:
            letters[char] = (*letters.get(char, ()), lang)
    return index, letters, tuple((lang, re.compile(p)) for lang, p in _SCRIPTS)


def name(code: str) -> str:
    """"German" for "de"; the code itself when unknown."""
    return NAMES.get(code, NAMES.get(code.split("-")[0], code))


def _languages_of(token: str, index: dict[str, tuple[str, ...]], letters: dict[str, tuple[str, ...]]
                  ) -> tuple[str, ...]:
    """The languages one word is evidence for: its function-word lists (or those of the part before an apostrophe:
    Welsh "mae'n", English "it's"), else the languages whose letters it is written with."""
    found = index.get(token)
    if found is None and "'" in token:
        found = index.get(token.split("'", 1)[0])
    if found is not None:
        return found
    if token.isascii():
        return ()
    langs: tuple[str, ...] = ()
    for char in token:
        for lang in letters.get(char, ()):
            if lang not in langs:
                langs = (*langs, lang)
    return langs


def detect(text: str) -> str:
    """An ISO 639-1 code; "en" unless another language is clearly more likely."""
    index, letters, scripts = _tables()
    if text.isascii():
        if not _LETTER.search(text):
            return ENGLISH
    else:
        count = sum(map(str.isalpha, text))
        if count == 0:
            return ENGLISH
        for lang, pattern in scripts:
            if len(pattern.findall(text)) >= max(2, count * 0.3):
                if lang == "ru" and re.search("[іїєґ]", text.lower()):
                    return "uk"
                return lang
    lowered = _NOT_WORDS.sub(" ", text.lower().replace("\u2019", "'"))
    tokens = _WORD.findall(lowered)
    if len(tokens) < 3:
        return ENGLISH
    counts = dict.fromkeys(_STOPWORDS, 0)
    for token in tokens:
        for lang in _languages_of(token, index, letters):
            counts[lang] += 1
    counts["es"] += lowered.count("¿") + lowered.count("¡")
    english = counts.pop(ENGLISH)
    best = max(counts, key=lambda k: counts[k])
    if counts[best] >= 2 and counts[best] >= 1.5 * english + 1 and counts[best] >= len(tokens) * 0.15:
        return best
    return ENGLISH


def reads(code: str | None) -> bool:
    """True when the local model can read text in `code` (English only)."""
    return not code or code.split("-")[0].lower() == ENGLISH
