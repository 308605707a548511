"""The embedded model's shared prompt prefix, kept across processes.

Every caller puts what its calls share first (instructions, few-shot turns) and what varies
last, so all messages but the last are the *prefix*. llama.cpp already reuses a prefix inside
one process; a fresh process would read it again (about 550 tokens, 10 s on two cores). So the
first answer after a new prefix is followed by saving the slot's KV state to a file, and a
process that meets a prefix it has a file for restores the file into the slot before asking
(a few milliseconds). The file name is a hash of the model file, the engine version, the
context size and the prefix, so a change to any of them misses and rebuilds it.

Only for the embedded server with one slot (with more, which slot served a call is unknown).
Imports nothing of the package; speaks llama.cpp's ``/slots`` HTTP API with ``httpx2``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
from pathlib import Path

import httpx2

log = logging.getLogger("quotecheck.llm.prefix")
SUFFIX = ".kv"


def prefix_key(messages: list[dict[str, str]], identity: str) -> str | None:
    """The file name for the prefix of ``messages`` (None when there is no prefix)."""
    if len(messages) < 2:
        return None
    blob = json.dumps([identity, messages[:-1]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32] + SUFFIX


class PrefixStore:
    """Restores a saved prefix into slot 0 before a call, and saves one after a first call.

    ``folder`` is the server's ``slot_save_path``; ``identity`` names the model, engine and
    context the files were made with. Faults only cost speed: they are logged, never raised.
    """

    def __init__(
        self, server_url: str, folder: Path, identity: str, *, api_key: str | None = None
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.folder = folder
        self.identity = identity
        self.held: str | None = None  # the prefix file the slot holds now
        self.restored = 0
        self.saved = 0
        self._lock = threading.Lock()  # one LLM may serve several event loops (sync twins)

    def _slot(self, action: str, filename: str) -> bool:
        url = f"{self.server_url}/slots/0?action={action}"
        try:
            reply = httpx2.post(url, json={"filename": filename}, headers=self.headers, timeout=60)
        except httpx2.HTTPError as err:
            log.debug("slot %s of %s failed: %s", action, filename, err)
            return False
        if reply.status_code != 200:
            log.debug("slot %s of %s refused: %s", action, filename, reply.text[:200])
        return reply.status_code == 200

    def _restore(self, key: str) -> None:
        with self._lock:
            if key != self.held and (self.folder / key).is_file() and self._slot("restore", key):
                self.held = key
                self.restored += 1

    def _save(self, key: str) -> None:
        with self._lock:
            if not (self.folder / key).is_file():
                tmp = f"{key}.part"
                if self._slot("save", tmp):
                    (self.folder / tmp).replace(self.folder / key)  # readers never see a torn file
                    self.saved += 1
            self.held = key

    async def before(self, messages: list[dict[str, str]]) -> str | None:
        """Put the prefix of ``messages`` in the slot if a file holds it; returns its key."""
        key = prefix_key(messages, self.identity)
        if key is not None and key != self.held:
            await asyncio.to_thread(self._restore, key)
        return key

    async def after(self, key: str | None) -> None:
        """After an answer: save the slot when its prefix has no file yet."""
        if key is not None and (key != self.held or not (self.folder / key).is_file()):
            await asyncio.to_thread(self._save, key)
