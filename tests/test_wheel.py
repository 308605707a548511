"""The built wheel ships every prompt template, and an installed copy can render them.

An editable checkout falls back to the repository's ``prompts/`` folder, which would hide a
packaging mistake; so the wheel is unpacked elsewhere and used from a fresh interpreter.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None or importlib.util.find_spec("hatchling") is None:
        pytest.skip("needs the 'build' and 'hatchling' packages (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("dist")
    # no isolation: the build backend is already installed, and no network is needed
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("quotecheck-*.whl")
    return built


def test_wheel_contains_every_prompt(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "quotecheck/prompts/attribute_item.j2" in names
    templates = sorted(p.name for p in (REPO / "prompts").iterdir() if p.is_file())
    assert templates, "the repository has no prompts/ folder"
    missing = [t for t in templates if f"quotecheck/prompts/{t}" not in names]
    assert missing == []
    assert "quotecheck/llm/prompts.py" in names and "quotecheck/__init__.py" in names
    assert "quotecheck/text/learned_cues.tsv" in names  # the lexicon reads it at import


def test_installed_copy_renders_templates(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import quotecheck.llm.prompts as p\n"
        "text, sha = p.render('attribute_item')\n"
        "user, _ = p.render('attribute_user', marked_text='[Q1]“Hi,” she said.', ids=['Q1'])\n"
        "print(json.dumps({'file': p.__file__, 'sha': sha, 'text': text, 'user': user}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert Path(got["file"]).is_relative_to(site)  # the unpacked copy, not the checkout
    source = (REPO / "prompts" / "attribute_item.j2").read_bytes()
    assert got["sha"] == hashlib.sha256(source).hexdigest()[:12]
    assert "Passage: [Q]" in got["text"]
    assert "[Q1]“Hi,” she said." in got["user"] and "Q1" in got["user"].splitlines()[-1]
