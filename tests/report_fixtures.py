"""The CLI pointed at the replay server, with fast retries, from a directory without a configuration file."""
import pytest

from helpers import FAST_RETRY
from refcheck.resolve import Settings


@pytest.fixture
def env(replay_server, tmp_path, monkeypatch):
    monkeypatch.setenv("REFCHECK_CROSSREF_URL", replay_server.crossref_url)
    monkeypatch.setenv("REFCHECK_EUTILS_URL", replay_server.eutils_url)
    monkeypatch.setenv("REFCHECK_CACHE_DIR", str(tmp_path / "cache"))
    from_env = Settings.from_env.__func__
    # Unrecorded lookups answer 503; the CLI's patient default retries would only slow the tests down.
    monkeypatch.setattr(Settings, "from_env", classmethod(lambda cls, **overrides: from_env(cls, **{"retry": FAST_RETRY, **overrides})))
    monkeypatch.chdir(tmp_path)  # no configuration file from the repository applies
    return replay_server


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
