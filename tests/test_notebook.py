"""The example notebook runs, cell by cell, against a live endpoint (nbclient, a real kernel)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from missilekg.graph.loading.build import build
from missilekg.graph.notebook import open_graph
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS
from tests.servers import running_server

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "competency-questions.ipynb"


def test_local_and_remote_frames_agree(tmp_path):
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    build(store, SEEDS)
    store.close()
    local = open_graph(f"oxigraph:{path}").named("Q2")
    with running_server(path) as url:
        remote = open_graph(f"{url}/sparql").named("Q2")
    assert list(local.dtypes) == list(remote.dtypes)
    key = ["statement", "value"]
    assert local.sort_values(key).reset_index(drop=True).equals(remote.sort_values(key).reset_index(drop=True))


def test_notebook_executes_against_a_live_server(tmp_path, monkeypatch):
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    build(store, SEEDS)
    store.close()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with running_server(path) as url:
        monkeypatch.setenv("MISSILEKG_ENDPOINT", f"{url}/sparql")
        client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}})  # fmt: skip
        client.execute(env=dict(os.environ))
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot of claimed counts is drawn"
    (tmp_path / "executed.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
