"""`drawdesk import ircc https://...` against a real HTTPS server on loopback (never the
internet): redirects, a deadline for the whole download, --timeout, sizes, nesting."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.tools.ircc import fetch as ircc
from drawdesk.tools.ircc.fetch import SourceError, decode, read_source
from tests.conftest import SiteFolder

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OFFICIAL = (FIXTURES / "ircc" / "ee_rounds_123_en.json").read_bytes()
CERT, KEY = FIXTURES / "tls" / "localhost.pem", FIXTURES / "tls" / "localhost.key"

Route = Callable[[BaseHTTPRequestHandler], None]


def send(status: int, body: bytes = b"", **headers: str) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """A byte every 50 ms: each read gets an answer well within any timeout."""
    handler.send_response(200)
    handler.send_header("Content-Length", "2000")
    handler.end_headers()
    for _ in range(2000):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.05)


class Server:
    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.seen: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the base class's name
                server.seen.append((self.path, dict(self.headers)))
                server.routes.get(self.path, send(404))(self)

            def log_message(self, *args: object) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # a client that hangs up on a trickle

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(CERT, KEY)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, scheme: str = "https") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """An HTTPS server on 127.0.0.1 whose certificate the importer trusts (only here)."""
    monkeypatch.setattr(ircc, "tls_context",
                        lambda: ssl.create_default_context(cafile=str(CERT)))
    running = Server({})
    yield running
    running.close()


def test_a_download(server: Server) -> None:
    server.routes["/ee_rounds_123_en.json"] = send(200, OFFICIAL,
                                                  Content_Type="application/json")
    assert read_source(server.url("/ee_rounds_123_en.json"), timeout=7) == OFFICIAL
    path, headers = server.seen[0]
    assert path == "/ee_rounds_123_en.json"
    assert headers["User-Agent"].startswith("drawdesk/")


def test_an_untrusted_certificate_is_refused(server: Server, monkeypatch) -> None:
    monkeypatch.setattr(ircc, "tls_context", ssl.create_default_context)
    server.routes["/x.json"] = send(200, OFFICIAL)
    with pytest.raises(SourceError, match="secure connection failed"):
        read_source(server.url("/x.json"), timeout=5)


def test_an_http_error_is_reported(server: Server) -> None:
    with pytest.raises(SourceError, match="the server answered 404 Not Found"):
        read_source(server.url("/missing.json"), timeout=5)


def test_a_download_that_is_too_large(server: Server, monkeypatch) -> None:
    monkeypatch.setattr(ircc, "MAX_SOURCE_BYTES", 10)
    server.routes["/big.json"] = send(200, b"x" * 11)
    with pytest.raises(SourceError, match="larger than 10 bytes"):
        read_source(server.url("/big.json"), timeout=5)


def test_an_https_redirect_is_followed(server: Server) -> None:
    server.routes["/old.json"] = send(301, Location="/ee_rounds_123_en.json")
    server.routes["/ee_rounds_123_en.json"] = send(200, OFFICIAL)
    assert read_source(server.url("/old.json"), timeout=5) == OFFICIAL


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("scheme", ["http", "ftp", "file"])
def test_a_redirect_away_from_https_is_refused(server: Server, status: int,
                                               scheme: str) -> None:
    """It was followed: the file then came over plain http, readable and changeable."""
    target = server.url("/ee_rounds_123_en.json", scheme) if scheme != "file" else \
        "file:///etc/passwd"
    server.routes["/x.json"] = send(status, Location=target)
    server.routes["/ee_rounds_123_en.json"] = send(200, OFFICIAL)
    with pytest.raises(SourceError, match=f"it redirects to {target}, which is not https"):
        read_source(server.url("/x.json"), timeout=5)
    assert [path for path, _ in server.seen] == ["/x.json"]


def test_endless_redirects_stop(server: Server) -> None:
    server.routes["/loop"] = send(302, Location="/loop")
    with pytest.raises(SourceError, match="more than 5 redirects"):
        read_source(server.url("/loop"), timeout=5)


def test_the_timeout_is_a_deadline_for_the_whole_download(server: Server) -> None:
    """A server sending a byte every 50 ms never let a per-read timeout expire: the
    download of its 2,000 bytes took 100 s whatever --timeout said."""
    server.routes["/slow.json"] = trickle
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no answer within 0\.5 s"):
        read_source(server.url("/slow.json"), timeout=0.5)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("depth", [17, 100, 100_000])
def test_deeply_nested_json_is_refused(depth: int) -> None:
    """100,000 levels gave a RecursionError traceback."""
    data = b'{"rounds": ' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(SourceError, match="f: JSON nested more than 16 levels deep"):
        decode(data, "f")
    sixteen = b'{"rounds": [' + b"[" * 14 + b"]" * 14 + b"]}"  # 16 levels: read
    assert len(decode(sixteen, "f")) == 1


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "0", "abc", "3601", "1e400"])
def test_timeout_must_be_a_number_of_seconds(site: SiteFolder, value: str) -> None:
    result = CliRunner().invoke(main, ["import", "ircc", "https://www.canada.ca/x.json",
                                       "--content", str(site.content), "--timeout", value])
    assert result.exit_code == 2
    assert f"'{value}' is not a number of seconds (a number above 0 and at most 3600 " \
           "expected)" in result.output
    assert "Traceback" not in result.output


def test_an_import_over_https_end_to_end(server: Server, site: SiteFolder,
                                         monkeypatch) -> None:
    monkeypatch.chdir(site.root)
    server.routes["/ee_rounds_123_en.json"] = send(200, OFFICIAL)
    server.routes["/to-http"] = send(302, Location=server.url("/ee_rounds_123_en.json",
                                                              "http"))
    refused = CliRunner().invoke(main, ["import", "ircc", server.url("/to-http"),
                                        "--content", str(site.content)])
    assert refused.exit_code == 1
    assert "which is not https" in refused.output
    assert list((site.content / "draws").iterdir()) == []
    done = CliRunner().invoke(main, ["import", "ircc", server.url("/ee_rounds_123_en.json"),
                                     "--content", str(site.content), "--skip-invalid",
                                     "--timeout", "10"])
    assert done.exit_code == 0, done.output
    assert (site.content / "draws" / "2026-03-04-healthcare.yaml").is_file()
