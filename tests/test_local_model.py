"""Resolving the embedded model's weights with a tiny fake spec: no real model is touched."""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import types
from pathlib import Path

import pytest

from quotecheck.errors import LocalModelError
from quotecheck.llm import weights as local_model
from quotecheck.llm.weights import ModelSpec, cache_dir, package_chunks, resolve_model, verify

PARTS = [b"GGUF" + b"\x01" * 60, b"\x02" * 64, b"\x03" * 17]
CONTENT = b"".join(PARTS)


def make_spec(prefix: str, content: bytes = CONTENT) -> ModelSpec:
    return ModelSpec(
        name="fake-model",
        filename="fake-model-q4.gguf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        hf_repo="nobody/fake-model",
        packages=tuple(f"{prefix}_part{i}" for i in range(1, len(PARTS) + 1)),
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUOTECHECK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("QUOTECHECK_MODEL_PATH", raising=False)
    return tmp_path / "home"


def install_packages(
    root: Path, monkeypatch: pytest.MonkeyPatch, prefix: str, parts: list[bytes]
) -> None:
    """Offline chunk packages ``<prefix>_partN/data/part0N.bin`` importable from ``root``."""
    for i, data in enumerate(parts, start=1):
        pkg = root / f"{prefix}_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()


def no_hub(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Replace the hub client by one that fails like an offline machine; records its calls."""
    calls: list[dict] = []

    def hf_hub_download(**kwargs: object) -> str:
        calls.append(kwargs)
        raise ConnectionError("offline")

    fake = types.ModuleType("huggingface_hub")
    fake.hf_hub_download = hf_hub_download  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "huggingface_hub", fake)
    return calls


def test_explicit_path_ok(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "my-model.gguf"
    path.write_bytes(b"GGUF" + b"\x00" * 10)
    assert resolve_model(path, spec=make_spec("unused_a")) == path


def test_explicit_path_from_env(home: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "env-model.gguf"
    path.write_bytes(b"GGUF" + b"\x00" * 10)
    monkeypatch.setenv("QUOTECHECK_MODEL_PATH", str(path))
    assert resolve_model(spec=make_spec("unused_b")) == path


def test_explicit_path_missing(home: Path, tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match="does not exist"):
        resolve_model(tmp_path / "nope.gguf", spec=make_spec("unused_c"))


def test_explicit_path_not_gguf(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(LocalModelError, match="not a GGUF"):
        resolve_model(path, spec=make_spec("unused_d"))


def test_official_name_with_wrong_hash_refused(home: Path, tmp_path: Path) -> None:
    spec = make_spec("unused_e")
    path = tmp_path / spec.filename
    path.write_bytes(b"GGUF" + b"\x09" * (spec.size - 4))  # right size, wrong bytes
    with pytest.raises(LocalModelError, match="SHA-256") as info:
        resolve_model(path, spec=spec)
    assert "quotecheck models pull" in str(info.value)


def test_cache_hit_is_verified_and_stamped(home: Path) -> None:
    spec = make_spec("unused_f")
    cached = cache_dir() / spec.filename
    cached.parent.mkdir(parents=True)
    cached.write_bytes(CONTENT)
    assert resolve_model(spec=spec, allow_download=False) == cached
    assert cached.with_name(cached.name + ".verified").is_file()


def test_corrupt_cache_rebuilt_from_packages(home: Path, tmp_path: Path, monkeypatch) -> None:
    spec = make_spec("fakechunk")
    install_packages(tmp_path / "site", monkeypatch, "fakechunk", PARTS)
    cached = cache_dir() / spec.filename
    cached.parent.mkdir(parents=True)
    cached.write_bytes(CONTENT[:-1] + b"\xff")  # same size, one byte flipped
    calls = no_hub(monkeypatch)
    got = resolve_model(spec=spec)
    assert got == cached
    assert got.read_bytes() == CONTENT
    assert verify(got, spec, force=True)
    assert calls == []  # the packages were enough; the hub was not asked


def test_chunks_with_wrong_hash_leave_nothing(home: Path, tmp_path: Path, monkeypatch) -> None:
    spec = make_spec("badchunk")
    broken = [PARTS[0], b"\x07" * len(PARTS[1]), PARTS[2]]
    install_packages(tmp_path / "site", monkeypatch, "badchunk", broken)
    assert package_chunks(spec) is not None
    with pytest.raises(LocalModelError, match="reinstall"):
        resolve_model(spec=spec)
    folder = cache_dir()
    leftovers = list(folder.iterdir()) if folder.exists() else []
    assert leftovers == []


def test_missing_package_means_no_chunks(tmp_path: Path, monkeypatch) -> None:
    install_packages(tmp_path / "site", monkeypatch, "halfchunk", PARTS[:2])
    assert package_chunks(make_spec("halfchunk")) is None


def test_hub_failure_says_what_to_do(home: Path, monkeypatch) -> None:
    calls = no_hub(monkeypatch)
    spec = make_spec("absentchunk")
    with pytest.raises(LocalModelError) as info:
        resolve_model(spec=spec)
    message = str(info.value)
    assert "could not download" in message and "ConnectionError" in message
    assert "pip install 'quotecheck[local]'" in message and "OPENAI_BASE_URL" in message
    assert calls and calls[0]["repo_id"] == spec.hf_repo
    assert not (cache_dir() / spec.filename).exists()


def test_no_download_allowed(home: Path, monkeypatch) -> None:
    calls = no_hub(monkeypatch)
    with pytest.raises(LocalModelError, match="no local model found"):
        resolve_model(spec=make_spec("absentchunk2"), allow_download=False)
    assert calls == []


def test_stamp_avoids_rehashing(tmp_path: Path, monkeypatch) -> None:
    spec = make_spec("unused_g")
    path = tmp_path / spec.filename
    path.write_bytes(CONTENT)
    assert verify(path, spec)
    hashed: list[Path] = []
    real = local_model.sha256_file

    def counting(p: Path, progress=None) -> str:  # type: ignore[no-untyped-def]
        hashed.append(p)
        return real(p, progress)

    monkeypatch.setattr(local_model, "sha256_file", counting)
    assert verify(path, spec)
    assert hashed == []  # the stamp matched
    assert verify(path, spec, force=True)
    assert hashed == [path]
    # a rewritten file (new mtime) is hashed again, and a wrong one is caught
    before = path.stat().st_mtime_ns
    path.write_bytes(CONTENT[:-1] + b"\x00")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # coarse clocks: force a new mtime
    assert not verify(path, spec)
    assert len(hashed) == 2
