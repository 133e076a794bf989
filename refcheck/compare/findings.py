"""The findings a sentence states: each cue of a direction ("increased", "reduced", "improved", "no
difference", "associated with", "caused") with what changed, what brought it about, what it is compared
with, and any negation or loss that turns it round; and whether two findings are about the same change.
Cached per sentence: a document's claims meet the same abstract sentences many times."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .people import HUMAN, NONHUMAN
from .text import GENERIC_CONTEXT, content_stems, stem, words

# Direction cues grouped by the axis along which they can be opposed.
_DIRECTION_CUES = {
    ("amount", +1): r"increas\w*|induc(?:e|es|ed|ing)|stimulat(?:e|es|ed|ing)|higher|elevat\w*|rais(?:e|ed|es|ing)|ris(?:e|es|ing)|rose|greater|enhanc\w*|boost\w*|upregulat\w*|promot(?:e|es|ed|ing)|more likely|longer|more (?:common|frequent)(?:ly)?|"
                        r"positively (?:associated|correlated|related)|positive (?:association|correlation|relationship)",
    ("amount", -1): r"decreas\w*|reduc(?:e|es|ed|ing|tion|tions)(?! ejection fraction)|lower(?:ed|s|ing)?(?! limit)|declin\w*|fewer|diminish\w*|suppress(?:es|ed|ion)?|inhibit(?:s|ed|ion)?|attenuat\w*|downregulat\w*|less likely|shorter|less (?:common|frequent)(?:ly)?|"
                        r"(?:inversely|negatively) (?:associated|correlated|related)|(?:inverse|negative) (?:association|correlation|relationship)",
    ("effect", +1): r"improv\w*|better|benefi\w*|effective|efficacious|protect(?:s|ed|ive)?|prevent(?:s|ed)?",
    ("effect", -1): r"worsen\w*|worse|harm\w*|ineffective|deteriorat\w*|exacerbat\w*|impair(?:s|ed)?",
    # An association, with no direction of its own: opposed only by "no association".
    ("link", +1): r"(?<!not )(?:associated|linked|correlated) (?:with|to)|tied to",
    # Only ever opposed by a negation ("is not required", "did not cause") or its antonym.
    ("need", +1): r"required|necessary|essential|indispensable",
    ("need", -1): r"dispensable|unnecessary|not needed",
    # Whether something is made or there at all: opposed only by a negation ("is not synthesised by
    # plants" against "is made by plants").
    ("presence", +1): r"synthesi[sz](?:e|es|ed|ing)|produc(?:e|es|ed|ing)|made|mak(?:e|es|ing)|generat(?:e|es|ed|ing)|"
                      r"secret(?:e|es|ed|ing)|express(?:es|ed|ing)?|detect(?:ed|able)",
    # Having a part in it at all: opposed by "no role", "not involved".
    ("role", +1): r"(?:causal|key|central|important|critical|crucial|major|essential|pivotal) role|plays? a role|(?<!not )involved in|contribut(?:e|es|ed|ing) to",
    ("cause", +1): r"caus(?:ed|ing)|(?<!all )(?<!of )(?<!the )(?<!common )(?<!leading )(?<!main )causes?(?! of)|"
                   r"le(?:d|ads?) to|result(?:s|ed)? in",
}
# Any word of a change, whichever way: "increased", "lowered", "improves", "prevented".
CHANGE_WORDS = "|".join(_DIRECTION_CUES[axis, sign] for axis, sign in _DIRECTION_CUES if axis in ("amount", "effect"))
_DIRECTED_LINK = re.compile(
    rf"\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:{_DIRECTION_CUES['amount', 1]}|{_DIRECTION_CUES['amount', -1]}|"
    rf"{_DIRECTION_CUES['effect', 1]}|{_DIRECTION_CUES['effect', -1]}|"
    r"slower|faster|poorer|smaller|larger|earlier|later|stronger|weaker|more|less)\b", re.I)
_CUE_PATTERNS = {key: re.compile(rf"\b(?:{body})\b", re.I) for key, body in _DIRECTION_CUES.items()}
NULL_FINDING = re.compile(
    r"\b(?:no (?:statistically )?significant(?:ly)? \w+|not (?:statistically )?significant(?:ly)?(?: \w+)?|"
    r"(?:did|does|do|was|were) not (?:significantly )?(?:differ|change|improve|reduce|increase|decrease|affect|alter|lower|prevent)\w*|"
    r"no (?:[\w-]+ ){0,3}?"
    r"(?:difference|effect|association|correlation|relationship|benefit|change|improvement|reduction|increase)s?|"
    r"not associated|(?:similar|comparable) (?:between|in (?:the two|both|all) (?:groups|arms))|"
    # "we found similar concentrations of oligomers in wild-type and mutated ...": no difference
    r"(?:similar|comparable|equal|identical)(?= (?:amounts?|concentrations?|levels?|numbers?|rates?|proportions?|frequenc(?:y|ies)) of)|"
    r"(?:was|were) (?:similar|comparable)(?= *[.;,]| +(?:between|across|in (?:the two|both|all) (?:groups|arms))\b)|unchanged|unaffected|"
    r"not affected|no evidence|failed to|no (?:[\w-]+ )?(?:involvement|role)|not involved)\b",
    re.I,
)
NEGATION = re.compile(r"\b(?:not|no|never|without|neither|nor|cannot|n't|fail(?:ed|s)? to|unable to|inability to|lack(?:ed|s)? of)\b", re.I)


@dataclass(frozen=True)
class Direction:
    axis: str  # "amount" | "effect" | "need" | "cause" | "link" | "null"
    sign: int  # +1, -1, or 0 for "no (significant) difference"
    phrase: str
    target: frozenset[str]  # content stems around the cue: who or what the finding is about
    changed: frozenset[str]  # the part of the target that changes ("reduced [PGE2 levels]")
    agent: frozenset[str]  # the rest: what brings the change about ("[aspirin] reduced")
    head: str  # the changed word nearest the cue ("reduced [urinary] ...", "[production] was reduced by")
    context: str  # the words just before the cue ("depletion of 53BP1 ...")
    position: int  # where the cue starts in its sentence
    baseline: frozenset[str]  # what it is compared with ("lower ... than [placebo]"), if said
    loss: str  # the loss or lack it is said of ("depletion" of X, "non-" drinkers), or ""
    lost_what: frozenset[str]  # the stems around the loss: what was lost ("vitamin D" in "vitamin D deficiency")


# After these the words name the agent, the population or the time, not what changed:
# "reduced by aspirin", "increased among young MSM", "were unaffected in ...".
_PASSIVE_AGENT = re.compile(r"\s+(?:by|among|across|within|during|throughout)\b", re.I)
# "ferritin was elevated in patients with severe disease", "higher in women": where, not what
# ("an increase in incidence" names what changed).
_STATE_IN = re.compile(r"\s+in\b", re.I)
BRACKETED = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?")
# "lower in the denervation group than in the control group" says the opposite of "lower in the
# control group than ...": a comparison's baseline must be the same on both sides.
_BASELINE_AFTER = re.compile(r"\b(?:than|compared (?:with|to)|versus|vs\.?|relative to)\s+([^,;]{1,40})", re.I)
_BASELINE_BEFORE = re.compile(r"\b(?:compared (?:with|to)|relative to|versus|vs\.?)\s+([^,;]{1,40})", re.I)
_ELIDED_SUBJECT = re.compile(r"\b(?:but|and|yet|whereas|while)\s+(?:(?:is|are|was|were|be|been|has|have|had|not|also|"
                             r"only|then|never|neither|nor)\s+)+$", re.I)
_CLAUSE_START = re.compile(r"[,;:()]|\b(?:but|whereas|while|although|and|yet)\b", re.I)
_INTRANSITIVE = re.compile(r"unchanged|unaffected|not affected", re.I)
# What is lost before the cue turns its direction round: "depletion of 53BP1 enhanced HR"
# says 53BP1 inhibits HR. Findings with and without such a loss are not compared.
_FUNCTION_LOST = (r"deplet\w*|knock(?:down|out|ed down|ed out)\w*|loss|lack|absence|deficien\w*|silenc\w*|"
                  r"delet\w*|ablat\w*|inhibition|inhibiting|blockade|null|-/-")
# A group defined by what it did not have: "children who did not receive prophylaxis", "non-drinkers",
# "never-smokers", "untreated". Unlike a lost function it is not turned round, only not compared.
_LACKING_GROUP = (r"(?:who|that) (?:\w+ )?(?:not|never)\b|non-?(?:drinkers?|smokers?|users?|vaccinated|exposed|treated|carriers?)\b|"
                  r"never-|without|untreated|unexposed")
# Either, looked for before (or just after) a finding; and the first alone, to tell them apart.
_LOSS_OR_LACK = re.compile(rf"\b(?:{_FUNCTION_LOST}|{_LACKING_GROUP})", re.I)
_LOST_FUNCTION_ONLY = re.compile(rf"(?:{_FUNCTION_LOST})$", re.I)
# Level words before a finding ("low vitamin D levels were associated with ...").
_AGENT_LEVELS = {
    # ("high-dose", "low-income" name a group, not a level of the agent)
    +1: re.compile(rf"\b(?:high|excess\w*|{_DIRECTION_CUES['amount', +1]})\b(?!-)", re.I),
    -1: re.compile(rf"\b(?:low|poor|insufficien\w*|{_DIRECTION_CUES['amount', -1]})\b(?!-)", re.I),
}


def _agent_level(context: str) -> frozenset[int]:
    """The level words before a finding ("low vitamin D levels were associated with ..."): {-1}."""
    return frozenset(sign for sign, pattern in _AGENT_LEVELS.items() if pattern.search(context))


@lru_cache(maxsize=256)
def _population_stems(sentence: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(sentence) if HUMAN.fullmatch(w) or NONHUMAN.fullmatch(w))


def _word_start(text: str, index: int) -> int:
    """index moved back to the start of the word it falls in (a window must not begin mid-word:
    "itamin D deficiency")."""
    index = max(0, index)
    while index > 0 and text[index - 1].isalnum():
        index -= 1
    return index


def _direction(axis: str, sign: int, phrase: str, sentence: str, start: int, end: int,
               negation_start: int | None = None) -> Direction:
    """The cue sentence[start:end] with its target: the stems before and after it. What changes
    is named after an active cue ("reduced PGE2"), before a passive one ("PGE2 was reduced by")."""
    comparison = _BASELINE_AFTER.search(sentence, end, end + 80) or _BASELINE_BEFORE.search(sentence, max(0, start - 200), start)
    # What follows the cue, short of what it is compared with ("longer in the placebo group | than ...").
    after_end = comparison.start() if comparison and comparison.start() >= end else end + 60
    before = [s for s in content_stems(sentence[_word_start(sentence, start - 40): start])[-3:] if s not in GENERIC_CONTEXT]
    # (statistics in brackets name nothing that changed: "did not differ (HR 0.88; 95% CI ...)")
    after_text = BRACKETED.sub(" ", sentence[end: min(end + 60, after_end)])
    # (nor does the next finding: "failed to improve function | but reduced pain")
    # ("improved pain but not function" is one contrast, kept whole)
    after_text = re.split(r"\b(?:but(?!\s+not\b)|whereas|although)\b", after_text, maxsplit=1)[0]
    after = [s for s in content_stems(after_text)[:5] if s not in GENERIC_CONTEXT]
    # "... was reduced by aspirin"; "... responses were unaffected."
    passive = (bool(_PASSIVE_AGENT.match(sentence, end)) or not after or bool(_INTRANSITIVE.fullmatch(phrase))
               or bool(_STATE_IN.match(sentence, end) and re.search(r"(?:ed|er)$", phrase, re.I)))
    if passive and _ELIDED_SUBJECT.search(sentence, max(0, start - 40), start):
        # "... by fungi, but is not synthesised by plants": the clause's subject is the sentence's,
        # unnamed here; the words before "but" are another clause's, not what changed
        before = []
    changed, agent = (before, after) if passive else (after[:3], before)
    # Who was studied is no agent: "mice lacking TLR4 were protected" vs "... insulin resistance in mice".
    agent = [s for s in agent if s not in _population_stems(sentence)]
    head = (changed[-1] if passive else changed[0]) if changed else ""
    # What precedes the finding in its clause, short of the finding's own negation ("aspirin [did not] reduce").
    context_end = start if negation_start is None else negation_start
    context = _CLAUSE_START.split(sentence[_word_start(sentence, context_end - 60): context_end])[-1]
    loss, lost_what = _loss_before(sentence, start, end, context_end, comparison)
    baseline = frozenset(content_stems(comparison.group(1))[:3]) - GENERIC_CONTEXT if comparison else frozenset()
    return Direction(axis, sign, phrase, frozenset(before + after), frozenset(changed), frozenset(agent), head,
                     context, start, baseline, loss, lost_what)


def _loss_before(sentence: str, start: int, end: int, context_end: int,
                 comparison: re.Match[str] | None) -> tuple[str, frozenset[str]]:
    """The loss or lacking group a finding is said of, and what was lost: the last one in the text
    before it, across clauses ("children who did not receive it had more UTIs but fewer resistant
    infections"), or failing that in the group right after it ("lower in women without a family
    history (than ...)"). ("", frozenset()) if none."""
    # (a little way back, not the whole sentence: a sentence of thousands of cues must not be
    # rescanned for each)
    text = sentence[_word_start(sentence, context_end - 200): context_end]
    if comparison and comparison.end() <= start:
        # "Compared with non-drinkers, drinkers of 3-4 cups had lower ...": the baseline lacks, not the agent.
        text = text.replace(comparison.group(0), " ")
    loss = next(reversed(list(_LOSS_OR_LACK.finditer(text))), None)
    if loss is None:
        group_end = comparison.start() if comparison and comparison.start() > end else end + 40
        text = sentence[end: min(group_end, end + 40)]
        loss = _LOSS_OR_LACK.search(text)
    if loss is None:
        return "", frozenset()
    # What was lost: the words next to the loss in its clause ("vitamin D deficiency", "depletion of
    # 53BP1"), not the rest of the sentence ("patients without diabetes, statins reduced ...").
    lost_what = frozenset(
        content_stems(_CLAUSE_START.split(text[_word_start(text, loss.start() - 30): loss.start()])[-1])[-2:]
        + content_stems(_CLAUSE_START.split(text[loss.end(): loss.end() + 30])[0])[:2])
    return loss.group(0), lost_what


def same_change(claimed: Direction, found: Direction) -> bool:
    """Both findings are about the same thing changing, with the roles the same way round:
    "cytokines inhibit preadipocyte differentiation" is not about "increase preadipocyte cytokines"."""
    # (a comparison is about both sides: "e-cigarettes were less effective than NRT")
    if len((claimed.target | claimed.baseline) & (found.target | found.baseline)) < 2:
        return False
    # (an association runs both ways: "X was tied to Y" is about what "X showed no association" is)
    symmetric = claimed.axis == "link" and found.axis == "null" and found.head in claimed.target
    # (a clause whose subject is left unsaid, "but is not synthesised by plants", is matched by
    # what brings the change about)
    unnamed = not found.changed and claimed.agent & found.agent
    if not symmetric and not unnamed and claimed.head not in found.changed and found.head not in claimed.changed:
        # "suppresses the replication of HIV" vs "increasing the life span of HIV-positive people"
        return False
    if "null" not in (claimed.axis, found.axis) and (
            (claimed.agent & found.changed) - claimed.changed or (found.agent & claimed.changed) - found.changed):
        # ("no difference in fatigue between the exercise and control groups" names no roles.)
        return False
    if claimed.baseline and found.baseline and not claimed.baseline & found.baseline:
        return False
    if ((claimed.baseline & found.agent) - found.baseline - claimed.agent
            or (found.baseline & claimed.agent) - claimed.baseline - found.agent):
        # "longer with placebo than with melatonin" against "decreased with melatonin".
        return False
    if _agent_level(claimed.context) != _agent_level(found.context):
        # "Higher vitamin D ... lower mortality" against "Low vitamin D ... increased mortality":
        # two directions turned round at once are beyond a word-level check.
        return False
    if bool(claimed.loss) == bool(found.loss):
        return True
    # "greater weight loss" against "not more beneficial for weight reduction": the loss is what
    # changed, and a null finding has no direction for it to turn round.
    lossy = claimed if claimed.loss else found
    return "null" in (claimed.axis, found.axis) and stem(lossy.loss.lower()) in lossy.changed


def as_loss_of(claimed: Direction, found: Direction) -> Direction | None:
    """The abstract's finding about a loss of the claim's agent, turned into one about the agent:
    "vitamin D deficiency was associated with increased mortality" says vitamin D goes with lower
    mortality. None unless exactly the found side speaks of a loss, and of the claim's agent."""
    if not _LOST_FUNCTION_ONLY.match(found.loss) or claimed.loss or not claimed.agent & found.lost_what:
        return None
    sign = 0 if found.axis == "null" else -found.sign
    return replace(found, sign=sign, loss="", phrase=f"{found.loss} ... {found.phrase}")


# Words that may stand between a negation and the finding it negates: "did not demonstrate a
# significant increase", "was not found to be associated". Anything else ("children who were
# not breastfed had higher odds") means the negation belongs to another verb.
NEGATION_BRIDGE = frozenset(
    "a an the any be been being is are was were have has had do does did to that of "
    "significant significantly statistically clinically substantial substantially marked markedly "
    "appreciable appreciably meaningful meaningfully measurable detectable further clear clearly "
    "consistent consistently demonstrate show find observe detect see seem appear lead cause result in "
    "found shown observed detected seen led caused resulted associated linked related correlated with".split())


def _negation_of(sentence: str, start: int) -> tuple[str, int] | None:
    """The negation (its words and where it starts) a few words back in the clause that
    negates the cue at `start`, if any.
    "not only ... but also" and "did not fail to" negate nothing."""
    window = sentence[max(0, start - 35): start]
    clause = _CLAUSE_START.split(window)[-1]
    offset = len(window) - len(clause)
    for negation in reversed(list(NEGATION.finditer(clause))):
        between = clause[negation.end():].lower().split()
        if not all(word in NEGATION_BRIDGE for word in between):
            return None
        if re.match(r"\s*only\b", clause[negation.end():], re.I) or re.search(
                r"\bnot\s+$", window[: offset + negation.start()], re.I):
            return None
        return negation.group(0), max(0, start - 35) + offset + negation.start()
    return None


# "no evidence that X improved Y", "not shown that": the finding after it is doubted, not made.
_DOUBT = re.compile(r"\b((?:no|little|insufficient|weak) (?:\w+ )?evidence|not (?:\w+ )?(?:shown|proven|established|"
                    r"demonstrated|clear)|failed to (?:show|demonstrate|find)|did not (?:show|demonstrate|find))"
                    r" that\b[^.;:,]*$", re.I)


def _doubted(sentence: str, start: int) -> tuple[str, int] | None:
    """The doubt ("no evidence that", "not shown that") a little way back that the cue at `start` is said under."""
    doubt = _DOUBT.search(sentence, _word_start(sentence, start - 80), start)
    return (doubt.group(1), doubt.start()) if doubt else None


_WITH_BEFORE = re.compile(r"(\w+)\s+with(?:out)?\s+(?:[^,;.]{0,40}?\s(?:and|or)\s+)?(?:an?\s+|the\s+)?$", re.I)
# "associated with an increased risk" reports a finding; "people with elevated CRP",
# "patients with a reduced ejection fraction" say who was studied.
_FINDING_WITH = frozenset(
    "associated linked correlated related compared coincided consistent combined accompanied along together".split())


def _describes_group(sentence: str, start: int) -> bool:
    preceding = _WITH_BEFORE.search(sentence[max(0, start - 80): start])
    return bool(preceding) and preceding.group(1).lower() not in _FINDING_WITH


_DEGREE_BEFORE = re.compile(r"\b(?:no more|more|less)\s+$", re.I)


@lru_cache(maxsize=4096)
def findings_in(sentence: str) -> tuple[Direction, ...]:
    """The sentence's directions less those that only set the level of another one's agent:
    in "reducing social media use improves mood" and "greater use was associated with higher
    scores", "reducing" and "greater" say how much of the cause, not what it did."""
    directions = sorted(directions_in(sentence), key=lambda d: d.position)
    return tuple(d for i, d in enumerate(directions)
            if not any(d.changed & other.agent and not _CLAUSE_START.search(sentence, d.position, other.position)
                       for other in itertools.takewhile(lambda o: o.position - d.position < 150,
                                                       itertools.islice(directions, i + 1, None))))


# "cognitive decline", "weight reduction": a noun cue after a word naming what it is of names an
# outcome, and states no finding ("not more beneficial for weight reduction" is about weight
# reduction); after a degree word ("a significant reduction") it is a finding.
_NOUN_CUE = re.compile(r"(?:reduction|improvement|increase|decrease|decline|elevation|suppression|inhibition)s?", re.I)
_DEGREE_WORDS = ("significant|marked|substantial|modest|greater|larger|smaller|small|large|relative|absolute|further|"
                 "slight|sharp|dramatic|rapid|steady|overall|mean|average|median|total|net|moderate|clinically|"
                 "statistically|meaningful|important|notable|considerable|minimal|major|minor|more|less")
_OUTCOME_BEFORE = re.compile(
    rf"\b(?!(?:a|an|the|any|no|this|that|its|their|and|or|of|in|for|with|by|to|was|were|is|are|{_DEGREE_WORDS})\s)[a-z]{{4,}}\s+$", re.I)


@lru_cache(maxsize=4096)
def directions_in(sentence: str) -> tuple[Direction, ...]:
    found = []
    null_spans = []
    for match in NULL_FINDING.finditer(sentence):
        null_spans.append(match.span())
        found.append(_direction("null", 0, match.group(0), sentence, *match.span()))
    for (axis, sign), pattern in _CUE_PATTERNS.items():
        for match in pattern.finditer(sentence):
            if any(s <= match.start() < e for s, e in null_spans):
                continue
            if sentence[max(0, match.start() - 1): match.start()] == "-" or sentence[match.end(): match.end() + 1] == "-":
                # A cue fused into a hyphenated label ("treatment-not-increased", a study
                # group's name; "lower- and middle-income countries") states no finding.
                continue
            if _NOUN_CUE.fullmatch(match.group(0)) and _OUTCOME_BEFORE.search(sentence, max(0, match.start() - 30), match.start()):
                # "cognitive decline", "weight reduction": the name of an outcome, no finding about it
                continue
            if axis == "link" and _DIRECTED_LINK.match(sentence, match.end()):
                # "associated with a lower risk": the direction says more than the link.
                continue
            if axis == "amount" and _describes_group(sentence, match.start()) \
                    or re.search(r"non-?significant\s+$", sentence[max(0, match.start() - 20): match.start()], re.I):
                # ("a non-significant reduction" states a direction and its doubt at once: not compared)
                continue
            degree = _DEGREE_BEFORE.search(sentence, max(0, match.start() - 10), match.start())
            if degree and axis == "effect":
                # "less effective than NRT" says the opposite of "effective"; "no more effective
                # than placebo" says there was no difference.
                degree_word = degree.group(0).lower().split()[0]
                negated = _negation_of(sentence, degree.start())
                if degree_word == "no" or negated:  # "not more effective than"
                    axis, sign = "null", 0
                else:
                    axis, sign = axis, (-sign if degree_word == "less" else sign)
                phrase = degree.group(0) + match.group(0)
                found.append(_direction(axis, sign, f"{negated[0]} {phrase}" if negated else phrase, sentence, *match.span()))
                continue
            negated = _negation_of(sentence, match.start()) or _doubted(sentence, match.start())
            if negated:
                # "not required" is "dispensable"; other negated cues are null findings.
                axis, sign = (axis, -sign) if axis == "need" else ("null", 0)
            phrase = f"{negated[0]} ... {match.group(0)}" if negated else match.group(0)
            found.append(_direction(axis, sign, phrase, sentence, *match.span(), negated[1] if negated else None))
    return found


def opposed(a: Direction, b: Direction) -> bool:
    if (a.axis == "null") != (b.axis == "null"):
        return True
    return a.axis == b.axis and a.sign == -b.sign and a.axis != "null"
