"""Turn decisions into the words a customer or owner reads.

Owner-editable templates render in Jinja2's sandbox. The footer that says the
message is automated (and, for marketing, how to unsubscribe) is added here,
outside the templates, so no template edit can remove it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode

from .config.loader import TEMPLATES_PATH
from .config.model import WarmlineConfig
from .domain.decisions import AlertOwner, SendEmail
from .ports import OutgoingEmail, OwnerAlertMessage

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class TemplateProblem(Exception):
    """An owner template failed to render; the delivery is retried and then dead-lettered."""


class LinkSigner:
    """Signed, expiring links: every token names its purpose and carries its expiry.

    The key is a secret of its own (``link_signing_key``), never derived from another secret, so
    rotating a webhook secret or the inbound-email token leaves every link valid for its lifetime.
    Each purpose signs with its own sub-key (HMAC(key, purpose)): a token made for one purpose is
    refused for any other.

        token = links.sign("survey", "order-1001", timedelta(days=14))
        links.check("survey", "order-1001", token)  # True until it expires

    A token is ``<expiry as base-36 unix seconds>.<32 hex chars of HMAC-SHA256>``.
    """

    UNSUBSCRIBE_FOR = timedelta(days=400)  # a marketing email's unsubscribe link works for over a year
    EXPORT_FOR = timedelta(days=30)  # as long as the export itself is kept
    REVIEW_FOR = timedelta(days=7)
    SURVEY_FOR = timedelta(days=60)  # a "how did we do?" answer weeks later is still welcome

    # Unsubscribe links in emails sent before links had a key of their own (signed with a key derived from
    # the inbound-email token, no expiry) keep working until this date, so no customer is stuck on the list.
    LEGACY_UNSUBSCRIBE_UNTIL = datetime(2027, 3, 1, tzinfo=UTC)

    def __init__(self, secret: str | Callable[[], str], base_url: str,
                 clock: Callable[[], datetime] | None = None,
                 legacy_secret: Callable[[], str] | None = None) -> None:
        self._secret = secret  # a callable is read on first use (on AWS: an SSM call, not at cold start)
        self.base_url = base_url.rstrip("/")
        self.clock = clock or (lambda: datetime.now(UTC))
        self._legacy_secret = legacy_secret  # verifies old unsubscribe links only; never signs anything

    @cached_property
    def _key(self) -> bytes:
        secret = self._secret() if callable(self._secret) else self._secret
        if len(secret) < 16:
            raise ValueError("the link-signing key is too short (at least 16 characters)")
        return secret.encode()

    def _mac(self, purpose: str, subject: str, expires: int) -> str:
        sub_key = hmac.new(self._key, b"warmline-link-purpose:" + purpose.encode(), hashlib.sha256).digest()
        message = f"{len(purpose)}:{purpose}|{expires}|{subject}".encode()
        return hmac.new(sub_key, message, hashlib.sha256).hexdigest()[:32]

    def sign(self, purpose: str, subject: str, expires_in: timedelta) -> str:
        expires = int((self.clock() + expires_in).timestamp())
        return f"{_b36(expires)}.{self._mac(purpose, subject, expires)}"

    def check(self, purpose: str, subject: str, token: str | None) -> bool:
        """True when the token was signed for this purpose and subject and has not expired."""
        if purpose == "unsubscribe" and token and "." not in token:
            return self._legacy_unsubscribe(subject, token)
        return self.expiry(purpose, subject, token) is not None

    def _legacy_unsubscribe(self, email: str, token: str) -> bool:
        if self._legacy_secret is None or self.clock() >= self.LEGACY_UNSUBSCRIBE_UNTIL or len(token) != 32:
            return False
        try:
            old_key = hashlib.sha256(b"warmline-links:" + self._legacy_secret().encode()).digest()
        except Exception:  # no such secret, or SSM unreachable: the old link is refused, the page still answers
            return False
        expected = hmac.new(old_key, f"unsubscribe:{email}".encode(), hashlib.sha256).hexdigest()[:32]
        return hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))  # a str must be ASCII

    def expiry(self, purpose: str, subject: str, token: str | None) -> datetime | None:
        """When a valid token expires; None for a forged, altered, foreign or expired token."""
        if not token or len(token) > 64 or "." not in token:
            return None
        head, _, mac = str(token).partition(".")
        try:
            expires = int(head, 36)
        except ValueError:
            return None
        if head != _b36(expires):  # one spelling per expiry: an altered token never passes
            return None
        # bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, not a refusal)
        if not hmac.compare_digest(self._mac(purpose, subject, expires).encode(), mac.encode("utf-8", "replace")):
            return None
        when = datetime.fromtimestamp(expires, UTC)
        return when if when > self.clock() else None

    def unsubscribe_url(self, email: str) -> str:
        email = email.lower()
        token = self.sign("unsubscribe", email, self.UNSUBSCRIBE_FOR)
        return f"{self.base_url}/unsubscribe?" + urlencode({"e": email, "t": token})

    def export_url(self, export_id: str) -> str:
        token = self.sign("export", export_id, self.EXPORT_FOR)
        return f"{self.base_url}/exports/{quote(export_id, safe='')}?t={token}"

    def survey_url(self, order_id: str, email: str, score: int | None = None) -> str:
        from .flows.csat import survey_link_payload

        payload = survey_link_payload(order_id, email)
        query = {"o": order_id, "e": email.lower(), "t": self.sign("survey", payload, self.SURVEY_FOR)}
        if score is not None:
            query["s"] = str(score)
        return f"{self.base_url}/survey?" + urlencode(query)

    def review_url(self, key: str) -> str:
        return f"{self.base_url}/review/{quote(key, safe='')}?t={self.sign('review', key, self.REVIEW_FOR)}"


SHORT_REASONS: Final = 120  # characters of reasons in the owner's text message


def _short_reasons(reasons: tuple[str, ...], limit: int = SHORT_REASONS) -> str:
    """The reasons for the owner's text message, kept short: as many whole reasons as fit, in order, then "; …" if
    some are left for the alert's page; a first reason longer than the limit is cut at a word ("…"). (Cutting the
    joined text at its last "; " broke a reason that has one inside: "(learned from examples; 0.91)".)"""
    kept: list[str] = []
    for reason in reasons:
        if len("; ".join((*kept, reason))) > limit:
            break
        kept.append(reason)
    if not kept and reasons:
        return reasons[0][: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"
    return "; ".join(kept) + ("; …" if len(kept) < len(reasons) else "")


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def our_message_id(key: str, sender_email: str) -> str:
    """A Message-ID Warmline recognises when a customer's mail program answers it (mail-loop protection)."""
    from .flows.unhappy_customer import OUR_MESSAGE_ID_PREFIX

    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{OUR_MESSAGE_ID_PREFIX}{digest}@{sender_email.rsplit('@', 1)[-1].lower()}>"


