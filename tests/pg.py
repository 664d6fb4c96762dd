"""A throwaway PostgreSQL 15 + PostGIS cluster for the tests, on a unix socket in a temporary directory.

:func:`postgres_cluster` (a session fixture, imported by ``conftest.py``) runs Debian's
``initdb`` in a fresh directory, starts the server with no TCP listener (its socket in that
directory), and stops and removes it after the session. PostgreSQL refuses to run as root:
as root, the cluster belongs to the ``postgres`` system user (created by Debian's package)
and its commands run through ``runuser``.

Without PostgreSQL 15 and PostGIS the tests that need it skip, naming the command that
installs them; under ``CI=true`` they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
INSTALL = "make postgres (Debian: apt-get install postgresql-15-postgis-3)"
SUPERUSER = "postgres"


def missing_postgres() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    if not (PG_BIN / "initdb").exists():
        return f"needs PostgreSQL 15 ({PG_BIN / 'initdb'}); install it with: {INSTALL}"
    if not POSTGIS_CONTROL.exists():
        return f"needs PostGIS for PostgreSQL 15 ({POSTGIS_CONTROL}); install it with: {INSTALL}"
    return None


def require_postgres() -> None:
    """Skip the test (fail it under CI=true) when PostgreSQL + PostGIS are not installed."""
    from conftest import skip_or_fail

    reason = missing_postgres()
    if reason:
        skip_or_fail(reason)


@dataclass
class Cluster:
    """A running throwaway cluster: URLs of its databases, and new ones on demand."""

    root: Path
    owner: str | None  # the system user the server runs as (None: this process's user)
    names: itertools.count = field(default_factory=itertools.count)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *args: str) -> str:
        """Run a PostgreSQL client program (as the cluster's owner), failing loudly."""
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr or done.stdout}")
        return done.stdout

    def url(self, dbname: str, user: str = SUPERUSER) -> str:
        return f"postgresql:///{dbname}?host={self.root}&user={user}"

    def sql(self, statement: str, dbname: str = "postgres") -> str:
        return self.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.root), "-U", SUPERUSER,
                        "-d", dbname, "-At", "-c", statement)

    def new_database(self, template: str | None = None, owner: str = SUPERUSER) -> str:
        """A new, empty database (a copy of ``template`` when given); its name."""
        name = f"test_{next(self.names)}"
        self.sql(f'CREATE DATABASE {name} OWNER "{owner}"' + (f" TEMPLATE {template}" if template else ""))
        return name


def start_cluster() -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="geomap-pg-"))
    owner = SUPERUSER if os.geteuid() == 0 else None
    if owner:
        shutil.chown(root, owner)
    cluster = Cluster(root, owner)
    cluster.run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8")
    options = (f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=50")
    cluster.run("pg_ctl", "-D", str(cluster.data), "-l", str(root / "server.log"), "-o", options, "-w", "start")
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    try:
        cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A running PostgreSQL 15 + PostGIS cluster for the session (skips/fails without one, see above)."""
    require_postgres()
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
