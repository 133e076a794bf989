"""Loading documents and finding identifiers, with offsets."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from refcheck.extract.claims import attach_claims
from refcheck.errors import InputError
from refcheck.extract import extract
from refcheck.extract.markers import link_markers
from refcheck.extract.refparse import parse_reference
from refcheck.extract.identifiers import find_identifiers
from refcheck.load import html_to_text, load, parse_bytes


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stem Cells. 2009 Jun;27(6):1421-32. doi: 10.1002/stem.68.", ["10.1002/stem.68"]),
        ("(doi:10.1186/scrt2)", ["10.1186/scrt2"]),
        ("https://doi.org/10.1016/S0933-3657(96)00367-3.", ["10.1016/s0933-3657(96)00367-3"]),
        ("http://dx.doi.org/10.1371/journal.pone.0033693, and more", ["10.1371/journal.pone.0033693"]),
        ("doi: 10.1002/ stem.68", ["10.1002/stem.68"]),
        ("10.1002/(SICI)1097-4636(199706)35:4<453::AID-JBM5>3.0.CO;2-B.", ["10.1002/(sici)1097-4636(199706)35:4<453::aid-jbm5>3.0.co;2-b"]),
        ("\u201cdoi:10.1000/xyz123\u201d", ["10.1000/xyz123"]),
        ("PMID: 19489103", ["19489103"]),
        ("[PubMed: 19489103]", ["19489103"]),
        ("https://pubmed.ncbi.nlm.nih.gov/19489103/", ["19489103"]),
        ("https://www.ncbi.nlm.nih.gov/pubmed/19489103", ["19489103"]),
        ("PMC2704254 and https://pmc.ncbi.nlm.nih.gov/articles/PMC2704255/", ["PMC2704254", "PMC2704255"]),
        ("In 2009, 19489103 people", []),  # a bare number is never a PMID
        ("version 110.1234/abc", []),
        # A line break (text copied out of a PDF) cut the DOI after the slash or a full stop.
        ("doi: 10.1111/\niwj.13245 (Int Wound J)", ["10.1111/iwj.13245"]),
        ("doi: 10.5555/j.burns.\n2019.03.012, split", ["10.5555/j.burns.2019.03.012"]),
        # ... but a sentence or a list item on the next line is not the rest of it.
        ("doi:10.1000/abc.\n2. Next entry", ["10.1000/abc"]),
        ("doi:10.1000/abc.\nNext year, 2019", ["10.1000/abc"]),
    ],
)
def test_identifiers(text, expected):
    assert [f.identifier.value for f in find_identifiers(text)] == expected


def test_offsets_point_at_the_written_form():
    text = "See doi:10.1002/stem.68. Also PMID: 19489103."
    for found in find_identifiers(text):
        assert text[found.start:found.end] == found.written


def test_malformed_identifiers_come_with_a_hint():
    hints = [f.hint for f in find_identifiers("PMID: 0123456 and doi:10.1234/ nothing")]
    assert any("leading zero" in h for h in hints) and any("no suffix" in h for h in hints)


def test_html_keeps_paragraphs_and_links_and_drops_scripts():
    text, links = html_to_text(
        "<html><head><script>var x='10.1/fake'</script><style>p{}</style></head><body><nav>Menu</nav>"
        "<p>A trial <a href='https://doi.org/10.1371/journal.pone.0033693'>showed it</a>.</p><p>Next</p>"
        "<ol><li>First ref</li><li>Second ref</li></ol></body></html>"
    )
    assert "var x" not in text and "Menu" not in text
    assert "\n\nNext" in text and "1. First ref\n2. Second ref" in text
    (link,) = links
    assert text[link.start:link.end] == "showed it"


def test_identifier_only_in_href_is_found_at_the_link_text():
    document = parse_bytes(b"<p>A trial <a href='https://doi.org/10.1371/journal.pone.0033693'>showed it</a> in mice.</p>", "t.html", "html")
    (citation,) = extract(document)
    assert citation.id == "10.1371/journal.pone.0033693"
    assert document.text[citation.start:citation.end] == "showed it"


def test_identifiers_of_one_work_merge_into_one_citation():
    document = parse_bytes(b"Smith J. A title of the work. Lancet. 2009;373:1-5. doi:10.1000/xyz123. PMID: 19489103\n", "t.txt", "text")
    (citation,) = extract(document)
    assert {str(i) for i in citation.identifiers} == {"doi:10.1000/xyz123", "pmid:19489103"}


def test_markers_link_body_sentences_to_reference_entries():
    text = (
        "Vitamin D lowered antibody levels in a randomized trial [1]. Mice treated early fared better [2].\n\n"
        "References\n\n1. Rolf L. Vitamin D3. Mult Scler. 2018;24(10):1280. PMID: 28731372\n"
        "2. Other A. Mice. 2011. doi:10.1000/mice.1\n"
    )
    document = parse_bytes(text.encode(), "t.txt", "text")
    citations = extract(document)
    claims = attach_claims(document, citations)
    assert [c.id for c in citations] == ["28731372", "10.1000/mice.1"]
    assert claims[0][0].text == "Vitamin D lowered antibody levels in a randomized trial."
    assert claims[1][0].text == "Mice treated early fared better."


def test_named_footnotes_are_entries_and_their_markers_link():
    text = (
        "Night mode may not help.[^night-shift] Light matters.[^1]\n\n"
        "[^1]: Chang AM, Duffy JF. Evening use of eReaders affects sleep. Proc Natl Acad Sci U S A. 2015;112(4):1232-1237.\n"
        "[^night-shift]: Duraccio KM, Jensen CD. Does iPhone night shift help sleep? Sleep Health. 2021;7(4):478-484.\n"
    )
    citations = extract(parse_bytes(text.encode(), "t.md", "markdown"))
    assert [c.cited.authors[0] for c in citations] == ["Chang", "Duraccio"]
    linked = link_markers(text, citations)
    assert linked[1] == [(text.index("[^night-shift]"), text.index("[^night-shift]") + len("[^night-shift]"))]


def test_organisation_author_entry_and_marker():
    text = (
        "Adults need 150 minutes a week (World Health Organization, 2020).\n\nReferences\n\n"
        "World Health Organization (2020) WHO guidelines on physical activity and sedentary behaviour. Geneva: WHO.\n"
    )
    (citation,) = extract(parse_bytes(text.encode(), "t.txt", "text"))
    assert citation.cited.authors == ("World Health Organization",) and citation.cited.year == 2020
    assert citation.cited.title == "WHO guidelines on physical activity and sedentary behaviour"
    marker = "(World Health Organization, 2020)"
    assert link_markers(text, [citation]) == {0: [(text.index(marker), text.index(marker) + len(marker))]}


def test_markdown_emphasis_does_not_hide_journal_and_volume():
    cited = parse_reference("Hale, L., & Guan, S. (2015). Screen time and sleep. *Sleep Medicine Reviews*, *21*, 50\u201358.")
    assert (cited.journal, cited.volume, cited.first_page) == ("Sleep Medicine Reviews", "21", "50")


def test_title_keeps_a_comma_before_a_word_with_a_digit():
    cited = parse_reference("Bischoff-Ferrari HA, Vellas B. Effect of Vitamin D, Omega-3 Fatty Acids, and Exercise on Falls. JAMA. 2020;324(18):1855-1868.")
    assert cited.title == "Effect of Vitamin D, Omega-3 Fatty Acids, and Exercise on Falls"


def test_seed_page_identifiers(shared_dir):
    document = load(str(shared_dir / "seeds" / "000_b49fc75c8dca2277.txt"))
    assert [c.id for c in extract(document) if c.id] == ["10.1002/stem.68", "10.1186/scrt2"]


def test_invalid_utf8_is_decoded_not_rejected(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 study doi:10.1000/abc".encode("cp1252"))
    assert "Café" in load(str(path)).text


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        body = b"<html><body><p>Cited: <a href='https://pubmed.ncbi.nlm.nih.gov/28731372/'>trial</a></p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_is_fetched_and_parsed_as_html(page_server):
    document = load(page_server + "/page")
    assert document.format == "html" and document.links[0].href.endswith("/28731372/")


def test_redirect_loop_is_a_clear_error(page_server):
    with pytest.raises(InputError, match="too many redirects"):
        load(page_server + "/loop")


def test_size_cap_is_named(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(InputError, match="1,000-byte input limit"):
        load(str(path), max_bytes=1000)


# ---------------------------------------------------------------- seeds, references, PDF
def test_seed_page_references_and_what_is_not_one(shared_dir):
    from refcheck.extract import dangling_markers

    document = load(str(shared_dir / "seeds" / "000_b49fc75c8dca2277.txt"))
    citations = extract(document)
    by_id = {c.id: c for c in citations if c.id}
    assert by_id["10.1002/stem.68"].cited.title.startswith("Mesenchymal stem cell transplantation reverses")
    assert by_id["10.1002/stem.68"].cited.journal == "Stem Cells" and by_id["10.1002/stem.68"].cited.first_page == "1421"
    scrt2 = by_id["10.1186/scrt2"].cited
    assert scrt2.title == "Immunosuppression by mesenchymal stem cells: mechanisms and clinical applications"
    assert scrt2.authors[0] == "Ghannam" and scrt2.year == 2010
    (faust,) = [c for c in citations if c.kind == "reference"]
    assert faust.id is None and faust.cited.title == "Neurotoxic lupus autoantibodies alter brain function through two distinct mechanisms"
    assert faust.cited.authors[0] == "Faust" and faust.cited.authors[-1] == "Huerta"
    for not_a_reference in ("Systemic lupus erythematosus (SLE) is a multisystem", "Stem Cell Infusions", "Comment:", "Share:", "Self-generated"):
        assert not any(document.text[c.start:c.end].startswith(not_a_reference) for c in citations)
    dangling = [numbers for _, _, numbers in dangling_markers(document.text)]
    assert (2,) in dangling and (3,) in dangling


_FOOTNOTED = (
    "Night mode may not help.[^night-shift] Light matters.[^1] Blue light too.[^Blue-Light]\n\n"
    "[^1]: Chang AM, Duffy JF. Evening use of eReaders affects sleep. Proc Natl Acad Sci U S A. 2015;112(4):1232-1237.\n"
    "[^night-shift]: Duraccio KM, Jensen CD. Does iPhone night shift help sleep? Sleep Health. 2021;7(4):478-484.\n"
    "[^blue-light]:\n    West KE. Blue light from light-emitting diodes. J Appl Physiol. 2011;110(3):619-626.\n"
)


@pytest.mark.parametrize("text, expected", [
    # Every named marker has its definition (one in another case, one with its text on the next line).
    (_FOOTNOTED, []),
    # A lone definition makes no reference section; it still answers its marker.
    ("Night mode may not help.[^night-shift]\n\n[^night-shift]: Duraccio KM. Night shift. Sleep Health. 2021;7(4):478.\n", []),
    # The definition of [^night-shift] removed: its marker points at nothing. No reference section is left
    # (one entry), yet the "[^1]:" definition still answers [^1].
    (_FOOTNOTED.replace("[^night-shift]: Duraccio", "Duraccio"), [("[^night-shift]", ("night-shift",))]),
    # Numbered and named dangling markers together, in reading order.
    ("Screens delay sleep [4].[^hale2015] Not always.[^1]\n\n[^1]: Chang AM. Sleep. PNAS. 2015;112:1232.\n",
     [("[4]", (4,)), ("[^hale2015]", ("hale2015",))]),
])
def test_dangling_named_footnotes(text, expected):
    from refcheck.extract import dangling_markers

    assert [(text[start:end], labels) for start, end, labels in dangling_markers(text)] == expected


@pytest.mark.parametrize(
    "reference",
    [
        "Sun L, Akiyama K, Zhang H, et al. Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans. Stem Cells. 2009 Jun;27(6):1421-32. doi: 10.1002/stem.68.",
        "Sun, L., Akiyama, K., & Zhang, H. (2009). Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans. Stem Cells, 27(6), 1421\u20131432. https://doi.org/10.1002/stem.68",
        "Sun, L. et al. Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans. Stem Cells 27, 1421\u20131432 (2009).",
        'Sun, Lingyun, et al. "Mesenchymal Stem Cell Transplantation Reverses Multiorgan Dysfunction in Systemic Lupus Erythematosus Mice and Humans." Stem Cells, vol. 27, no. 6, 2009, pp. 1421\u201332.',
        'L. Sun, K. Akiyama, and H. Zhang, "Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans," Stem Cells, vol. 27, no. 6, pp. 1421\u20131432, 2009.',
        "Sun L, Akiyama K, Zhang H, et al. (June 2009). \"Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans\". Stem Cells. 27 (6): 1421\u201332. doi:10.1002/stem.68. PMC 3704254. PMID 19489103.",
        "Sun, L., Akiyama, K. and Zhang, H. (2009) 'Mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans', Stem Cells, 27(6), pp. 1421\u20131432.",
    ],
    ids=["vancouver", "apa", "nature", "mla", "ieee", "wikipedia", "harvard"],
)
def test_reference_styles_parse_to_the_same_fields(reference):
    from refcheck.extract.refparse import parse_reference

    cited = parse_reference(reference)
    assert cited.title.lower() == "mesenchymal stem cell transplantation reverses multiorgan dysfunction in systemic lupus erythematosus mice and humans"
    assert cited.authors[0] == "Sun" and cited.year == 2009 and cited.journal == "Stem Cells"
    assert cited.volume == "27" and cited.first_page == "1421"


@pytest.mark.parametrize(
    "line",
    ["Stem Cell Research & Therapy 2010, 1:2", "Stem Cells. 2009 Jun;27(6):1421-32.", "Published: 15 March 2010", "Share on Facebook4Pin on Pinterest0"],
)
def test_a_journal_line_or_a_label_is_never_taken_for_a_title(line):
    from refcheck.extract.refparse import parse_reference

    assert parse_reference(line).title is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("https://doi.org/10.1002%2Fstem.68", ["10.1002/stem.68"]),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/stem.68/abstract", ["10.1002/stem.68"]),
        ("doi:10.1186/scrt2PMID: 20504283", ["10.1186/scrt2", "20504283"]),
        ("PMCID: 3704254", ["PMC3704254"]),
        ("http://www.pubmedcentral.nih.gov/articlerender.fcgi?artid=1234567", ["PMC1234567"]),
    ],
)
def test_more_identifier_forms(text, expected):
    assert [f.identifier.value for f in find_identifiers(text)] == expected


@pytest.mark.parametrize("text", ["https://doi.org/10.1371/journal.pone.0033693/", "(see https://doi.org/10.1371/journal.pone.0033693/)."])
def test_trailing_slash_of_a_doi_url_is_not_part_of_the_doi(text):
    (found,) = find_identifiers(text)
    assert found.identifier.value == "10.1371/journal.pone.0033693" and found.written == "10.1371/journal.pone.0033693"


def test_malformed_labelled_doi_is_kept_with_a_hint():
    (found,) = find_identifiers("see doi: 10.123/abc for details")
    assert found.identifier.value == "" and "malformed" in found.hint


def test_superscript_numbers_become_markers_but_exponents_do_not():
    text, _ = html_to_text("<p>Sleep matters.<sup>3</sup> Area 100 cm<sup>2</sup>; 10<sup>6</sup> cells; fish<sup>1,2</sup></p>")
    assert "matters.[3]" in text and "cm2" in text and "106" in text and "fish[1,2]" in text


def test_author_year_markers_link_to_entries():
    from refcheck.extract.markers import link_markers

    text = (
        "Fish oil did not help memory (van de Rest et al., 2008). Stonehouse and Conlon (2013) saw faster reactions.\n\n"
        "References\n\nvan de Rest O, Geleijnse JM, Kok FJ. Effect of fish oil on cognitive performance. Neurology. 2008;71(6):430-438.\n"
        "Stonehouse W, Conlon CA. DHA supplementation improved memory. Am J Clin Nutr. 2013;97(5):1134-1143.\n"
    )
    citations = extract(parse_bytes(text.encode(), "t.txt", "text"))
    linked = link_markers(text, citations)
    assert [c.kind for c in citations] == ["reference", "reference"]
    assert text[slice(*linked[0][0])] == "(van de Rest et al., 2008)" and text[slice(*linked[1][0])] == "Stonehouse and Conlon (2013)"


def test_pdf_identifiers_split_across_lines_rejoin():
    from pathlib import Path

    document = load(str(Path(__file__).parent / "corpus" / "pdf_review.pdf"))
    ids = {str(i) for c in extract(document) for i in c.identifiers}
    assert {"doi:10.1177/1352458517722646", "pmid:28731372", "doi:10.4172/2161-0525.1000239", "pmid:31588070", "doi:10.1017/s0954422419000301"} <= ids
    assert "supplementation" in document.text and "treatment guidance" in document.text


def test_pdf_without_the_extra_names_the_install_command(tmp_path, monkeypatch):
    import sys

    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4\n%fake\n")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(InputError, match=r"pip install 'refcheck\[pdf\]'"):
        load(str(path))


def test_broken_pdf_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf body\n%%EOF\n")
    with pytest.raises(InputError, match="broken.pdf"):
        load(str(path))


def test_medline_short_form_gives_the_journal_not_a_title():
    """'Authors, et al. Journal. Year;Vol(Issue):Pages.' has no title: the one segment is the journal."""
    from refcheck.extract.refparse import parse_reference

    cited = parse_reference("Essajee NM, et al. AIDS Res Hum Retroviruses. 2023;39(11):587-592.")
    assert (cited.title, cited.journal, cited.authors, cited.year, cited.volume, cited.issue, cited.first_page) == (
        None, "AIDS Res Hum Retroviruses", ("Essajee",), 2023, "39", "11", "587")
