"""The service's parts without a server: tokens, the bind rule, the bounded gate, and the
job store's exactly-once bookkeeping; plus the evidence index on sources with no words."""

from __future__ import annotations

import asyncio

import pytest

from quotecheck.errors import ConfigError
from quotecheck.factcheck import EvidenceIndex, Source
from quotecheck.service import TokenSet, check_bind, is_loopback, load_tokens

pytest.importorskip("fastapi", reason="the service needs pip install -e '.[service]'")
from quotecheck.service.gate import ModelGate, QueueFull  # noqa: E402

LONG = "x" * 16


def test_tokens_are_compared_as_digests_and_never_shown() -> None:
    tokens = TokenSet([LONG, "y" * 20, LONG])
    assert len(tokens) == 2 and tokens.accepts(LONG) and tokens.accepts("y" * 20)
    assert not tokens.accepts(None) and not tokens.accepts("") and not tokens.accepts(LONG + "x")
    assert LONG not in repr(tokens) and LONG not in str(vars(tokens))
    with pytest.raises(ConfigError, match="shorter than 16"):
        TokenSet(["short"])


def test_tokens_from_env_and_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QUOTECHECK_API_TOKENS", f" {LONG} , ,")
    path = tmp_path / "t"
    path.write_text("# comment\n" + "z" * 16 + "\n\n")
    path.chmod(0o600)
    tokens = load_tokens(path)
    assert len(tokens) == 2 and tokens.accepts("z" * 16)
    path.chmod(0o640)
    with pytest.raises(ConfigError, match="readable by others"):
        load_tokens(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_tokens(tmp_path / "missing")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.4", False),
     ("example.org", False)],
)  # fmt: skip
def test_bind_rule(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    if loopback:
        check_bind(host, TokenSet([]))
    else:
        with pytest.raises(ConfigError, match="refusing to listen"):
            check_bind(host, TokenSet([]))
    check_bind(host, TokenSet([LONG]))  # with a token anything goes


async def test_gate_queues_a_few_and_refuses_the_rest() -> None:
    gate = ModelGate(slots=1, queue=1)
    release = asyncio.Event()
    order: list[str] = []

    async def hold(name: str, kind: str = "request") -> None:
        async with gate.slot(kind):
            order.append(name)
            await release.wait()

    first = asyncio.create_task(hold("first"))
    await asyncio.sleep(0)
    second = asyncio.create_task(hold("second"))
    job = asyncio.create_task(hold("job", "job"))  # a job waits without a limit
    await asyncio.sleep(0)
    assert gate.active == 1 and gate.waiting == {"request": 1, "job": 1}
    with pytest.raises(QueueFull) as full:
        async with gate.slot():
            pass
    assert full.value.retry_after >= 1
    release.set()
    await asyncio.gather(first, second, job)
    assert order == ["first", "second", "job"]  # the waiting request went before the job
    assert gate.active == 0 and gate.waiting == {"request": 0, "job": 0}


async def test_a_cancelled_wait_or_holder_frees_its_place() -> None:
    gate = ModelGate(slots=1, queue=1)
    hold = asyncio.Event()

    async def holder() -> None:
        async with gate.slot():
            await hold.wait()

    task = asyncio.create_task(holder())
    await asyncio.sleep(0)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05), gate.slot():
            pass
    assert gate.waiting["request"] == 0
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await asyncio.sleep(0)
    assert gate.active == 0
    async with asyncio.timeout(1), gate.slot():
        assert gate.active == 1


def test_evidence_without_indexable_words_is_empty_not_a_crash() -> None:
    index = EvidenceIndex.build([Source("a", "the"), Source("b", "0 !!")])
    assert index.passages and index.relevant("the crane was bought in 2022") == []


def test_no_cassette_holds_a_credential() -> None:
    """Recorded cassettes keep no auth header, key or token (conftest filters them)."""
    from conftest import REPO
    from serve_process import TOKEN

    for path in (REPO / "cassettes").rglob("*.yaml"):
        text = path.read_text("utf-8").lower()
        for needle in ("authorization:", "api-key:", "bearer ", "sk-", "cookie:", TOKEN):
            assert needle not in text, f"{path.name} holds {needle!r}"
