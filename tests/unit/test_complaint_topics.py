"""What a complaint is about, for the complaint-surge alert: each topic from the words customers use."""

from __future__ import annotations

import pytest

from chalicelib.flows.complaint_surge import TOPICS, topics_of


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Where is my order? It's been two weeks.", ("late",)),
        ("The parcel was thrown over my fence and landed in a puddle.", ("delivery",)),
        ("I can't check out, the page keeps crashing.", ("website",)),
        ("The mug arrived cracked.", ("damaged",)),
        ("I was charged twice.", ("payment",)),
        ("We were all sick the next morning after the quiche.", ("safety",)),
        ("The bread was stale.", ("damaged", "quality")),
        ("The vegetarian pie had chicken in it!", ("ingredients",)),
        ("I never placed this order, who is this?", ("not_placed",)),
        ("Thank you, it was lovely!", ()),
    ],
)
def test_topics_of(text: str, topics: tuple[str, ...]) -> None:
    assert topics_of(text) == topics
    assert all(t in TOPICS for t in topics)  # every topic has the words the owner reads
