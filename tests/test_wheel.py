"""The package as a user installs it: a wheel in a fresh virtual environment, used from an empty folder.

``make test`` installs the project in editable mode, which hides packaging mistakes (a
sub-package missing from the wheel, tests shipped into site-packages, a generic top-level
name). This test builds the wheel, installs it with its dependencies into a new venv, and
runs ``missilekg build``, ``query`` and ``serve`` there, far from the source tree.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from tests.servers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from the source tree."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
                   check=True, capture_output=True)  # fmt: skip
    (built,) = out.glob("missilekg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its dependencies installed; returns its bin folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)], check=True, capture_output=True)
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MISSILEKG_STORE")}
    return subprocess.run([str(bin_dir / "missilekg"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def test_the_wheel_holds_one_top_level_name_and_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops - {"missilekg"} == {next(top for top in tops if top.endswith(".dist-info"))}
    assert not [n for n in names if n.startswith("missilekg/tests/") or "/tests/" in n]
    packages = ("ontology", "ontology/queries", "graph", "graph/store", "graph/reasoning", "graph/io", "graph/loading",
                "loaders", "loaders/extract", "server", "server/routes", "server/cli")  # fmt: skip
    for package in packages:
        assert f"missilekg/{package}/__init__.py" in names, package
    for data in ("ontology/missilekg.ttl", "ontology/vocabulary.ttl", "ontology/rules/3-strike-country.rq",
                 "ontology/queries/Q2.rq", "server/templates/index.html", "server/static/vendor/yasgui/yasgui.min.js",
                 "graph/py.typed"):  # fmt: skip
        assert f"missilekg/{data}" in names, data


def test_installed_package_builds_queries_and_serves_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    record = next(site.glob("missilekg-*.dist-info")) / "RECORD"
    ours = {line.split(",", 1)[0].split("/", 1)[0] for line in record.read_text().splitlines()}
    assert ours == {"missilekg", record.parent.name, ".."}  # `..` is the console script in bin/

    empty = tmp_path / "work"
    empty.mkdir()
    missing = _run(installed, "build", cwd=empty)
    assert missing.returncode == 2 and "pass --seeds DIR" in missing.stderr

    built = _run(installed, "build", "--seeds", str(ROOT / "seeds"), cwd=empty)
    assert built.returncode == 0, built.stderr
    assert re.match(r"Built \d+ graphs, \d+ quads", built.stdout), built.stdout
    assert (empty / "data" / "store").is_dir()

    answer = _run(installed, "query", "--name", "Q2", "-o", "csv", cwd=empty)
    assert answer.returncode == 0, answer.stderr
    rows = answer.stdout.strip().splitlines()
    assert len(rows) > 5 and any("Kirby" in row for row in rows)

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MISSILEKG_STORE")}
    log_file = tmp_path / "serve.log"
    with log_file.open("wb") as log:
        server = subprocess.Popen([str(installed / "missilekg"), "serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--workers", "1"], cwd=empty, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not come up: {log_file.read_text()[-2000:]}") from None
                time.sleep(0.3)
        query = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                                       headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        with urllib.request.urlopen(query, timeout=30) as reply:
            assert b'"boolean":true' in reply.read().replace(b" ", b"")
    finally:
        stop(server, grace=15)
