"""Where and how a run looks things up: service URLs, contact, cache, timeouts, retries."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..config import request_timeout
from .services import crossref as crossref_service
from .services import pubmed as pubmed_service
from .services.http import RetryPolicy


@dataclass(frozen=True)
class Settings:
    """Where and how to look things up. Defaults come from the environment."""

    crossref_url: str = crossref_service.DEFAULT_URL
    eutils_url: str = pubmed_service.DEFAULT_URL
    mailto: str | None = None
    ncbi_api_key: str | None = None
    cache_dir: str | None = None
    cache_url: str | None = None  # postgresql://...: a cache and rate limits shared by a fleet (postgres.py, shared_limits.py)
    use_cache: bool = True
    offline: bool = False
    refresh: bool = False
    timeout: float = 20.0
    retry: RetryPolicy = RetryPolicy()
    # the entailment model claims are compared with: None for refcheck's own, a model directory, a
    # Hugging Face id (downloaded once into the cache directory), or "none" for the rules alone
    nli_model: str | None = None

    def __post_init__(self) -> None:
        # The CLI checks --timeout too; this catches refcheck.check(..., timeout=0) from Python.
        request_timeout(self.timeout)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = {
            "crossref_url": os.environ.get("REFCHECK_CROSSREF_URL") or crossref_service.DEFAULT_URL,
            "eutils_url": os.environ.get("REFCHECK_EUTILS_URL") or pubmed_service.DEFAULT_URL,
            "mailto": os.environ.get("REFCHECK_MAILTO") or None,
            "ncbi_api_key": os.environ.get("NCBI_API_KEY") or None,
            "cache_url": os.environ.get("REFCHECK_CACHE_URL") or None,
        }
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)
