"""Billed Amazon Comprehend units per inbound email: the whole body vs the stripped new text.

Comprehend bills 1 unit per 100 characters, at least 3 units, per document and request, and
each message costs two requests when the language is not fixed in the config
(DetectDominantLanguage, then DetectSentiment). Each document is first cut to 5,000 UTF-8
bytes, as the adapter does.

Inputs: every email in ../shared/fixtures/email/ (raw .eml, SES receipt notifications, SNS
envelopes around them, Postmark inbound payloads). Notifications without content (an S3 action)
are listed and skipped. The shared fixtures are test messages with little quoted history, so a
second, clearly labelled table uses a few replies written by the Warmline team in the shape
real customer replies take (a short new text over the shop's quoted email and a signature).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chalicelib.adapters.aws.comprehend import billed_units, truncate_utf8  # noqa: E402
from chalicelib.ingress.email_message import (  # noqa: E402
    InboundEmail,
    parse_mime,
    parse_postmark,
    parse_ses_notification,
    unwrap_sns_envelope,
)

FIXTURES = REPO.parent / "shared" / "fixtures" / "email"


@dataclass(frozen=True)
class Row:
    name: str
    full_chars: int
    new_chars: int
    full_units: int
    new_units: int


def units(text: str) -> int:
    return billed_units(truncate_utf8(text)) if text.strip() else 0


def row(name: str, email: InboundEmail) -> Row:
    return Row(name, len(email.full_text), len(email.new_text), units(email.full_text), units(email.new_text))


def parse_fixture(path: Path) -> InboundEmail | None:
    if path.suffix == ".eml":
        return parse_mime(path.read_bytes())
    data = json.loads(path.read_text(encoding="utf-8"))
    if "FromFull" in data or "TextBody" in data:
        return parse_postmark(data)
    if data.get("Type") == "Notification":
        data = unwrap_sns_envelope(data)
    return parse_ses_notification(data)


SAMPLE_REPLIES: tuple[tuple[str, str], ...] = (
    (
        "reply over quoted order confirmation",
        "Hi, the order still hasn't arrived and it's been 9 days. Can you check?\n\nThanks,\nJo\n"
        "Sent from my iPhone\n\n"
        "On Mon, 3 Jun 2024 at 09:12, Rosie's Bakery <hello@rosies.example> wrote:\n"
        + "".join(f"> {line}\n" for line in (
            "Hi Jo,", "", "Thank you for your order #1042! We're baking it now.",
            "Order summary: 1 x Lemon drizzle cake (large), 1 x Box of 12 brownies, delivery Thursday.",
            "Subtotal: $48.00  Shipping: $6.00  Total: $54.00",
            "If anything is not right, just reply to this email and a real person will help.",
            "Rosie's Bakery, 12 Mill Lane, Springfield. You are receiving this because you placed an order.",
        )),
    ),
    (
        "Outlook reply with signature and history",
        "I want a refund for the broken mug please.\n\n"
        "Kind regards\nSam Taylor\nSenior Buyer | Northwind Traders\nT: +1 555 0100 | M: +1 555 0199\n"
        "This email and any attachments are confidential and intended solely for the addressee. If you have "
        "received it in error please notify the sender and delete it.\n\n"
        "-----Original Message-----\nFrom: Rosie's Bakery <hello@rosies.example>\nSent: Tuesday, June 4, 2024 "
        "10:01 AM\nTo: Sam Taylor <sam@northwind.example>\nSubject: Your order has shipped\n\n"
        "Hi Sam, good news: your order #1043 (2 x Speckled mug) is on its way with tracking number "
        "1Z999AA10123456784. It should arrive within 3-5 working days. Thanks for shopping small!\n",
    ),
    (
        "short thank-you over a long thread",
        "Perfect, thank you!\n\n"
        "On Wed, Jun 5, 2024 at 4:40 PM Rosie's Bakery <hello@rosies.example> wrote:\n"
        + "".join(f"> {line}\n" for line in (
            "Hi Ana, of course, we have changed the delivery address to 4 Elm Road.", "",
            "> On Wed, Jun 5, 2024 at 2:10 PM Ana <ana@example.com> wrote:",
            "> Hello, could you send my order to 4 Elm Road instead of 9 Oak Street? I'm moving this week.",
            "> Many thanks, Ana", "",
            "Rosie's Bakery, 12 Mill Lane, Springfield",
        ) * 3),
    ),
)


def sample_email(text: str) -> bytes:
    return (
        "From: Customer <customer@example.com>\r\nTo: hello@rosies.example\r\nSubject: Re: your order\r\n"
        "Message-ID: <sample@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + text.replace("\n", "\r\n")
    ).encode("utf-8")


def print_table(title: str, rows: list[Row]) -> None:
    print(title)
    header = f"{'email':44} {'chars full':>10} {'chars new':>9} | {'units full':>10} {'units new':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r.name[:44]:44} {r.full_chars:10d} {r.new_chars:9d} | {r.full_units:10d} {r.new_units:9d}")
    full = sum(r.full_units for r in rows)
    new = sum(r.new_units for r in rows)
    if rows:
        ratio = new / full if full else 0.0
        print(f"{'total (DetectSentiment only)':44} {'':10} {'':9} | {full:10d} {new:9d}   new/full = {ratio:.2f}")
        print(f"{'per email, with language detection (x2)':44} {'':10} {'':9} | "
              f"{2 * full / len(rows):10.1f} {2 * new / len(rows):9.1f}")
    print()


def main() -> int:
    if not FIXTURES.is_dir():
        raise SystemExit(f"The shared email fixtures are missing: expected {FIXTURES} beside this checkout.")
    rows: list[Row] = []
    skipped: list[str] = []
    for path in sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".eml", ".json"}):
        name = str(path.relative_to(FIXTURES))
        email = parse_fixture(path)
        if email is None:
            skipped.append(name)
            continue
        rows.append(row(name, email))
    print("Billed Comprehend units per inbound email (1 unit = 100 characters, at least 3 per request).")
    print("full = the whole decoded body; new = the new text after stripping quotes, history and signatures.")
    print()
    print_table(f"Shared fixtures ({FIXTURES}):", rows)
    if skipped:
        print("Skipped (no content in the notification, e.g. an S3 action): " + ", ".join(skipped))
        print()
    samples = [row(name, parse_mime(sample_email(text))) for name, text in SAMPLE_REPLIES]
    print_table("Sample replies written by the Warmline team (illustrative, not real customer mail):", samples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
