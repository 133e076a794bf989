"""Bracketed numbers in code, console output and mathematics are not citation markers."""
import pytest

from refcheck.extract import dangling_markers


def dangling(text):
    return [text[start:end] for start, end, _ in dangling_markers(text)]


@pytest.mark.parametrize("text", [
    "The estimate:\n\n```r\nmean(x)\n#> [1] 0.34\n```\n",
    "R prints it:\n#> [1] 0.34\n",
    "R prints it:\n[1] 0.34 0.56 0.78\n",
    "We keep `y.val[95]` and y.val[95] for the upper tail.",
    "The prior is $\\operatorname{Uniform}[0, 1]$ throughout.",
    "The prior is \\operatorname{Uniform}[0, 1] throughout.",
    "Simulate with np.random.binomial(1, 0.5, [100, 10]) as before.",
    "Weights live in env_weights[0] and env_weights[3].",
    "Set x = [2, 3] first.",
    ">>> data[2]\n",
    "Display maths: $$\\sum_{i=1}^{n} x[2]$$ done.",
])
def test_no_marker_in_code_or_maths(text):
    assert dangling(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Stem cells helped.[3] Mouse work came first.[1][2]", ["[3]", "[1][2]"]),
    ("The brain[5] adapts (see [6]) and ([7]).", ["[5]", "[6]", "[7]"]),
])
def test_markers_in_prose_still_dangle(text, expected):
    found = dangling(text)
    assert "".join(found) == "".join(expected)
