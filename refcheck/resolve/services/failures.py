"""The one error type of every service call: a lookup that could not be answered (a transient
failure, retried, or a final one). Its own module so the HTTP layer (http.py) and the bounded reader
(answers.py) can both raise it without importing each other."""
from __future__ import annotations


class ServiceError(Exception):
    """A lookup that could not be answered. Never means "does not exist"."""

    def __init__(self, reason: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
