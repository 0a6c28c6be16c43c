"""drawdesk serve: a real server in a subprocess, edited while it runs; and the
request handler and rebuilds in-process."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.core.options import BuildConfig, build_now
from drawdesk.tools.previewhttp import STATUS_PATH, Status, make_server, reload_script
from drawdesk.tools.serve import DevSite, snapshot
from tests.conftest import ROOT, SiteFolder, draw_yaml

ARTICLE = "draws/2025-07-22-healthcare/"


class Server:
    """`drawdesk serve` in a subprocess, with its output collected line by line."""

    def __init__(self, *args: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("SOURCE_DATE_EPOCH", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "drawdesk", "serve", "--port", "0", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out.put),
                             daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err.append),
                             daemon=True)]
        for reader in self.readers:
            reader.start()
        self.stdout: list[str] = []
        self.url = self.wait_line(r"^Serving (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)$")

    @staticmethod
    def _read(stream, put: Callable[[str], None]) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def wait_line(self, pattern: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.out.get(timeout=0.1)
            except queue.Empty:
                assert self.proc.poll() is None, f"serve exited: {self.err}"
                continue
            self.stdout.append(line)
            match = re.match(pattern, line)
            if match:
                return match.group(1) if match.groups() else line
        raise AssertionError(f"no line matching {pattern!r}: {self.stdout} {self.err}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get(STATUS_PATH.lstrip("/"))[1])

    def stop(self) -> int:
        """Press Ctrl-C; return the exit status once every line has been read."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:  # pragma: no cover - only if stopping failed
                self.proc.kill()
        for reader in self.readers:
            reader.join(5)
        while not self.out.empty():
            self.stdout.append(self.out.get())
        return code


