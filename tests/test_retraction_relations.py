"""Retraction and correction signals in Crossref records, beyond the publisher's own `updated-by`.

No recorded Crossref record carries a retraction. Each test copies a real recorded record
(PLOS ONE 10.1371/journal.pone.0033693, whose `updated-by` holds one real publisher correction)
in memory and RELABELS it with the fields, named as Crossref documents them, under test.
"""
import json

import pytest

from refcheck.records import CORRECTED, EXPRESSION_OF_CONCERN, RETRACTED
from refcheck.resolve.services.crossref import work_from_crossref

DOI = "10.1371/journal.pone.0033693"
NOTICE_DOI = "10.1371/journal.pone.0999999"  # invented only as the target of a relabelled update


@pytest.fixture
def recorded(shared_dir) -> dict:
    path = shared_dir / "fixtures" / "crossref_habanero" / f"works_{DOI.replace('/', '_')}.json"
    return json.loads(path.read_text())["message"]


def update(doi: str, kind: str, source: str) -> dict:
    """One Update entry shaped like the recorded one (DOI, type, label, source, updated)."""
    return {"DOI": doi, "type": kind, "label": kind.replace("_", " ").title(), "source": source,
            "updated": {"date-parts": [[2024, 5, 8]]}}


def test_the_recorded_record_carries_only_its_real_correction(recorded):
    assert [u["source"] for u in recorded["updated-by"]] == ["publisher"]
    work = work_from_crossref(recorded)
    assert work.flags == (CORRECTED,) and work.notes == ()


@pytest.mark.parametrize("kind, flag", [("retraction", RETRACTED), ("expression_of_concern", EXPRESSION_OF_CONCERN)])
def test_a_retraction_watch_entry_in_updated_by_flags(recorded, kind, flag):
    relabelled = dict(recorded, **{"updated-by": recorded["updated-by"] + [update(NOTICE_DOI, kind, "retraction-watch")]})
    assert work_from_crossref(relabelled).flags == (CORRECTED, flag)


def test_a_notice_listed_by_publisher_and_retraction_watch_is_one_note_and_no_flag(recorded):
    # The record relabelled as the retraction notice of another work: citing it as the study is worth a word.
    both_sources = [update("10.1/Retracted", "retraction", "publisher"), update("10.1/retracted", "retraction", "retraction-watch")]
    work = work_from_crossref(dict(recorded, **{"updated-by": [], "update-to": both_sources}))
    assert work.flags == () and work.notes == ("this DOI is a retraction notice for doi:10.1/retracted",)


def test_an_in_situ_update_flags_the_record_itself(recorded):
    # Crossmark in-situ update: the record's update-to names its own DOI; it is the retracted work, not a notice.
    relabelled = dict(recorded, **{"updated-by": [], "update-to": [update(DOI.upper(), "retraction", "publisher")]})
    work = work_from_crossref(relabelled)
    assert work.flags == (RETRACTED,) and work.notes == ()


@pytest.mark.parametrize("field, value", [
    # Names that appear in third-party tools but not in Crossref's relations vocabulary: no flag.
    ("relation", {"is-retracted-by": [{"id-type": "doi", "id": NOTICE_DOI, "asserted-by": "object"}]}),
    ("relation", {"has-retraction": [{"id-type": "doi", "id": NOTICE_DOI, "asserted-by": "object"}]}),
    # Documented Crossmark update types that do not put the findings in question.
    ("updated-by", [update(NOTICE_DOI, "new_version", "publisher"), update(NOTICE_DOI, "clarification", "publisher")]),
    ("update-to", [update(NOTICE_DOI, "new_edition", "publisher")]),
    # Malformed entries: no type, or not an object.
    ("updated-by", [{"DOI": NOTICE_DOI}, "retraction"]),
])
def test_only_documented_update_types_flag(recorded, field, value):
    work = work_from_crossref(dict(recorded, **{"updated-by": [], field: value}))
    assert work.flags == () and work.notes == ()
