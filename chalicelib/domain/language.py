"""Which language a message is written in, well enough to know whether the local model can read it.

Pure (no I/O): the local engine uses `detect`, escalation uses `reads` and `name` for its reason.

The local model was trained on English only. Rather than read German with English weights (and
give confident nonsense), the engine asks `detect` first. Deliberately small: writing systems
decide non-Latin scripts; for Latin-script text, common function words ("und", "le", "que", ...)
of the languages small shops most often hear from are counted against English ones. A text with
too little evidence counts as English (short messages, order numbers, emoji).
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
          "thank order but on at me we our they can would could will just what where when",
    "de": "und ist nicht ich sie die der das ein eine mit für auf bitte danke meine mein wir ihr noch "
          "wurde habe haben sind war auch aber oder wenn kann nur schon bestellung",
    "fr": "et est je vous le la les un une des pas pour avec mon ma mes que qui sur nous merci bonjour "
          "commande mais ou très été avez suis ce cette dans",
    "es": "y es el la los las un una que no por con mi mis para pero gracias hola pedido muy está estoy "
          "tengo del al se su como fue",
    "it": "e è il lo la gli le un una che non per con mio mia sono ho grazie ciao ordine ma molto del della "
          "questo questa stato",
    "nl": "en is het de een ik niet van voor met mijn wij jullie maar dank bedankt bestelling nog heb zijn "
          "was ook wel geen dat deze",
    "pt": "e é o os as um uma que não por com meu minha para mas obrigado obrigada olá pedido muito está "
          "estou tenho do da foi",
    "sv": "och är det att jag inte en ett med för min mitt tack beställning har var som på av men",
    "da": "og er det at jeg ikke en et med for min mit tak bestilling har var som på af men",
    "no": "og er det at jeg ikke en et med for min mitt takk bestilling har var som på av men",
    "pl": "i jest nie to się na że w z do mój moja dziękuję zamówienie ale jak był",
    "fi": "ja on ei se että minä minun kiitos tilaus mutta oli kun tai",
    "tr": "ve bir bu da de için ile değil çok teşekkür sipariş ama ben benim",
    "cs": "a je to že se na v s do můj moje děkuji objednávka ale jak byl není",
    "cy": "mae yw yn ydw dw dwi wedi ddim gyda diolch fy eich chi nhw ond oedd roedd ble pryd pam hefyd archeb "
          "iawn bod yr ac",
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


@cache
def _tables() -> tuple[dict[str, tuple[str, ...]], tuple[tuple[str, re.Pattern[str]], ...]]:
    """(function word -> the languages it belongs to, writing-system patterns)."""
    index: dict[str, tuple[str, ...]] = {}
    for lang, words in _STOPWORDS.items():
        for word in dict.fromkeys(words.split()):
            index[word] = (*index.get(word, ()), lang)
    return index, tuple((lang, re.compile(p)) for lang, p in _SCRIPTS)


def name(code: str) -> str:
    """"German" for "de"; the code itself when unknown."""
    return NAMES.get(code, NAMES.get(code.split("-")[0], code))


def detect(text: str) -> str:
    """An ISO 639-1 code; "en" unless another language is clearly more likely."""
    index, scripts = _tables()
    if text.isascii():
        if not _LETTER.search(text):
            return ENGLISH
    else:
        letters = sum(map(str.isalpha, text))
        if letters == 0:
            return ENGLISH
        for lang, pattern in scripts:
            if len(pattern.findall(text)) >= max(2, letters * 0.3):
                if lang == "ru" and re.search("[іїєґ]", text.lower()):
                    return "uk"
                return lang
    tokens = _WORD.findall(text.lower())
    if len(tokens) < 3:
        return ENGLISH
    counts = dict.fromkeys(_STOPWORDS, 0)
    for token in tokens:
        for lang in index.get(token, ()):
            counts[lang] += 1
    english = counts.pop(ENGLISH)
    best = max(counts, key=lambda k: counts[k])
    if counts[best] >= 2 and counts[best] >= 1.5 * english + 1 and counts[best] >= len(tokens) * 0.15:
        return best
    return ENGLISH


def reads(code: str | None) -> bool:
    """True when the local model can read text in `code` (English only)."""
    return not code or code.split("-")[0].lower() == ENGLISH