def save(path: Path, text: str) -> None:
    """Save the way editors' tools do, in one step, so the watcher never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time limit"
        time.sleep(0.1)


@pytest.fixture
def served(site: SiteFolder):
    site.draw("2025-07-08-healthcare.yaml", draw_yaml(date="2025-07-08", round=356))
    site.draw("2025-07-22-healthcare.yaml", draw_yaml(date="2025-07-22", round=357))
    server = Server("--content", str(site.content), "--now", "2026-01-01")
    yield site, server
    server.stop()


def test_edits_appear_errors_are_shown_and_fixed(served):
    site, server = served
    code, page = server.get(ARTICLE)
    assert code == 200 and "475" in page
    assert "__drawdesk/status" in page  # the reload script
    version = server.status()["version"]

    entry = site.content / "draws" / "2025-07-22-healthcare.yaml"
    save(entry, draw_yaml(date="2025-07-22", round=357, min_crs=488))
    eventually(lambda: "488" in server.get(ARTICLE)[1])
    # the new page is on disk a moment before the status says so: wait for both
    eventually(lambda: server.status() == {"version": version + 1, "ok": True,
                                           "problems": []})
    server.wait_line(r"^Rebuilt \d+ pages in \d+\.\d s; reloading\.$")

    save(entry, draw_yaml(date="2025-07-22", round=357).replace("min_crs: 475",
                                                                "min_crs: 4,99"))
    eventually(lambda: not server.status()["ok"])
    status = server.status()
    assert status["version"] == version + 1  # no reload: the last good build stays
    assert "min_crs: '4,99' is not a whole number" in status["problems"][0]
    code, page = server.get(ARTICLE)
    assert code == 200 and "488" in page  # still answering, with the last good build
    assert 'id="drawdesk-problems"' in page and "min_crs: &#x27;4,99&#x27;" in page
    eventually(lambda: any("4,99" in line for line in server.err))
    assert any(line.startswith("Build failed: 1 problem(s)") for line in server.err)

    save(entry, draw_yaml(date="2025-07-22", round=357, min_crs=491))
    eventually(lambda: server.status()["ok"])
    code, page = server.get(ARTICLE)
    assert "491" in page and 'id="drawdesk-problems"' not in page
    assert server.status()["version"] == version + 2

    assert server.stop() == 0  # Ctrl-C stops cleanly
    assert server.stdout[-1] == "Stopped."
    assert not [line for line in server.err if "Traceback" in line]


def test_starts_with_invalid_content_and_recovers(site: SiteFolder, tmp_path: Path):
    entry = site.draw("2025-07-22-healthcare.yaml", draw_yaml().replace("date:", "dat:"))
    output = tmp_path / "preview"
    server = Server("--content", str(site.content), "--output", str(output))
    try:
        code, page = server.get("")
        assert code == 503 and "dat: unknown field; did you mean &#x27;date&#x27;?" in page
        assert server.status()["version"] == 0
        entry.write_text(draw_yaml(), encoding="utf-8")
        eventually(lambda: server.get("")[0] == 200)
        assert (output / "index.html").is_file()
    finally:
        assert server.stop() == 0
    assert output.is_dir()  # a folder given with --output is kept


def test_the_reload_script_is_never_in_build_output(site: SiteFolder):
    site.draw("a.yaml", draw_yaml())
    assert site.build().exit_code == 0
    for path in site.output.rglob("*"):
        if path.is_file():
            assert b"__drawdesk" not in path.read_bytes(), path


# -- the request handler, in-process -----------------------------------------------------
@pytest.fixture
def handler_site(tmp_path: Path):
    root = tmp_path / "site"
    (root / "draws" / "x").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "index.html").write_text("<html><body>home</body></html>")
    (root / "draws" / "x" / "index.html").write_text("<html><body>article</body></html>")
    (root / "404.html").write_text("<html><body>custom not found</body></html>")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    status = Status(version=1)
    server = make_server("127.0.0.1", 0, root, status)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server, status
    server.shutdown()
    server.server_close()


def request(server, path: str, method: str = "GET") -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    connection.request(method, path)  # sent as written: no client-side normalizing
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, body, dict(response.getheaders())


def test_handler_serves_only_files_under_the_folder(handler_site):
    server, _ = handler_site
    assert request(server, "/")[:2] == (200, "<html><body>home</body></html>")
    code, _, headers = request(server, "/draws/x")
    assert code == 301 and headers["Location"] == "/draws/x/"
    assert request(server, "/draws/x/")[1] == "<html><body>article</body></html>"
    assert request(server, "/draws/x/index.html", "HEAD")[0] == 200
    for path in ("/../secret.txt", "/draws/../../secret.txt", "/%2e%2e/secret.txt",
                 "/leak.txt", "/empty/", "/missing"):
        code, body, _ = request(server, path)
        assert code == 404 and "custom not found" in body and "secret" not in body, path
    assert request(server, "/")[2]["Cache-Control"] == "no-store"


def test_handler_status_and_problems_overlay(handler_site):
    server, status = handler_site
    code, body, headers = request(server, STATUS_PATH)
    assert json.loads(body) == {"version": 1, "ok": True, "problems": []}
    assert headers["Content-Type"] == "application/json"
    status.failed(["draws/a.yaml:1:1: date: <bad> & wrong"])
    body = request(server, "/")[1]
    assert body.startswith("<html><body>home<pre id=\"drawdesk-problems\"")
    assert "draws/a.yaml:1:1: date: &lt;bad&gt; &amp; wrong</pre></body></html>" in body
    status.succeeded(2)
    assert request(server, "/")[1] == "<html><body>home</body></html>"


def test_handler_before_any_good_build(handler_site):
    server, status = handler_site
    status.version = 0
    status.failed(["site.yaml:1:1: file: site.yaml not found"])
    code, body, _ = request(server, "/draws/x/")
    assert code == 503 and "site.yaml not found" in body and reload_script() in body
    assert json.loads(request(server, STATUS_PATH)[1])["version"] == 0


# -- rebuilds, in-process -----------------------------------------------------------------
def dev_site(site: SiteFolder, output: Path, **config) -> tuple[DevSite, Status, list[str]]:
    lines: list[str] = []
    status = Status()
    built = BuildConfig(content=site.content, output=output, now=build_now(None), **config)
    return DevSite(built, "http://127.0.0.1:9/", status, lines.append, lines.append), \
        status, lines


def test_rebuild_sets_base_url_and_script(site: SiteFolder, tmp_path: Path):
    site.draw("a.yaml", draw_yaml())
    dev, status, _ = dev_site(site, tmp_path / "out")
    assert dev.rebuild() is not None and status.snapshot() == (1, [])
    page = (tmp_path / "out" / "index.html").read_text()
    assert reload_script() in page and 'href="http://127.0.0.1:9/"' in page


def test_a_broken_template_keeps_the_last_good_build(site: SiteFolder, tmp_path: Path):
    site.draw("a.yaml", draw_yaml())
    templates = tmp_path / "templates"
    templates.mkdir()
    dev, status, lines = dev_site(site, tmp_path / "out", templates=templates)
    assert dev.rebuild() is not None
    (templates / "index.html").write_text("{% block %}")
    assert dev.rebuild() is None
    version, problems = status.snapshot()
    assert version == 1 and problems[0].startswith(f"{templates / 'index.html'}:1:1: template:")
    assert (tmp_path / "out" / "index.html").is_file()
    assert "the last good build is still served" in lines[-1]
    assert templates in dev.watched


def test_watch_rebuilds_after_a_change(site: SiteFolder, tmp_path: Path):
    entry = site.draw("a.yaml", draw_yaml())
    dev, status, _ = dev_site(site, tmp_path / "out")
    seen = snapshot(dev.watched)
    dev.rebuild()
    stop = threading.Event()
    builds: list[object] = []
    thread = threading.Thread(target=dev.watch, args=(stop, 0.05, builds.append, seen))
    thread.start()
    try:
        entry.write_text(draw_yaml(min_crs=480), encoding="utf-8")
        eventually(lambda: status.snapshot()[0] == 2)
        assert len(builds) == 1
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_snapshot_sees_changes_and_skips_hidden_files(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("a")
    before = snapshot([tmp_path])
    (tmp_path / ".a.yaml.swp").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x")
    assert snapshot([tmp_path]) == before
    (tmp_path / "a.yaml").write_text("ab")
    assert snapshot([tmp_path]) != before


# -- the command line, through CliRunner ----------------------------------------------------
def test_serve_command_builds_serves_and_stops(site: SiteFolder, monkeypatch):
    site.draw("a.yaml", draw_yaml(date="2025-07-22", round=1))
    site.draw("b.yaml", draw_yaml(date="2025-07-23", round=2, extra="draft: true\n"))
    site.draw("c.yaml", draw_yaml(date="2026-03-02", round=3))
    seen: dict[str, object] = {}

    def interrupted(self, stop, **kwargs):  # stands in for the watch loop: Ctrl-C at once
        seen["output"] = self.config.output
        seen["page"] = (self.config.output / "index.html").read_text(encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(DevSite, "watch", interrupted)
    result = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port", "0",
                                       "--now", "2026-01-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Built ") and "(1 articles," in lines[0]
    assert lines[1] == ("Not shown: 1 draft(s), built only with --drafts; 1 dated after "
                        "2026-01-01, built only with --future or from their date.")
    assert re.fullmatch(r"Serving http://127\.0\.0\.1:\d+/ \(Ctrl-C to stop\)", lines[2])
    assert lines[-1] == "Stopped."
    assert reload_script() in seen["page"]
    assert not Path(seen["output"]).exists()  # the temporary folder is removed


def _interrupt(self, stop, **kwargs):
    raise KeyboardInterrupt


def test_serve_command_with_drafts_shows_them(site: SiteFolder, monkeypatch):
    site.draw("b.yaml", draw_yaml(date="2025-07-23", extra="draft: true\n"))
    monkeypatch.setattr(DevSite, "watch", _interrupt)
    result = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port", "0",
                                       "--drafts"])
    assert result.exit_code == 0 and "Not shown" not in result.output


def test_serve_command_reports_a_busy_port(site: SiteFolder):
    site.draw("a.yaml", draw_yaml())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port",
                                           str(port)])
    assert result.exit_code == 1
    assert f"Cannot serve on 127.0.0.1:{port}:" in result.output


def test_serve_command_usage_errors(site: SiteFolder):
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2
    assert runner.invoke(main, ["serve", "--bogus"]).exit_code == 2


# -- what the server answers, and to whom ----------------------------------------------------
def request_as(server, path: str, host: str | None) -> tuple[int, str]:
    """A request naming `host` in its Host header (None: no Host header at all)."""
    with socket.create_connection(server.server_address[:2], timeout=5) as sock:
        header = f"Host: {host}\r\n" if host is not None else ""
        sock.sendall(f"GET {path} HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def test_only_loopback_names_and_the_given_host_are_answered(handler_site):
    """Any Host was answered, so a web page could read the preview (drafts too) through
    DNS rebinding: its own name, resolved to 127.0.0.1."""
    server, _ = handler_site
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "LOCALHOST.",
                 f"[::1]:{port}", f"app.localhost:{port}", "127.0.0.2"):
        assert request_as(server, "/", host)[0] == 200, host
    for host in (f"evil.example:{port}", "evil.example", "127.0.0.1.evil.example",
                 f"192.168.1.5:{port}", "", None):
        code, body = request_as(server, "/", host)
        assert code == 403, host
        assert "answers only to localhost, 127.0.0.1, [::1] and the --host" in body
        assert "home" not in body


def test_a_named_or_wildcard_host_is_answered_under_its_names():
    from drawdesk.tools.previewhttp import HostCheck

    named = HostCheck.for_bind("preview.lan")
    assert named.allows("preview.lan:8000") and named.allows("localhost:8000")
    assert not named.allows("evil.example:8000") and not named.allows("10.0.0.1:8000")
    everywhere = HostCheck.for_bind("0.0.0.0")
    assert everywhere.allows("192.168.1.5:8000") and everywhere.allows("[fe80::1]:8000")
    assert everywhere.allows(f"{socket.gethostname()}:8000")
    assert not everywhere.allows("evil.example:8000")


@pytest.mark.parametrize("path", ["/%00", "/draws/%00/", "/a%00b.html", "/%0a", "/%1b[2J"])
def test_a_path_with_a_nul_or_control_character_is_a_bad_request(handler_site, path):
    """GET /%00 dropped the connection (a ValueError inside the handler)."""
    server, _ = handler_site
    code, body, _ = request(server, path)
    assert code == 400 and "Bad request" in body
    assert request(server, "/")[0] == 200  # and the server still answers


def test_two_hundred_connections_at_once_are_all_accepted(tmp_path: Path):
    """A listen backlog of 5 dropped the handshakes beyond it: they were retried a second
    or more later. Nothing accepts here, so only the backlog holds them."""
    server = make_server("127.0.0.1", 0, tmp_path, Status(version=1))
    connections = []
    try:
        for _ in range(200):
            sock = socket.socket()
            connections.append(sock)
            sock.settimeout(2)
            sock.connect(server.server_address[:2])  # raises TimeoutError once it is full
    finally:
        for sock in connections:
            sock.close()
        server.server_close()


def test_serving_on_every_interface_warns_and_says_so(site: SiteFolder, monkeypatch):
    site.draw("a.yaml", draw_yaml())
    monkeypatch.setattr(DevSite, "watch", _interrupt)
    result = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port", "0",
                                       "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning: --host 0.0.0.0 serves the preview on every network interface: anyone " \
           "who can reach this machine can read it (drafts too, with --drafts)" in result.output
    banner = next(line for line in result.output.splitlines() if line.startswith("Serving"))
    assert re.fullmatch(rf"Serving http://127\.0\.0\.1:(\d+)/ on this machine, "
                        rf"http://{re.escape(socket.gethostname())}:\1/ from others \(listening "
                        r"on every network interface, port \1\) \(Ctrl-C to stop\)", banner)
    quiet = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port", "0"])
    assert "warning" not in quiet.output
