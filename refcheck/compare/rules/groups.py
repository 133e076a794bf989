"""Groups: a finding the abstract confines to some groups ("in men but not in women") claimed of
another or of every group, and a finding the abstract says held alike claimed of one group only."""
from __future__ import annotations

import re

from ..context import ClaimContext
from ..findings import BRACKETED, findings_in, same_change
from ..text import content_stems, stem
from .clash import Clash


# "increased testosterone in men but not in women", "Amish but not Hutterite dust protected mice".
_BUT_NOT = re.compile(
    r"(?<![\w-])(?P<a>[\w-]{1,40}(?:\s+[\w-]{1,40}){0,2})[\s,]+but\s+not\s+(?:in\s+|among\s+|with\s+|for\s+|by\s+|on\s+)?(?:the\s+|those\s+)?"
    r"(?P<b>[\w-]+(?:\s+[\w-]+){0,2})", re.I)
_NOT_A_GROUP = frozenset(stem(w) for w in
                         "significantly significant statistically all always necessarily completely entirely exclusively "
                         "only both".split())


def _contrasted(contrast: re.Match[str]) -> tuple[set[str], set[str]]:
    """The groups a "but not" contrast sets apart: the word before it and the first one after, of
    the words the two sides do not share ("fine motor skills, but not gross motor skills")."""
    found_in, not_in = content_stems(contrast.group("a")), content_stems(contrast.group("b"))
    return (set([w for w in found_in if w not in not_in][-1:]) - _NOT_A_GROUP,
            set([w for w in not_in if w not in found_in][:1]) - _NOT_A_GROUP)


def sets_apart(sentence: str, claim_stems: set[str]) -> bool:
    """The sentence excludes a group the claim names: "... in men but not in women"."""
    return any((excluded := _contrasted(m)[1]) and excluded <= claim_stems for m in _BUT_NOT.finditer(sentence))


def contrast(context: ClaimContext) -> Clash | None:
    """The abstract finds something for one group "but not" another, and the claim says it of the other
    (unless another sentence says it of that group: "In 120 children, mindfulness improved attention")."""
    claim_stems = set(context.stems)
    claimed = [c for c in findings_in(context.claim) if c.axis != "null"]
    abstract_sentences = context.abstract.finding_sentences
    for sentence in context.finding_anchors:
        # (statistics in brackets stand between a group and its contrast: "skills (OR 2.10), but not ...")
        for contrast in _BUT_NOT.finditer(BRACKETED.sub(" ", sentence)):
            found_in, not_in = _contrasted(contrast)
            if not found_in or not not_in or not not_in <= claim_stems or found_in & claim_stems:
                continue
            for finding in findings_in(sentence):
                if finding.axis == "null":
                    continue
                for c in claimed:
                    if c.axis == finding.axis and c.sign == finding.sign and (c.changed & finding.changed or c.head in finding.target):
                        # (or another clause of this one: "...; at the high dose, it reduced seizures in adults")
                        elsewhere = [x for x in abstract_sentences if x != sentence] + \
                            [part for part in sentence.split(";") if "but not" not in part]
                        if any(d.axis == c.axis and d.sign == c.sign and same_change(c, d) and not_in <= set(content_stems(other))
                               for other in elsewhere for d in findings_in(other)):
                            continue
                        excluded = contrast.group("b")
                        included = re.sub(r"^.*?\b(?:in|among|with|for|by|on)\s+", "", contrast.group("a"))
                        return Clash(f'abstract says "{finding.phrase}" for "{included}" but not "{excluded}"; '
                                     f'claim says "{c.phrase}" of "{excluded}"', sentence)
    return None


# "only in women", "in women, not in men": the claim restricts a finding to one group.
_ONLY_IN = re.compile(r"\bonly (?:in|among|for) (?:the\s+)?(?P<group>[\w-]+)", re.I)
# "similar in men and women", "in both sexes", "regardless of sex": the abstract says it held for all.
_HELD_FOR_ALL = re.compile(
    r"\b(?:(?:similar|consistent|comparable|no (?:significant )?differen\w+)\s+(?:in|among|between|across|for)\s+(?:both\s+)?"
    r"(?P<a>[\w-]+)\s+and\s+(?P<b>[\w-]+)|regardless of (?P<r>\w+)|irrespective of (?P<i>\w+))", re.I)
