"""Inputs nobody vetted: each is processed or refused with one line and exit 2, never a hang."""
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from refcheck import load as load_module
from refcheck.errors import InputError
from refcheck.load import load


def run_cli(*args, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "refcheck", "check", *args, "--offline"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "REFCHECK_CACHE_DIR": str(tmp_path / "cache")},
    )


def test_huge_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB without writing it
    result = run_cli(str(path), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "104,857,600 bytes is over the 20,971,520-byte input limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_javascript_shell_page_is_refused(tmp_path):
    path = tmp_path / "app.html"
    path.write_text("<html><head><script src='app.js'></script></head><body><div id='root'></div><script>render()</script></body></html>")
    result = run_cli(str(path), tmp_path=tmp_path)
    assert result.returncode == 2 and "needs JavaScript" in result.stderr


def test_deeply_nested_and_malformed_html_is_processed(tmp_path):
    nested = "<div>" * 50_000 + "A trial found it works (PMID: 28731372)." + "</span>" * 10 + "<p><b><i>unclosed"
    path = tmp_path / "nested.html"
    path.write_text(nested)
    started = time.monotonic()
    document = load(str(path))
    assert "PMID: 28731372" in document.text
    assert time.monotonic() - started < 10


def test_mixed_encodings_keep_both_parts(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Überblick: ".encode("utf-8") + "café".encode("cp1252") + b" doi:10.1000/abc")
    text = load(str(path)).text
    assert "Überblick" in text and "café" in text


def test_one_bad_input_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("No citations here at all.")
    result = run_cli(str(tmp_path / "missing.txt"), str(good), "--format", "json", tmp_path=tmp_path)
    assert result.returncode == 2
    assert '"source": "' + str(good) in result.stdout.replace("\\\\", "\\")
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path == "/huge-declared":
            self.send_header("Content-Length", str(10 * 1024**3))
            self.end_headers()
            return
        if self.path == "/endless":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(2000):  # bounded: at most ~130 MB if the client never stops
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            return
        if self.path == "/drip":
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_declared_10_gb_is_refused_before_download(hostile):
    with pytest.raises(InputError, match="10,737,418,240 bytes is over"):
        load(hostile + "/huge-declared")


def test_endless_body_stops_at_the_cap(hostile):
    with pytest.raises(InputError, match="1,000,000-byte input limit"):
        load(hostile + "/endless", max_bytes=1_000_000)


def test_dripping_server_hits_the_total_deadline(hostile, monkeypatch):
    monkeypatch.setattr(load_module, "URL_DEADLINE", 1.5)
    started = time.monotonic()
    with pytest.raises(InputError, match="longer than 1.5 s"):
        load(hostile + "/drip")
    assert time.monotonic() - started < 10
