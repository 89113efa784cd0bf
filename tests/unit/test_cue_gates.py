"""The gate words (chalicelib/domain/cue_gates.py) never hide a match: proved from the patterns, and shown on messages.

`find_cues` searches a kind only when one of its gate words is in the message. That is sound only if every
alternative of the kind's pattern must match one of them; the parser of the standard library's `re` (not a
public API, used here and in bench/cue_gates.py only) reads each alternative to prove it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

import pytest

from chalicelib.domain import cues
from chalicelib.domain.cue_gates import GATES

REPO = Path(__file__).resolve().parents[2]
BENCH_DATA = REPO / "bench" / "data"
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))
from cue_gates import alternatives  # noqa: E402  (how bench/cue_gates.py splits a pattern; the proof is this file's)

_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


def _plain(items: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A group with no branch at its top and no flags, in place: "(?:ab)c" is the fixed run "abc"."""
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is C.SUBPATTERN and not av[1] and not av[2] and not any(o is C.BRANCH for o, _ in av[3]):
            out.extend(_plain(av[3]))
        else:
            out.append((op, av))
    return out


def covered(items: Iterable[tuple[Any, Any]], words: tuple[str, ...], before: str = "") -> bool:
    """Every match of `items` holds one of `words`: a fixed run it must match contains one, or a group it must match
    is covered in each of its branches (with the fixed run before it: the parser writes "late|lost" as
    "l(?:ate|ost)")."""
    run = before
    for op, av in [*_plain(items), (None, None)]:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if op in _ZERO_WIDTH:
            continue  # "a\\bb": the characters either side are still adjacent
        if any(word in run for word in words):
            return True
        if op is C.BRANCH and all(covered(branch, words, run) for branch in av[1]):
            return True
        run = ""
        if op is C.SUBPATTERN and not av[1] and not av[2] and covered(av[3], words):
            return True
        if op is C.ATOMIC_GROUP and covered(av, words):
            return True
        if op in _REPEATS and av[0] >= 1 and covered(av[2], words):
            return True
    return False


def test_the_proof_tells_covered_from_not_covered() -> None:
    def ok(pattern: str, words: tuple[str, ...]) -> bool:
        return covered(P.parse(pattern), words)

    assert ok(r"\b(?:late|lost)", ("late", "lost")) and not ok(r"\b(?:late|lost)", ("late",))
    assert ok(r"\b(?:late|lost)", ("lat", "los")) and not ok(r"\b(?:late|lost)", ("ate",))
    assert ok(r"(?:very|so) late", ("late",)) and not ok(r"(?:very|so) late", ("very",))
    assert ok(r"(?:very|so) late", ("very", "so")) and ok(r"[a-z]+ (?:late)r?", ("late",))
    assert ok(r"been (?:waiting)", ("n wait",)) and ok(r"(?:ab)+", ("ab",)) and not ok(r"(?:ab)?c", ("ab",))
    assert ok(r"\w+ly", ("ly",)) and not ok(r"\w+", ("ly",)) and not ok(r"late", ("later",))
    assert not ok(r"(?i:late)", ("late",))  # a flag could let "LATE" match: no proof


@pytest.mark.parametrize("kind", sorted(GATES))
def test_every_alternative_of_a_gated_kind_holds_one_of_its_gate_words(kind: str) -> None:
    pattern = next(row[4] for row in cues._CUE_TABLE if row[0] == kind)
    assert "|".join(alternatives(pattern)) == pattern
    for alternative in alternatives(pattern):
        assert covered(P.parse(r"\b(?:" + alternative + ")"), GATES[kind]), (
            f"the cue kind {kind!r} has an alternative that holds none of its gate words: {alternative[:100]!r}; "
            "run `make cue-gates` to write chalicelib/domain/cue_gates.py again")


def test_every_gated_kind_is_a_kind_of_the_table() -> None:
    assert set(GATES) <= {row[0] for row in cues._CUE_TABLE}


def test_one_pass_finds_every_gate_word_even_where_one_starts_another() -> None:
    """The pattern finds the longest word at each place; the kinds of the shorter words it starts with come too."""
    found = re.compile("(?=(" + cues._trie(["late", "later", "lost", "ate"]) + "))")
    assert [m.group(1) for m in found.finditer("a later lost")] == ["later", "ate", "lost"]
    _pattern, found_with, _always = cues._gate()
    assert {"late", "refund"} <= cues._kinds_to_search(cues.normalise("It arrived late, I want a refund."))
    for word, kinds in found_with.items():
        assert kinds == {kind for kind, words in GATES.items() if any(word.startswith(w) for w in words)}


def _messages() -> list[str]:
    out = []
    for name in ("blind_probes.jsonl", "customer_emails.jsonl", "customer_service.jsonl"):
        out += [json.loads(line)["text"] for line in (BENCH_DATA / name).read_text().splitlines() if line.strip()]
    return out


def test_the_gates_change_no_cue_on_nearly_two_thousand_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every message of the blind probes, the whole-email regression set and the team's illustration set gets the same
    cues, matched words included, with the gates and with every kind searched."""
    texts = _messages()
    assert len(texts) > 1900
    gated = [cues._find_cues(text) for text in texts]
    every_kind = frozenset(row[0] for row in cues._CUE_TABLE)
    monkeypatch.setattr(cues, "_kinds_to_search", lambda lowered: every_kind)
    assert [cues._find_cues(text) for text in texts] == gated
    assert sum(bool(found) for found in gated) > 900  # the messages do hold cues
