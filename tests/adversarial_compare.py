"""Inputs that once crashed refcheck.compare or made it take seconds to minutes (found by
fuzzing). tests/test_compare.py runs each for crashes; scripts/bench_compare.py times them."""

ADVERSARIAL = [
    # (what it once did, claim, abstract)
    ("ValueError: a number word through a dotless i", "x", "f\u0131ve patients died."),
    ("ValueError: a number word through a long s, in the claim", "\u017fix patients died", "Patients died."),
    ("AttributeError: a p-value turned into a year range", "x", "p = 1990-15"),
    ("AttributeError: a time point turned into a year range", "x", "on day 1990-15."),
    ("exponential: thousands separators read as a list (8 s at 24 groups)", "x", "5, " + ",".join(["111"] * 24)),
    ("quadratic: 'but not' backtracking over one long word (21 s)", "reduced mortality",
     "Aspirin reduced mortality " + "b" * 20000),
    ("findings recomputed per contrast (42 s)", "increased in women", "reduced in men but not women " * 600),
    ("findings recomputed per claim direction (18 s)", "higher pain, " * 76, "lower pain, " * 1660),
    ("directions recomputed per claim direction (14 s)", "significantly higher pain, " * 36, "higher pain, " * 1530),
    ("quadratic: a stated size restarting at every digit (11 s)", "x", "1" * 20000),
    ("quadratic: every figure rescanning the list after it (17 s)", "x", ", ".join(["10"] * 5000)),
    ("quadratic: every figure tokenising the whole sentence (4 s)", "x", " ".join(str(i) for i in range(4000))),
    ("quadratic: every p-value rescanning the prefix (2 s)", "x", "p=0.01 and " * 1800),
    ("quadratic: clause filter per anchor figure (3 s)", "Rate was 1% and 2% and 6%.", "Rate was 1%, 2%, 3%, 4%, 5%. " * 690),
    ("a reduction re-read per abstract sentence (4 s)", "cut " * 230 + "; 30% reduction", "Ok. " * 5000),
    ("a whole comparison per quotation (x14)",
     " ".join(['"Aspirin reduced mortality in stroke patients over a year"'] * 14),
     "Aspirin reduced mortality in stroke patients over a year. " * 344),
    ("quadratic: abbreviation check splitting the sentence per dot (3 s at 48k)", "x", "x. " * 16000),
    ("quadratic: a difference interval's digits split every way (12 s)", "significantly reduced pain",
     "reduced pain; CI -" + "1" * 20000),
    ("quadratic: spaces after CI taken two ways (3 s)", "significantly reduced pain", "reduced pain; CI" + " " * 20000 + "x"),
    ("quadratic: a ratio interval's digits split every way (12 s)", "Aspirin significantly reduced pain",
     "Aspirin reduced pain HR 1 CI " + "1" * 20000),
    ("quadratic: a finding's clause end restarting at every space (9 s)", "Aspirin significantly reduced pain",
     "Aspirin reduced pain" + " " * 20000 + "x"),
    ("every claim figure against every abstract figure (8 s)", "2 " * 500, "1 " * 10000),
]
