"""The labels a checked citation and claim carry: citation statuses, flags on a resolved work, claim verdicts.

Stable: the JSON contract, --fail-on and the exit codes use them. They live apart from records.py (which
re-exports them) so that the command line can name them in --help without building the record classes.
"""

# Citation statuses.
VERIFIED = "VERIFIED"
METADATA_MISMATCH = "METADATA_MISMATCH"
WRONG_WORK = "WRONG_WORK"
NOT_FOUND = "NOT_FOUND"
UNRESOLVED = "UNRESOLVED"
CITATION_STATUSES = (VERIFIED, METADATA_MISMATCH, WRONG_WORK, NOT_FOUND, UNRESOLVED)

# Flags on a resolved work.
RETRACTED = "RETRACTED"
CORRECTED = "CORRECTED"
EXPRESSION_OF_CONCERN = "EXPRESSION_OF_CONCERN"

# Claim verdict vocabulary.
SUPPORTED = "SUPPORTED"
PARTIALLY_SUPPORTED = "PARTIALLY_SUPPORTED"
NOT_SUPPORTED = "NOT_SUPPORTED"
CONTRADICTED = "CONTRADICTED"
CANNOT_CHECK = "CANNOT_CHECK"
CLAIM_VERDICTS = (SUPPORTED, PARTIALLY_SUPPORTED, NOT_SUPPORTED, CONTRADICTED, CANNOT_CHECK)
