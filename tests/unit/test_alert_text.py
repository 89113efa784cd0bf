"""The owner's text message: short, with whole reasons where they fit."""

from __future__ import annotations

from chalicelib.messages import SHORT_REASONS, _short_reasons


def test_the_owners_text_message_keeps_whole_reasons_and_cuts_a_long_one_at_a_word() -> None:
    learned = ('reads like the emails that need you at once, most of all for "sleep", "bleeding" and "swollen" '
               "(learned from examples; needs a person 0.97, cannot wait 0.75)")
    assert len(learned) > SHORT_REASONS
    short = _short_reasons((learned, "asked for a refund"))
    # the words survive, the reason is not cut inside its "(learned from examples; ...)" at the "; "
    assert short.endswith("…") and '"bleeding" and "swollen"' in short and len(short) <= SHORT_REASONS
    assert learned.startswith(short[:-1]) and short[-2] != " "
    assert _short_reasons(("asked for a refund", learned)) == "asked for a refund; …"
    assert _short_reasons(("a", "b")) == "a; b"
    assert _short_reasons(()) == ""
