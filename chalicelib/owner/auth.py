"""Owner sign-in: one-time links exchanged for revocable sessions, and CSRF tokens.

- A sign-in link is signed by the LinkSigner (purpose "console-signin", 15 minutes) over a random
  nonce; the nonce is claimed on first use, so a link works once.
- The session id is random (256 bits) and only its SHA-256 is stored (Desk kind "session"), with its
  CSRF token; signing out deletes it, "sign out everywhere" deletes them all.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from ..messages import LinkSigner
from .desk import Desk

SIGNIN_PURPOSE = "console-signin"
SIGNIN_FOR = timedelta(minutes=15)
SESSION_FOR = timedelta(days=14)
COOKIE = "warmline_session"


class ConsoleAuth:
    def __init__(self, links: LinkSigner, desk: Desk, clock: Callable[[], datetime]) -> None:
        self.links = links
        self.desk = desk
        self.clock = clock

    def signin_url(self, who: str = "owner") -> str:
        nonce = secrets.token_urlsafe(18)
        token = self.links.sign(SIGNIN_PURPOSE, f"{who}:{nonce}", SIGNIN_FOR)
        return f"{self.links.base_url}/console/signin?" + urlencode({"u": who, "n": nonce, "t": token})

    def send_link(self, mailer: Any, alerter: Any, config: Any, max_per_window: int = 3) -> bool:
        """Text and email the owner a fresh sign-in link (asked for from the sign-in page).

        Anyone can press the button, so it only ever goes to the owner's own phone and address, and at most
        `max_per_window` times every 15 minutes; False when that limit is reached."""
        from ..ports import OutgoingEmail, OwnerAlertMessage

        now = self.clock()
        window = int(now.timestamp() // SIGNIN_FOR.total_seconds())
        if not any(self.desk.add("signin_sent", f"{window}:{i}", {"at": now.isoformat()}, ttl=SIGNIN_FOR * 2)
                   for i in range(max_per_window)):
            return False
        url = self.signin_url()
        key = f"signin:{hashlib.sha256(url.encode()).hexdigest()[:16]}"
        text = (f"Your Warmline sign-in link for {config.shop_name} (works once, for 15 minutes):\n{url}\n\n"
                "If you did not ask for it, ignore this message: nobody can use it without your phone or inbox.")
        if config.owner_email:
            mailer.send(OutgoingEmail(key=key, to=config.owner_email, text=text + "\n",
                                      subject=f"Sign in to Warmline ({config.shop_name})",
                                      from_email=config.sender_email, from_name=config.sender_name, kind="service"))
        if config.owner_phones:
            alerter.alert(OwnerAlertMessage(key=key, short_text=f"Warmline sign-in (15 min, once): {url}",
                                            long_text=text, level="watch", review_url=""))
        return True

    def exchange(self, who: str, nonce: str, token: str) -> str | None:
        """A new session id for a valid, unexpired, unused link; None otherwise."""
        if not who or not nonce or len(nonce) > 64 or len(who) > 64:
            return None
        if not self.links.check(SIGNIN_PURPOSE, f"{who}:{nonce}", token):
            return None
        if not self.desk.add("signin_used", nonce, {"at": self.clock().isoformat()}, ttl=SIGNIN_FOR * 2):
            return None  # used before
        session_id = secrets.token_urlsafe(32)
        self.desk.put("session", _digest(session_id), {"who": who, "csrf": secrets.token_urlsafe(24),
                                                       "created": self.clock().isoformat()}, ttl=SESSION_FOR)
        return session_id

    def session(self, session_id: str | None) -> dict[str, Any] | None:
        if not session_id or len(session_id) > 100:
            return None
        return self.desk.get("session", _digest(session_id))

    def csrf_ok(self, session: dict[str, Any], token: str | None) -> bool:
        # bytes: compare_digest raises on a str with non-ASCII characters, which a form can carry
        return bool(token) and hmac.compare_digest(str(session.get("csrf", "")).encode("utf-8", "replace"),
                                                   str(token).encode("utf-8", "replace"))

    def revoke(self, session_id: str) -> bool:
        return self.desk.delete("session", _digest(session_id))

    def revoke_all(self) -> int:
        gone = 0
        for session in self.desk.items("session"):
            gone += self.desk.delete("session", session["_key"])
        return gone


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
