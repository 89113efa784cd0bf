"""Local Mailer: each email is an RFC 5322 .eml file in DATA_DIR/outbox/.

The file name comes from the idempotency key and is written atomically
(temp file + rename), so a retried send finds the file and sends nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from ...ports import OutgoingEmail


def key_filename(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32] + ".eml"


class FileOutbox:
    def __init__(self, directory: str | Path, domain: str = "warmline.local") -> None:
        self.directory = Path(directory)
        self.domain = domain

    def send(self, message: OutgoingEmail) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / key_filename(message.key)
        if target.exists():
            from email import message_from_bytes

            existing = message_from_bytes(target.read_bytes())
            return str(existing.get("Message-ID", target.name))
        # RFC 5322 allows 998-character lines: long URL headers (List-Unsubscribe) stay plain, never encoded.
        msg = EmailMessage(policy=policy.default.clone(max_line_length=998))
        msg["From"] = formataddr((message.from_name, message.from_email))
        msg["To"] = message.to
        msg["Subject"] = message.subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        message_id = message.headers.get("Message-ID") or make_msgid(domain=self.domain)
        msg["Message-ID"] = message_id
        if message.reply_to:
            msg["Reply-To"] = message.reply_to
        msg["X-Warmline-Key"] = message.key
        msg["X-Warmline-Kind"] = message.kind
        for name, value in message.headers.items():
            if name.lower() != "message-id":
                msg[name] = value
        msg.set_content(message.text)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".sending-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(msg))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return message_id

    def messages(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.eml"), key=lambda p: p.stat().st_mtime)

    def forget(self, email: str) -> int:
        """Delete stored copies of emails sent to `email` ("*": all of them). Returns how many went."""
        from email import message_from_bytes

        removed = 0
        for path in self.messages():
            to = str(message_from_bytes(path.read_bytes()).get("To", "")).lower()
            if email == "*" or to == email.lower():
                path.unlink(missing_ok=True)
                removed += 1
        return removed