_GROUPS_OF = {
    "sex": frozenset(stem(w) for w in "women men woman man female females male males girls boys".split()),
    "gender": frozenset(stem(w) for w in "women men woman man female females male males girls boys".split()),
    "age": frozenset(stem(w) for w in "older younger elderly children adults adolescents young old".split()),
}
_CONFINED = re.compile(r"\bonly (?:in|among|for)\b|\bbut not\b", re.I)
_FINDING_WORDS = re.compile(r"\b(?:associations?|effects?|benefits?|reductions?|risks?|links?|protection|results|findings|improvements?)\b", re.I)


def restriction(context: ClaimContext) -> Clash | None:
    """The claim confines a finding to one group ("seen only in women"); the abstract says it held
    alike in that group and another ("Associations were similar in men and women")."""
    claim = context.claim
    only = _ONLY_IN.search(claim)
    if not only or not context.on_topic:
        return None
    group = stem(only.group("group").lower())
    # (what changed, read without the group: "improved memory [only in older adults]")
    changed = {s for d in findings_in(claim[: only.start()]) if d.axis != "null" for s in d.changed}
    for sentence in context.abstract.finding_sentences:
        if not _FINDING_WORDS.search(sentence) or re.search(r"\b(?:baseline|characteristics)\b", sentence, re.I) \
                or _CONFINED.search(sentence):
            continue
        if changed and not changed & set(content_stems(sentence)) and not re.match(r"\s*(?:associations?|effects?|results|findings) (?:were|was)\b", sentence, re.I):
            # ("Effects on heart rate were similar ..." is about heart rate, not the claim's finding)
            continue
        for held in _HELD_FOR_ALL.finditer(sentence):
            groups = {stem(g.lower()) for g in (held.group("a"), held.group("b")) if g}
            # "regardless of sex" holds for men and women alike, "regardless of age" for old and young
            across = (held.group("r") or held.group("i") or "").lower()
            if group in groups or group in _GROUPS_OF.get(across, ()):
                return Clash(f'claim says "{only.group(0).lower()}"; the abstract says "{held.group(0)}"', sentence)
    return None


# "in all three cell lines", "both doses", "with and without dementia alike": the claim says a
# finding held for every group.
_FOR_EVERY_GROUP = re.compile(
    # (not "for each extra cup": a dose, not a group)
    r"\b(?:(?:in|across|among) (?:all|both|every|each)\b|all (?:two|three|four|five|six|\d+)\b|"
    r"both (?:doses|groups|sexes|arms|concentrations)|regardless of|irrespective of|alike\b)", re.I)
_BUT_NOT_GROUP = re.compile(r"\bbut not (?:significantly |statistically significantly )?(?:in|with|among|for|at)\b", re.I)


def every_group(context: ClaimContext) -> Clash | None:
    """The claim says a finding held in every group; a sentence about it says it held in some
    "but not in" another ("synergy in PANC-1 and MIA PaCa-2 cells but not in BxPC-3 cells")."""
    claim = context.claim
    every = _FOR_EVERY_GROUP.search(claim)
    if not every or not context.on_topic:
        return None
    claim = re.sub(r"'s\b", "", claim)  # ("gemcitabine's effect" is about gemcitabine)
    claim_stems = set(content_stems(claim))
    # The sentence must be about what the claim says changed ("improved mood", not "improved sleep").
    claimed = [d for d in findings_in(claim) if d.axis != "null"]
    for sentence in context.abstract.finding_sentences:
        but_not = _BUT_NOT_GROUP.search(sentence)
        stems = set(content_stems(sentence))
        # ("reduced LDL cholesterol in both sexes" is not about "raised HDL cholesterol in men but not in women")
        found = findings_in(sentence)
        same_finding = any(d.axis == c.axis and d.sign == c.sign and same_change(c, d)
                           and len(c.changed & d.changed) >= min(2, len(c.changed))
                           for d in found for c in claimed) if claimed and found else len(claim_stems & stems) >= 3
        if but_not and len(claim_stems & stems) >= 2 and same_finding:
            # (quoted to the end of its clause, decimals kept: "but not at 0.5 mg")
            excluded = re.match(r"(?:[^(;.]|\.(?=\d)){1,80}", sentence[but_not.start():]).group(0).strip()
            return Clash(f'claim says "{every.group(0).lower()}"; the abstract says "{excluded}"', sentence)
    return None
