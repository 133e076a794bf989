"""Session fixtures: the ../shared data dir and one replay server for the whole run."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from replay_server import ReplayServer, default_shared_dir  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """No test may read or write the repository's committed cache/, the user's cache or the user's
    registry of own caches (XDG_CACHE_HOME)."""
    previous = {name: os.environ.get(name) for name in ("REFCHECK_CACHE_DIR", "XDG_CACHE_HOME")}
    os.environ["REFCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("refcheck-cache"))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache-home"))
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = default_shared_dir()
    if not (path / "fixtures").is_dir():
        reason = f"recorded fixtures missing at {path / 'fixtures'} (set REFCHECK_SHARED_DIR)"
        # In CI a missing data dir is a broken setup, not a reason to pass quietly.
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def replay(shared_dir):
    with ReplayServer(shared_dir) as server:
        yield server


@pytest.fixture
def replay_server(replay):
    """The session's replay server with an empty request log, no latency, limits or faults, and
    short fault timings so a test cannot stall on one."""
    replay.reset()
    replay.latency = 0.0
    replay.rate_limits = {}
    replay.fault = None
    replay.fault_sleep = 1.0
    replay.drip_interval = 0.2
    return replay


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a real PostgreSQL server for the shared-cache and fleet tests: the throwaway one .ci/run starts
    ($REFCHECK_TEST_PG_URL). Without it the tests skip, except in CI, where that is a broken setup."""
    url = os.environ.get("REFCHECK_TEST_PG_URL")
    reason = ("no PostgreSQL server for this test: set REFCHECK_TEST_PG_URL "
              '(eval "$(scripts/throwaway_postgres.sh start)" starts a throwaway one)')
    try:
        import psycopg  # noqa: F401
    except ImportError:
        url, reason = None, "psycopg is not installed (pip install -e '.[test]')"
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture
def postgres_url(postgres_server):
    """A database of its own for one test, on the session's server; dropped afterwards."""
    import uuid

    import psycopg
    from psycopg import sql

    name = f"refcheck_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
