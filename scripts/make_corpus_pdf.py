"""Write tests/corpus/pdf_review.pdf: a two-page article whose reference list
wraps entries over several lines and breaks identifiers at line ends, the way
typeset PDFs do. Dev-only tool (needs fpdf2: pip install fpdf2); the PDF it
makes is committed, so tests and users never need fpdf2.

    python scripts/make_corpus_pdf.py
"""
from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "pdf_review.pdf"

# Each page: a list of (style, line). Lines are placed exactly as given, so the
# breaks inside identifiers and words are the ones the gold annotation expects.
PAGES = [
    [
        ("title", "Vitamin D, the immune system and what the trials measured"),
        ("gap", ""),
        ("body", "Interest in vitamin D as a way to calm the immune system has grown. A randomised"),
        ("body", "trial in relapsing-remitting multiple sclerosis measured antibodies against the"),
        ("body", "Epstein-Barr virus after high-dose supplementation [1]. Laboratory work on"),
        ("body", "nanoparticles is often quoted in the same breath, although it was done on cultured"),
        ("body", "skin cells [2, 3]. Reviews of acute pulmonary embolism show how quickly treat-"),
        ("body", "ment guidance changes [4], and a review of ergothioneine describes a dietary"),
        ("body", "antioxidant that is sometimes sold with immune claims [5]."),
        ("gap", ""),
        ("body", "Pandemic-era work on families is cited for resilience claims (Prime et al., 2020),"),
        ("body", "and one review of minocycline and doxycycline is cited for anti-inflammatory"),
        ("body", "effects [6]. The platelet biomarker study [7] is unrelated to vitamin D."),
    ],
    [
        ("heading", "References"),
        ("gap", ""),
        ("ref", "1. Rolf L, Muris AH, Mathias A, et al. Exploring the effect of vitamin D3 supple-"),
        ("ref", "   mentation on the anti-EBV antibody response in relapsing-remitting multiple"),
        ("ref", "   sclerosis. Mult Scler. 2018;24(10):1280-1287. doi:10.1177/135245851772"),
        ("ref", "   2646. PMID: 28731372"),
        ("ref", "2. Browning CL, Wise JP. Titanium dioxide nanoparticles are not cytotoxic or"),
        ("ref", "   clastogenic in human skin cells. J Environ Anal Toxicol. 2014;4(6):239."),
        ("ref", "   https://doi.org/10.4172/2161-0525."),
        ("ref", "   1000239"),
        ("ref", "3. Browning CL, Wise JP. Nanoparticle toxicity in skin fibroblasts. J Environ"),
        ("ref", "   Anal Toxicol. 2015;5(2):101-108."),
        ("ref", "4. Current management of acute pulmonary embolism. Ann Thorac Cardiovasc Surg."),
        ("ref", "   2020;26(2):65-71. doi: 10.5761/atcs.ra.19-00158. PMID:"),
        ("ref", "   31588070"),
        ("ref", "5. Borodina I, Kenny LC, McCarthy CM, et al. The biology of ergothioneine, an"),
        ("ref", "   antioxidant nutraceutical. Nutr Res Rev. 2020;33(2):190-217. doi:10.1017/"),
        ("ref", "   S0954422419000301"),
        ("ref", "6. Minocycline and doxycycline: more than antibiotics. Curr Mol Pharmacol."),
        ("ref", "   2021;14(6):1046-1065. PMCID: PMC8008123"),
        ("ref", "7. Tumor-educated platelet SNORD55 as a potential biomarker for the early"),
        ("ref", "   diagnosis of non-small cell lung cancer. Thorac Cancer. 2021;12(5):659-666."),
        ("ref", "8. Prime H, Wade M, Browne DT. Risk and resilience in family well-being during"),
        ("ref", "   the COVID-19 pandemic. Am Psychol. 2020;75(5):631-643."),
    ],
]


def main() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_margins(56, 56)
    pdf.set_auto_page_break(False)
    pdf.set_title("Vitamin D, the immune system and what the trials measured")
    for number, page in enumerate(PAGES, start=1):
        pdf.add_page()
        y = 70
        for style, line in page:
            if style == "gap":
                y += 10
                continue
            if style == "title":
                pdf.set_font("Helvetica", "B", 14)
                step = 22
            elif style == "heading":
                pdf.set_font("Helvetica", "B", 12)
                step = 20
            else:
                pdf.set_font("Helvetica", "", 10)
                step = 14
            pdf.text(56, y, line)
            y += step
        pdf.set_font("Helvetica", "", 8)
        pdf.text(290, 800, str(number))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
