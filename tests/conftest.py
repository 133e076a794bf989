"""Session fixtures: the ../shared data dir and one replay server for the whole run."""

import os
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from replay_server import ReplayServer, default_shared_dir  # noqa: E402
from refcheck.resolve.services import http  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "real_clock: the test needs refcheck's real clock to really sleep "
                                       "(its rate-limit pacing is what a real server measures)")


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject's addopts): one worker more than the cores this process may use. Part of the suite waits
    on worker processes, sockets and fault timeouts, and the extra worker runs other tests meanwhile (2 cores,
    full suite: 3 workers 140 s wall at load 5-8, 2 workers 209 s at load 8-10)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


@pytest.fixture(autouse=True)
def no_real_waits(request):
    """refcheck's real clock (http.REAL_CLOCK, which the command line and refcheck.check use) skips its sleeps:
    time reads as the monotonic clock plus every wait asked for so far, so retry back-off, Retry-After pauses
    and rate-limit spacing are computed and obeyed as in a real run, but cost the suite no wall time.
    Request deadlines and socket timeouts stay real. Tests marked real_clock keep real sleeps."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    lock = threading.Lock()
    skipped = [0.0]

    def now():
        with lock:
            return time.monotonic() + skipped[0]

    def sleep(seconds):
        with lock:
            skipped[0] += max(0.0, seconds)

    clock = http.REAL_CLOCK
    saved = (clock.now, clock.sleep)
    # Clock is frozen so product code cannot change it; the suite swaps its functions for one test.
    object.__setattr__(clock, "now", now)
    object.__setattr__(clock, "sleep", sleep)
    try:
        yield
    finally:
        object.__setattr__(clock, "now", saved[0])
        object.__setattr__(clock, "sleep", saved[1])


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


@pytest.fixture(scope="session", autouse=True)
def rules_verdicts_by_default():
    """Tests see the rules' verdicts unless they ask for a model: exact outputs then stay those of the
    rules whatever model ships, and the suite does not run the model for every claim of every
    document. The default model's own path is tested where a test unsets this (test_default_model.py)."""
    previous = os.environ.get("REFCHECK_NLI_MODEL")
    os.environ["REFCHECK_NLI_MODEL"] = "none"
    yield
    if previous is None:
        os.environ.pop("REFCHECK_NLI_MODEL", None)
    else:
        os.environ["REFCHECK_NLI_MODEL"] = previous


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


def quiet(replay) -> None:
    """An empty request log, no latency, limits or faults, and short fault timings so a test cannot stall on one."""
    replay.reset()
    replay.latency = 0.0
    replay.rate_limits = {}
    replay.fault = None
    replay.fault_sleep = 1.0
    replay.drip_interval = 0.2


@pytest.fixture
def replay_server(replay):
    """The session's replay server, quiet (see quiet) for the test and again after it: a module fixture that uses
    the session's `replay` directly must not meet the faults or limits of whichever test ran before it on
    this worker (under xdist that is any test file)."""
    quiet(replay)
    yield replay
    quiet(replay)


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
