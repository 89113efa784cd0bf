"""Write chalicelib/domain/cue_gates.py: for each cue kind, words one of which every match of its pattern holds.

`find_cues` looks for all the gate words of all kinds in one pass over a message and searches only the kinds
whose words are there: most kinds' patterns (hundreds of alternatives each) are never run on most messages.
Which words are chosen changes only the speed, never a match: each alternative of a kind's pattern is read
with the standard library's regular-expression parser, and every literal stretch it must match (a run of
fixed characters, or one of the fixed runs of each branch of a group it must match) is a candidate; the
rarest candidate in the public training messages (../shared/data/sentiment-train/, train split only) is
kept. A kind with an alternative that has no such stretch gets no gate (it is always searched).

tests/unit/test_cue_gates.py proves from the patterns themselves that every alternative of every gated kind
is covered, so a pattern edited without running this again fails the tests with a sentence saying so.

Run: `make cue-gates` (about 10 s). The parser module (`re._parser`) is the standard library's own but
not a public API: it is used here and in that test only, never when Warmline runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sentiment_data import load_all, require_data  # noqa: E402

from chalicelib.domain import cues  # noqa: E402

OUT = REPO / "chalicelib" / "domain" / "cue_gates.py"
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}  # consume nothing: the characters either side are adjacent
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}

Item = tuple[Any, Any]


def _flatten(items: Iterable[Item], out: list[Item]) -> list[Item]:
    """A group with no branch at its top and no flags is its items in place: "(?:ab)c" is the run "abc"."""
    for op, av in items:
        if op is C.SUBPATTERN and not av[1] and not av[2] and not any(o is C.BRANCH for o, _ in av[3]):
            _flatten(av[3], out)
        else:
            out.append((op, av))
    return out


def alternatives(pattern: str) -> list[str]:
    """The pattern's top-level alternatives, as written: each is read alone, so the parser's merging of their shared
    beginnings ("late|lost" is "l(?:ate|ost)") does not hide a word."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]" or pattern[i - 1] == "["
        elif char == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def required(items: Iterable[Item], cost: Any, before: str = "") -> frozenset[str] | None:
    """The cheapest set of fixed strings one of which every match of `items` holds, or None when there is none;
    `before`: fixed characters every match has just before (the shared beginning the parser took out of a group)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = list(before)
    for op, av in [*_flatten(items, []), (None, None)]:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if op in _ZERO_WIDTH:
            continue
        fixed, run = "".join(run), []
        if fixed:
            candidates.append(frozenset({fixed}))
        inner: list[frozenset[str] | None] = []
        if op is C.BRANCH:
            inner = [required(branch, cost, fixed) for branch in av[1]]
        elif op is C.SUBPATTERN and not av[1] and not av[2]:
            inner = [required(av[3], cost)]
        elif op is C.ATOMIC_GROUP:
            inner = [required(av, cost)]
        elif op in _REPEATS and av[0] >= 1:
            inner = [required(av[2], cost)]
        if inner and all(s is not None for s in inner):
            candidates.append(frozenset().union(*(s for s in inner if s is not None)))
    return min(candidates, key=lambda s: (cost(s), sorted(s))) if candidates else None


def gates(table: Sequence[tuple[str, str, float, str | None, str]], corpus: str) -> dict[str, tuple[str, ...]]:
    @cache
    def count(word: str) -> int:
        return corpus.count(word) + 1

    def cost(words: frozenset[str]) -> int:
        return sum(count(word) for word in words)

    out: dict[str, tuple[str, ...]] = {}
    for kind, _reason, _weight, _guard, pattern in table:
        each = [required(P.parse(r"\b(?:" + alternative + ")"), cost) for alternative in alternatives(pattern)]
        if all(words is not None for words in each):
            words = frozenset().union(*(words for words in each if words is not None))
            # "arrived late" says no more than "arrived" does
            out[kind] = tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))
    return out


def render(found: dict[str, tuple[str, ...]]) -> str:
    lines = ['"""Words that gate each cue kind\'s search.',
             "",
             "Written by `make cue-gates` (bench/cue_gates.py); do not edit. Every match of a kind's pattern holds one",
             "of its words (tests/unit/test_cue_gates.py proves it from the patterns), so a message holding none of",
             "them is not searched for that kind. Which words were chosen (the rarest in the public training messages)",
             'changes the speed only, never a match."""',
             "",
             "from typing import Final",
             "",
             "GATES: Final[dict[str, tuple[str, ...]]] = {"]
    for kind, words in found.items():
        line = f"    {kind!r}: ("
        for word in words:
            piece = repr(word) + ", "
            if len(line) + len(piece) > 118:
                lines.append(line.rstrip())
                line = "        "
            line += piece
        lines.append(line.rstrip().rstrip(",") + ("," if len(words) == 1 else "") + "),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    require_data()
    corpus = "\x00".join(cues.normalise(row.text) for row in load_all() if row.split == "train")
    found = gates(cues._CUE_TABLE, corpus)
    OUT.write_text(render(found), encoding="utf-8")
    ungated = [row[0] for row in cues._CUE_TABLE if row[0] not in found]
    print(f"wrote {OUT.relative_to(REPO)}: {sum(map(len, found.values()))} words for {len(found)} kinds"
          + (f"; always searched (an alternative has no fixed words): {', '.join(ungated)}" if ungated else ""))


if __name__ == "__main__":
    main()