class MessageRenderer:
    def __init__(self, config: WarmlineConfig, links: LinkSigner) -> None:
        self.config = config
        self.links = links

    @cached_property
    def _env(self) -> SandboxedEnvironment:
        from jinja2 import FileSystemLoader
        from jinja2.sandbox import SandboxedEnvironment

        paths = [self.config.templates_dir] if self.config.templates_dir else []
        return SandboxedEnvironment(loader=FileSystemLoader([*paths, str(TEMPLATES_PATH)]), autoescape=False,
                                    keep_trailing_newline=False, trim_blocks=False)

    def _render(self, name: str, context: dict[str, Any]) -> tuple[str, str]:
        from jinja2 import TemplateError

        try:
            text = self._env.get_template(f"{name}.txt").render(**context)
        except TemplateError as exc:
            raise TemplateProblem(f"template {name!r} failed: {exc}") from exc
        head, sep, body = text.partition("\n")
        if not sep or not head.lower().startswith("subject:"):
            raise TemplateProblem(f"template {name!r} must start with a 'Subject:' line")
        subject = " ".join(head[len("subject:"):].split())  # no CR/LF: no header injection
        lines = [line.rstrip() for line in body.strip("\n").splitlines()]
        cleaned: list[str] = []
        for line in lines:  # collapse runs of blank lines left by template logic
            if line or (cleaned and cleaned[-1]):
                cleaned.append(line)
        return subject[:200], "\n".join(cleaned).strip() + "\n"

    def email(self, decision: SendEmail) -> OutgoingEmail:
        context = dict(decision.context)
        survey = context.get("survey")
        if isinstance(survey, dict):  # "how did we do?": five signed one-click answers
            from .flows.csat import score_labels

            context["survey_links"] = [
                {"score": score, "label": label,
                 "url": self.links.survey_url(str(survey["order_id"]), str(survey["email"]), score)}
                for score, label in score_labels()]
        subject, body = self._render(decision.template, context)
        cfg = self.config
        footer = [f"This is an automated message from {cfg.shop_name}. A person reads every reply."]
        headers = {"Auto-Submitted": "auto-replied" if decision.kind == "acknowledgement" else "auto-generated",
                   "Message-ID": our_message_id(decision.key, cfg.sender_email)}
        parent = str(decision.context.get("in_reply_to") or "")
        if "@" in parent and not any(c in parent for c in "<>\r\n "):  # a real Message-ID: thread the reply
            headers["In-Reply-To"] = headers["References"] = f"<{parent}>"
        if decision.kind == "marketing":
            unsubscribe = self.links.unsubscribe_url(decision.to)
            footer.append(f"Don't want reminders like this? Unsubscribe: {unsubscribe}")
            if cfg.postal_address:
                footer.append(cfg.postal_address)
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text = body + "\n--\n" + "\n".join(footer) + "\n"
        return OutgoingEmail(key=decision.key, to=decision.to, subject=subject, text=text,
                             from_email=cfg.sender_email, from_name=cfg.sender_name, reply_to=cfg.reply_to,
                             headers=headers, kind=decision.kind)

    def alert(self, decision: AlertOwner, masked_customer: str | None) -> OwnerAlertMessage:
        review = self.links.review_url(decision.key)
        who = masked_customer or "a customer"
        reasons = _short_reasons(decision.reasons or (decision.reason,))
        short = f"Warmline {decision.level.upper()}: {decision.headline[:90]}. Why: {reasons}. {review}"
        lines = [
            f"{decision.headline}",
            f"Level: {decision.level}" + (f" (negative score {decision.score:.2f})" if decision.score is not None
                                          else ""),
            f"Customer: {decision.customer_email or who}",
            f"Details: \"{decision.excerpt}\"" if decision.excerpt else "",
            "Why you're seeing this:",
            *(f"  - {r}" for r in decision.reasons),
            "Recent orders: " + (", ".join(decision.recent_orders) if decision.recent_orders else "none on record"),
            f"Review and reply: {review}",
            f"Customer data export (JSON): {self.links.export_url(decision.export_id)}" if decision.export_id else "",
            ("Customers: " + ", ".join(decision.related)) if decision.related else "",
        ]
        return OwnerAlertMessage(
            key=decision.key, short_text=short[:300], long_text="\n".join(line for line in lines if line),
            level=decision.level, review_url=review,
            data={"customer": who, "reasons": list(decision.reasons), "score": decision.score,
                  **({"related": list(decision.related)} if decision.related else {})},
        )
