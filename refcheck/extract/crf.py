"""Reference-string fields by sequence labelling: a CRF over whitespace tokens with layout features,
as AnyStyle and GROBID do, trained on AnyStyle's hand-labelled core set (scripts/train_refparse.py).

Each token gets one of AnyStyle's labels (author, title, journal, volume, pages, date, ...); the
fields are read from the runs of tokens that share a label. The model ships beside this module
(refparse.crfsuite); python-crfsuite (CRFsuite's own binding: small, compiled, maintained) is
imported on first use so that `refcheck --help` stays fast.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("refparse.crfsuite")
MAX_TOKENS = 160  # a longer "reference" is prose; the tail would only cost time

_TOKEN = re.compile(r"\S+")
_YEAR = re.compile(r"^\(?(?:1[5-9]\d{2}|20\d{2})[a-z]?\)?[.,;:]?$")
_PAGE_RANGE = re.compile(r"\d+\s?[-\u2010-\u2014]\s?\d+")
_VOLUME_ISSUE = re.compile(r"^\d{1,5}\(\d{1,5}[^)]{0,6}\)")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}[,;]?$|^[A-Z]{1,3}[,.;]?$|^[A-Z]\.-[A-Z]\.[,]?$")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december".split())
_JOURNAL_WORDS = frozenset(
    """journal j jour proc proceedings rev review reviews trans transactions ann annals acta bull bulletin res research
    med medicine sci science sciences int intl international am natl nat lett letters rep reports arch archives clin
    biol chem phys psychol soc comput commun eng stat math econ quart q""".split())
_PUBLISHER_WORDS = frozenset("press publisher publishers publishing verlag university univ books inc ltd co wiley springer elsevier".split())
_ROLE_WORDS = frozenset("ed ed. eds eds. editor editors edited (ed.) (eds.) (ed) (eds)".split())


# Inside a whitespace token, where MEDLINE glues fields together: "2009;27(6):1421-32." is
# "2009;" "27" "(6):" "1421-32." (the labelled set writes them apart).
_GLUE = re.compile(r"(?<=[;:])(?=\d)|(?<=\d)(?=\()")


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: whitespace-separated, MEDLINE's glued source split."""
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        for cut in _GLUE.finditer(match.group(0)):
            if cut.start() > 0:
                spans.append((start, match.start() + cut.start()))
                start = match.start() + cut.start()
        spans.append((start, match.end()))
        if len(spans) >= MAX_TOKENS:
            break
    return spans[:MAX_TOKENS]


_SHAPE_TABLE = str.maketrans(
    {**{chr(c): "X" for c in [*range(65, 91), *range(0xC0, 0xDF)]},
     **{chr(c): "x" for c in [*range(97, 123), *range(0xDF, 0x100)]},
     **{chr(c): "d" for c in range(48, 58)}})
_RUN = re.compile(r"(.)\1{2,}")
_QUOTE = re.compile("[\"\u201c\u201d]")
_COLON_NUMBER = re.compile(r":\d")


def _shape(word: str) -> str:
    """"Smith," -> "Xxx,", "1421-32." -> "dd-dd.": letters and digits by kind, runs cut to two."""
    return _RUN.sub(r"\1\1", word.translate(_SHAPE_TABLE))[:8]


def _token_features(word: str) -> dict[str, str | bool]:
    core = word.strip(".,;:()[]\"'\u201c\u201d\u2018\u2019")
    lower = core.lower()
    features: dict[str, str | bool] = {
        "w": lower[:20], "s3": lower[-3:], "p2": lower[:2], "shape": _shape(word),
        "last": word[-1:] if not word[-1:].isalnum() else "_", "first": word[:1] if not word[:1].isalnum() else "_",
    }
    flags = {
        "cap": core[:1].isupper(), "caps": core.isupper() and len(core) > 1, "digits": core.isdigit(),
        "year": bool(_YEAR.match(word)), "hasdigit": any(ch.isdigit() for ch in core),
        "initials": bool(_INITIALS.match(word)), "range": bool(_PAGE_RANGE.search(word)),
        "volissue": bool(_VOLUME_ISSUE.match(word)), "month": lower[:4].rstrip(".") in _MONTHS or lower in _MONTHS,
        "journalword": lower.rstrip(".") in _JOURNAL_WORDS, "publisherword": lower in _PUBLISHER_WORDS,
        "role": word.lower() in _ROLE_WORDS, "url": lower.startswith(("http", "www.", "doi:", "10.")),
        "etal": lower in ("et", "al", "al."), "and": lower in ("and", "&"), "in": word in ("In", "In:"),
        "quote": bool(_QUOTE.search(word)), "paren": word.startswith("(") or word.endswith((")", "),", ").")),
        "colonnum": bool(_COLON_NUMBER.search(word)), "semicolon": ";" in word,
    }
    features.update({name: True for name, on in flags.items() if on})
    return features


def features(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """CRFsuite attribute strings for each token: its own features, its neighbours', and where it stands
    (share of the string before it, and how many sentence-like stops come before it)."""
    words = [text[s:e] for s, e in spans]
    own = [_token_features(word) for word in words]
    count = len(words)
    stops = 0
    result = []
    for index, word in enumerate(words):
        attributes = [f"{name}={value}" if value is not True else name for name, value in own[index].items()]
        attributes.append(f"pos={min(4, index * 5 // max(count, 1))}")
        attributes.append(f"stops={min(stops, 5)}")
        if index == 0:
            attributes.append("BOS")
        if index == count - 1:
            attributes.append("EOS")
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if 0 <= other < count:
                near = own[other]
                attributes.append(f"{offset}:w={near['w']}")
                attributes.append(f"{offset}:shape={near['shape']}")
                attributes.append(f"{offset}:last={near['last']}")
                for flag in ("year", "initials", "cap", "hasdigit", "etal", "journalword"):
                    if near.get(flag):
                        attributes.append(f"{offset}:{flag}")
        result.append(attributes)
        if word.endswith((".", ":", "?", "!")) and not own[index].get("initials"):
            stops += 1
    return result


_tagger = None
_tagger_lock = threading.Lock()


def available() -> bool:
    return MODEL_PATH.exists()


def _load_tagger():
    global _tagger
    if _tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_PATH))
        _tagger = tagger
    return _tagger


def label(text: str, tagger=None) -> list[tuple[int, int, str]]:
    """(start, end, label) for each token of a reference string (the shipped model unless a tagger is given)."""
    spans = tokens(text)
    if not spans:
        return []
    with _tagger_lock:  # a CRFsuite tagger holds its current sequence: one at a time
        labels = (tagger or _load_tagger()).tag(features(text, spans))
    return [(s, e, tag) for (s, e), tag in zip(spans, labels)]


def segments(text: str, tagger=None) -> dict[str, list[str]]:
    """The text of each run of tokens sharing a label, by label, in order."""
    runs: dict[str, list[str]] = {}
    previous, start, end = None, 0, 0
    for s, e, tag in label(text, tagger) + [(len(text), len(text), "")]:
        if tag != previous:
            if previous is not None:
                runs.setdefault(previous, []).append(text[start:end])
            previous, start = tag, s
        end = e
    return runs
