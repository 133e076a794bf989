"""Who and how many were studied: the words for people and for animals or cells, whether a text
speaks only of one or the other, who received the intervention, and the group sizes an abstract states."""
from __future__ import annotations

import re
from collections.abc import Sequence

from .quantities import NUM, to_number

PEOPLE_WORDS = (
    r"patients?(?!-)|people|humans|human subjects|subjects|human volunteers|participants?|donors?|"
    r"volunteers?|women|men|children|adults?(?![- ](?:tissues?|cells?|stem|organs?|brains?|hearts?|mice|rats?|animals?|zebrafish|flies|worms|neurogenesis))|infants?|individuals?|persons?|inpatients?|"
    r"outpatients?|pregnant|residents|respondents|healthcare workers|service members|veterans|"
    r"soldiers|athletes|nurses|physicians|students|workers|employees|survivors|(?:non-?)?smokers|mothers|fathers|twins|"
    r"adolescents?|teenagers?|youths?|girls|boys|pupils|newborns|neonates|toddlers"
)
# ("clinical trials" say people were studied, but "32 clinical trials" counts no one)
_HUMAN_WORDS = PEOPLE_WORDS + r"|clinical trials?"
HUMAN = re.compile(rf"\b(?:{_HUMAN_WORDS})\b", re.I)
# Animals by name: a study naming one is not made a study of people by its blood samples or biopsies.
_ANIMAL_WORDS = (
    r"mice|mouse|murine|rats?|rodents?|hamsters?|ferrets?|rabbits?|zebrafish|"
    r"primates?|macaques?|monkeys?|pigs?|piglets?|porcine|canine|bovine|ovine|equine|"
    r"animal models?|in animals|animals|drosophila|c\. elegans|yeast|cats?|dogs?|beagles?|pets?|minks?|bats?|"
    r"sheep|ewes?|lambs?|goats?|horses?|cattle|cows?|calves|chickens?|poultry|xenopus"
)
_NONHUMAN_WORDS = (
    rf"{_ANIMAL_WORDS}|in vitro(?! fertili)|cell lines?|cultured cells?|cell cultures?|xenografts?|organoids?|cells"
)
_ANIMAL = re.compile(rf"\b(?:{_ANIMAL_WORDS})\b", re.I)
NONHUMAN = re.compile(rf"\b(?:{_NONHUMAN_WORDS})\b", re.I)
# Human words in these sentences are about future use, not who was studied.
_SPECULATIVE = re.compile(r"\b(?:may|might|could|potential\w*|therap\w*|future|suggest\w*|implication\w*|translat\w*)\b", re.I)


# How an abstract states how many people it studied: "(n = 30)", "53 patients
# were enrolled", "we randomised 120 adults", "a cohort of 279 patients".
_STATED_SIZE = re.compile(
    rf"(?<![\w.])n\s*=\s*(?P<n>{NUM})"
    rf"|(?<![\d.,])(?P<m>{NUM})\s+(?:\w+\s+){{0,3}}(?:were|was)\s+(?:enrol|recruit|randomi|included|studied|analy)"
    rf"|\b(?:enrolled|recruited|randomi[sz]ed|included|studied|analy[sz]ed|cohort of|total of)\s+(?P<k>{NUM})\s+"
    rf"(?:\w+\s+){{0,2}}?(?:{PEOPLE_WORDS})"
    # "24 adolescents aged 13 to 17 years with depression that ... were randomised"
    rf"|(?<![\d.,])(?P<p>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?P<who>{PEOPLE_WORDS})\b[^.;]{{0,200}}?\b(?:were|was)\s+"
    rf"(?:randomi|enrol|recruit|(?:randomly\s+)?(?:assigned|allocated))",
    re.I,
)


_PEOPLE_COUNT = re.compile(rf"(?<![\d.,])(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:{PEOPLE_WORDS})\b", re.I)


def stated_sizes(sentences: Sequence[str]) -> tuple[list[str], float, str]:
    """The group sizes the abstract states (as written), their total, and the first sentence stating one.
    Groups are often given a sentence each ("(n = 214)" ... "(n = 209)"); counting every stated size,
    screened and enrolled alike, makes the total a generous bound."""
    found, total, first = [], 0.0, ""
    for sentence in sentences:
        for match in _STATED_SIZE.finditer(sentence):
            # ("24 adolescents", not the 200 characters between them and "were randomised")
            found.append(sentence[match.start(): match.end("who")] if match.group("who") else match.group(0))
            total += to_number(next(g for g in match.groups() if g))[0]
            if match.group("who"):
                # ("12 patients with mild disease and 108 patients with severe disease were randomised":
                # the verb is far from the first group; every group the sentence counts is a bound)
                others = [m for m in _PEOPLE_COUNT.finditer(sentence) if m.start() != match.start()]
                found += [m.group(0) for m in others]
                total += sum(to_number(m.group("n"))[0] for m in others)
            first = first or sentence
    return found, total, first


# "Six hundred patients were enrolled": a size in words, which stated_sizes does not read.
SPELLED_SIZE = re.compile(rf"\b(?:hundred|thousand)\s+(?:[\w-]+\s+)?(?:{PEOPLE_WORDS})\b", re.I)


# Cells and tissue taken from people: "T cells in 318 resected colorectal tumours", "white
# blood cells from 412 current smokers" are studies of people, not of cell lines.
_HUMAN_MATERIAL = re.compile(
    r"\b(?:resected|biops(?:y|ies)|surgical specimens?|(?:tumou?r|tissue|blood|serum|plasma|urine) samples?|"
    r"drinkers|tumou?rs from|white blood cells|leukocytes|"
    r"peripheral blood|autopsy|post-?mortem)\b", re.I)


def population(sentences: Sequence[str]) -> str | None:
    """'nonhuman' if only animals/cells were studied, 'human' if only people."""
    nonhuman = any(NONHUMAN.search(s) for s in sentences)
    animals = any(_ANIMAL.search(s) for s in sentences)
    human = any((HUMAN.search(s) or (_HUMAN_MATERIAL.search(s) and not animals)) and not (nonhuman and _SPECULATIVE.search(s))
                for s in sentences)
    if nonhuman and not human:
        return "nonhuman"
    if human and not nonhuman:
        return "human"
    return None


# Who received the intervention: "patients who received them", "transplanted
# ... to mice", "the mice that received ...".  The donors or the disease's
# patients are often human when the recipients are not.
_POPULATION_WORD = rf"(?:{_NONHUMAN_WORDS}|{_HUMAN_WORDS})"
_RECIPIENT = re.compile(
    rf"\b(?P<who>{_POPULATION_WORD})\s+(?:who|that|which)\s+(?:had\s+)?(?:received|were (?:given|treated|fed|transplanted|colonized|colonised))\b"
    rf"|\b(?:transplant\w*|administer\w*|transferr\w*|gave|given|fed)\b[^.;]{{0,150}}?\b(?:to|into)\s+(?:the\s+)?(?:\w+\s+)?(?P<who2>{_POPULATION_WORD})\b",
    re.I,
)


def recipients(sentences: Sequence[str]) -> tuple[str | None, str, str]:
    """('human'|'nonhuman'|None, the recipient word, its sentence)."""
    kinds, word, where = set(), "", ""
    for sentence in sentences:
        for match in _RECIPIENT.finditer(sentence):
            who = match.group("who") or match.group("who2")
            kinds.add("nonhuman" if NONHUMAN.fullmatch(who) else "human")
            word, where = word or who, where or sentence
    return (kinds.pop() if len(kinds) == 1 else None), word, where
