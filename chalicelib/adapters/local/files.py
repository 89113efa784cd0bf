"""File-system helpers for the local adapters: a private data directory (0700, files 0600)."""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it 0700: it holds customer data."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (the database, its WAL, alerts.jsonl, written by older versions as 0644)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except FileNotFoundError:
        pass


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (signal 0 tests without sending anything)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
