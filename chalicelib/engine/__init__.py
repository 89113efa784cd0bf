"""Sentiment engines behind the `SentimentAnalyzer` port, and `warmline score`.

Nothing is imported until it is asked for: `chalicelib.engine.local` (the model and its reader) must not
pull in the scoring CLI's escalation and config modules on a cold start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .local import LocalSentimentAnalyzer
    from .score import score_lines

__all__ = ["LocalSentimentAnalyzer", "score_lines"]
_WHERE = {"LocalSentimentAnalyzer": ".local", "score_lines": ".score"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
