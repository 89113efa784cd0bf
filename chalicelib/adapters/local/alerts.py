"""Local OwnerAlerter: alerts appended as JSON lines to DATA_DIR/alerts.jsonl and echoed to the console."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ...ports import OwnerAlertMessage


class FileAlerts:
    def __init__(self, path: str | Path, echo: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.echo = echo
        self._lock = threading.Lock()

    def _find(self, key: str) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a torn last line from a crash: ignore it
                if entry.get("key") == key:
                    return dict(entry)
        return None

    def alert(self, message: OwnerAlertMessage) -> str:
        with self._lock:
            existing = self._find(message.key)
            if existing is not None:
                return str(existing["key"])
            entry = {
                "key": message.key,
                "at": datetime.now(UTC).isoformat(),
                "level": message.level,
                "sms": message.short_text,
                "text": message.long_text,
                "review_url": message.review_url,
                **message.data,
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        if self.echo is not None:
            bar = "=" * 60
            self.echo(f"\n{bar}\nOWNER ALERT ({message.level.upper()})\n{message.long_text}\n{bar}")
        return message.key

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out

    def forget(self, email: str) -> int:
        """Drop alerts that name `email` ("*": all). Returns how many went."""
        with self._lock:
            if not self.path.exists():
                return 0
            lines = self.path.read_text(encoding="utf-8").splitlines()
            needle = email.lower()
            kept = [line for line in lines if email != "*" and needle not in line.lower()]
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
            os.replace(tmp, self.path)
            return len(lines) - len(kept)
