"""Local OwnerAlerter: alerts appended as JSON lines to DATA_DIR/alerts.jsonl and echoed to the console."""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ...ports import OwnerAlertMessage
from .files import private_dir


class FileAlerts:
    """Appends one JSON line per alert, deduplicated by key without re-reading the file: the keys already
    there are kept in memory, and only lines appended since the last look (by `warmline tick` in another
    process, say) are read, under an exclusive lock on the file so two processes never both append a key."""

    def __init__(self, path: str | Path, echo: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.echo = echo
        self._lock = threading.Lock()
        self._keys: set[str] = set()
        self._offset = 0  # bytes of the file already read into _keys
        self._identity: tuple[int, int] | None = None  # (device, inode): a rewrite (forget) means read again

    def _catch_up(self, handle: BinaryIO) -> None:
        stat = os.fstat(handle.fileno())
        identity = (stat.st_dev, stat.st_ino)
        if identity != self._identity or stat.st_size < self._offset:
            self._keys.clear()
            self._offset = 0
            self._identity = identity
        if stat.st_size == self._offset:
            return
        handle.seek(self._offset)
        data = handle.read(stat.st_size - self._offset)
        complete = data[: data.rfind(b"\n") + 1]  # a torn last line (crash mid-write) is left for later
        for line in complete.splitlines():
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(entry, dict) and "key" in entry:
                self._keys.add(str(entry["key"]))
        self._offset += len(complete)

    def _open_locked(self) -> BinaryIO:
        """The file, opened for appending and locked (the lock goes when it closes); if `forget` replaced it
        while we waited for the lock, the new one."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            handle = os.fdopen(fd, "r+b")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                current = None
            opened = os.fstat(handle.fileno())
            if current is not None and (current.st_dev, current.st_ino) == (opened.st_dev, opened.st_ino):
                return handle
            handle.close()

    def alert(self, message: OwnerAlertMessage) -> str:
        with self._lock:
            private_dir(self.path.parent)
            with self._open_locked() as handle:
                self._catch_up(handle)
                if message.key in self._keys:
                    return message.key
                entry = {
                    "key": message.key,
                    "at": datetime.now(UTC).isoformat(),
                    "level": message.level,
                    "sms": message.short_text,
                    "text": message.long_text,
                    "review_url": message.review_url,
                    **message.data,
                }
                line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
                if self._offset < os.fstat(handle.fileno()).st_size:
                    line = b"\n" + line  # after a torn line: start on a line of our own
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())  # an owner alert is rare and must survive a power cut
                self._keys.add(message.key)
                self._offset = os.fstat(handle.fileno()).st_size
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
            with self.path.open("rb") as original:
                fcntl.flock(original.fileno(), fcntl.LOCK_EX)  # no append lands in the file being replaced
                lines = original.read().decode("utf-8", errors="replace").splitlines()
                needle = email.lower()
                kept = [line for line in lines if email != "*" and needle not in line.lower()]
                tmp = self.path.with_suffix(".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write("".join(line + "\n" for line in kept))
                os.replace(tmp, self.path)
            return len(lines) - len(kept)
