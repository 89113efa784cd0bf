"""Sentiment engines behind the `SentimentAnalyzer` port, and `warmline score`."""

from .local import LocalSentimentAnalyzer
from .score import score_lines

__all__ = ["LocalSentimentAnalyzer", "score_lines"]
