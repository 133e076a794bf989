"""Errors the user can act on. The CLI prints them as one line, exit code 2."""


class RefcheckError(Exception):
    """Base class: anything refcheck reports to the user without a traceback."""


class InputError(RefcheckError):
    """A source could not be read or understood (missing, binary, too large...)."""
