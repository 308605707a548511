"""The shared prompt prefix saved and restored across processes (llm.prefix), against a small
HTTP server on 127.0.0.1 that speaks llama.cpp's /slots API and writes real files."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from quotecheck.llm.prefix import PrefixStore, prefix_key

PREFIX = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Hi"}]


def _slot_server(folder: Path) -> tuple[ThreadingHTTPServer, list[tuple[str, str]]]:
    calls: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            action = self.path.split("action=")[1]
            calls.append((action, body["filename"]))
            target = folder / body["filename"]
            if action == "save":
                target.write_bytes(b"kv state")
            elif not target.is_file():
                self.send_response(400)
                self.end_headers()
                return
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, calls


async def test_first_process_saves_and_the_next_restores(tmp_path: Path) -> None:
    server, calls = _slot_server(tmp_path)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        first = PrefixStore(url, tmp_path, "model-a")
        key = await first.before(PREFIX)
        assert calls == []  # nothing saved yet: nothing to restore
        await first.after(key)
        assert calls == [("save", f"{key}.part")] and (tmp_path / key).is_file()
        await first.after(await first.before(PREFIX))
        assert len(calls) == 1  # saved once, and the slot already holds it

        second = PrefixStore(url, tmp_path, "model-a")  # a new process
        assert await second.before(PREFIX) == key
        assert calls[-1] == ("restore", key) and second.restored == 1
    finally:
        server.shutdown()


def test_key_changes_with_model_and_prefix_not_with_the_last_turn() -> None:
    other_turn = [PREFIX[0], {"role": "user", "content": "Something else"}]
    assert prefix_key(PREFIX, "m") == prefix_key(other_turn, "m")
    assert prefix_key(PREFIX, "m") != prefix_key(PREFIX, "engine-2")
    assert prefix_key([{"role": "system", "content": "Other."}, PREFIX[1]], "m") != prefix_key(
        PREFIX, "m"
    )
    assert prefix_key(PREFIX[:1], "m") is None  # one message: no shared prefix


async def test_an_unreachable_server_costs_speed_not_the_call(tmp_path: Path) -> None:
    (tmp_path / prefix_key(PREFIX, "m")).write_bytes(b"x")
    store = PrefixStore("http://127.0.0.1:9", tmp_path, "m")
    key = await store.before(PREFIX)  # the restore fails quietly
    assert store.restored == 0 and key is not None
