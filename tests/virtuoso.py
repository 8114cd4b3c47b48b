"""A private Virtuoso Open Source instance on loopback, from Debian's packages, for tests and benchmarks.

``tests/install-virtuoso.sh`` installs ``virtuoso-opensource`` (the package's own
service is not used). :func:`running_virtuoso` writes a configuration with its
own database folder and free ports, starts ``virtuoso-t`` in the foreground,
lets the anonymous SPARQL user update (loopback only), and stops it afterwards.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ROOT, free_port, stop

VIRTUOSO = Path("/usr/bin/virtuoso-t")
ISQL = Path("/usr/bin/isql-vt")
VAD = "/usr/share/virtuoso-opensource-7/vad"

CONFIG = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}, {vad}
VADInstallDir = {vad}/
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
MaxClientConnections = 20

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 10
MaxClientConnections = 20
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10
MaxSortedTopRows = 100000000
"""

GRANTS = (
    'grant SPARQL_UPDATE to "SPARQL";'
    " DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
    ' grant execute on DB.DBA.SPARQL_INSERT_DICT_CONTENT to "SPARQL";'
    ' grant execute on DB.DBA.SPARQL_DELETE_DICT_CONTENT to "SPARQL";'
)


@dataclass(frozen=True)
class Virtuoso:
    """A running instance: its SPARQL endpoint, Graph Store endpoint and SQL port."""

    sparql: str
    graph_store: str
    sql_port: int
    folder: Path

    def isql(self, statement: str) -> str:
        """Run SQL as dba (loopback only)."""
        done = subprocess.run([str(ISQL), str(self.sql_port), "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"isql failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        return done.stdout


def ensure_installed() -> None:
    """Install Debian's virtuoso-opensource with the project's script if it is not there."""
    if VIRTUOSO.exists() and ISQL.exists():
        return
    done = subprocess.run([str(ROOT / "tests" / "install-virtuoso.sh")], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not VIRTUOSO.exists():
        raise RuntimeError(f"installing virtuoso-opensource failed:\n{done.stderr[-2000:]}")


@contextmanager
def running_virtuoso(folder: Path, *, memory_gib: float = 1.0) -> Iterator[Virtuoso]:
    """Start a Virtuoso with its database in ``folder``; yield it; stop it."""
    ensure_installed()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    buffers = int(memory_gib * 1024 * 1024 * 1024 / 8192 * 0.66)
    (folder / "virtuoso.ini").write_text(
        CONFIG.format(
            db=folder, vad=VAD, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=buffers * 3 // 4
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen([str(VIRTUOSO), "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{http_port}"
    instance = Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud", sql_port, folder)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log_file = folder / "virtuoso.log"
                log = log_file.read_text(errors="replace")[-3000:] if log_file.exists() else ""
                raise RuntimeError(f"virtuoso exited: {log}")
            try:
                with urllib.request.urlopen(f"{instance.sparql}?query=ASK%7B%7D", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso did not come up in 120 s")
            time.sleep(0.3)
        instance.isql(GRANTS)
        yield instance
    finally:
        stop(process, grace=60)
