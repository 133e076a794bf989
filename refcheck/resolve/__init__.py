"""The resolve stage: citations' identifiers -> Resolutions (is the cited work real, and what is it).

    settings.py   Settings: service URLs, contact, cache, timeouts, retries (one object per run)
    resolver.py   Resolver: cache first, then the services, batched, each identifier once per run
    judge.py      pure: what the lookups answered -> each citation's verdict
    cache.py      the persistent lookup cache (its public interface is in its docstring)
    cache_io.py   cache import (PubMed XML, Crossref JSON) and export (JSON Lines)
    services/     one module per authority (crossref, pubmed) behind one small interface
"""
from .resolver import Resolver
from .settings import Settings

__all__ = ["Resolver", "Settings"]
