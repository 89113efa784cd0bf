"""Local SecretSource: secrets from environment variables named in the config.

When a variable is unset in local mode, a random secret is generated once and
kept in DATA_DIR/secrets.json (mode 0600), so `warmline serve` and
`warmline replay` agree with no setup. Processes that share the data dir (serve's
ticker, `warmline tick`) may need the same secret at the same moment: it is made
under a lock on DATA_DIR/secrets.lock, so all of them keep the first one's value.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path


class EnvSecrets:
    def __init__(self, refs: Mapping[str, Mapping[str, str]], environ: Mapping[str, str],
                 data_dir: str | Path | None = None) -> None:
        self.refs = refs
        self.environ = environ
        self.store = Path(data_dir) / "secrets.json" if data_dir is not None else None

    def get(self, name: str) -> str:
        ref = self.refs.get(name)
        if ref is None:
            raise KeyError(f"no secret named {name!r} in the config's \"secrets\"")
        if "env" in ref:
            value = self.environ.get(ref["env"])
            if value:
                return value
            if self.store is not None:
                return self._generated(name)
            raise KeyError(f"environment variable {ref['env']} is not set (secret {name})")
        raise KeyError(f"secret {name} is kept in SSM ({ref.get('ssm')}); local mode reads only environment variables")

    def _known(self) -> dict[str, str]:
        assert self.store is not None
        known: dict[str, str] = json.loads(self.store.read_text()) if self.store.exists() else {}
        return known

    def _generated(self, name: str) -> str:
        assert self.store is not None
        known = self._known()  # the file is only ever replaced whole: read without the lock
        if name in known:
            return known[name]
        self.store.parent.mkdir(parents=True, exist_ok=True)
        # Made once, under an exclusive lock, and read again once we hold it: two makers at once would each keep
        # their own value, and links signed with the one that lost would never verify (nor would a shared temp
        # file survive both). flock is per open file, so it also keeps threads of one process apart.
        lock = os.open(self.store.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            known = self._known()
            if name not in known:
                known[name] = ("whsec_" if "stripe" in name else "") + secrets.token_urlsafe(24)
                tmp = self.store.with_suffix(".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as handle:
                    json.dump(known, handle, indent=2)
                os.replace(tmp, self.store)
            return known[name]
        finally:
            os.close(lock)  # and with it the lock
