"""Loading documents and finding identifiers, with offsets."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from refcheck.claims import attach_claims
from refcheck.errors import InputError
from refcheck.extract import extract
from refcheck.identifiers import find_identifiers
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
