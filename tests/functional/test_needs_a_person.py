"""The learned "needs a person" reading through the service: an email whose danger no cue names in full reaches the
owner's phone at once, with the reason saying where that came from; a happy one stays quiet."""

from __future__ import annotations

from chalicelib.bootstrap import Services
from tests.conftest import Clock
from tests.functional.helpers import client_for, outbox, post_email, tick_at
from tests.functional.test_console import customer_email

WHEEZING = ("Quick one, my little girl has been chewing the wooden teether all morning and now her lips look swollen "
            "and she's wheezing a bit. What's the varnish made of?")


def test_a_child_wheezing_after_chewing_a_teether_texts_the_owner_at_once(services: Services, clock: Clock) -> None:
    with client_for(services) as client:
        post_email(client, customer_email("amy-1@mail.example", text=WHEEZING, sender="amy@example.com", name="Amy"))
        post_email(client, customer_email("ann-1@mail.example", sender="ann@example.com", name="Ann",
                                          text="The sourdough was wonderful, thank you so much for the lovely note "
                                               "in the box!"))
        tick_at(services, clock())
    (alert,) = services.extras["alerts"].entries()
    assert alert["level"] == "urgent" and alert["customer"] != "amy@example.com"
    # the reason names the words the model weighed most ("chewing", "wheezing"...), then where it came from
    at_once = "reads like the emails that need you at once, most of all for "
    (learned,) = [r for r in alert["reasons"] if r.startswith(at_once)]
    assert '"wheezing"' in learned and "(learned from examples; needs a person " in learned
    assert "wheezing" in alert["text"]  # the sentence behind it, quoted in the alert
    assert all(m["To"] != "ann@example.com" for m in outbox(services))  # no "sorry" to the happy customer


def test_the_text_on_the_owners_phone_names_the_words_when_the_model_alone_raised_it(services: Services,
                                                                                      clock: Clock) -> None:
    """No cue names the danger, so the learned reason is the only one: the text message keeps its words (a reason too
    long for the text is cut at a word, not at the "; " inside it)."""
    mouse = ("One of the glued-on eyes came off the toy mouse in my cat's mouth. She's been pawing at her face and "
             "drooling ever since.")
    with client_for(services) as client:
        post_email(client, customer_email("bea-1@mail.example", text=mouse, sender="bea@example.com", name="Bea"))
        tick_at(services, clock())
    (alert,) = services.extras["alerts"].entries()
    assert alert["level"] == "urgent"
    (learned,) = alert["reasons"]
    at_once = "reads like the emails that need you at once, most of all for "
    assert learned.startswith(at_once) and '"drooling"' in learned and len(learned) > 120
    why = alert["sms"].split("Why: ", 1)[1].rsplit(". http", 1)[0]
    assert why.endswith("…") and learned.startswith(why[:-1]) and '"drooling"' in why  # cut at a word
