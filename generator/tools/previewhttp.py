"""The preview's HTTP side: the files of the last good build, to loopback names only, with
a status address the pages' reload script polls and the problems shown over the page.

Every page the preview serves carries a small script (`reload_script`), the
same in every build (so a page an edit does not touch keeps its bytes). When it
serves a page, the server writes into that script the digest of the page as it
is on disk; the script polls `/__drawdesk/status?page=PATH`, which answers the
digest of the page there now, and reloads only when it differs: the browser
reloads when the page it shows changed, not on every rebuild. Problems are
shown over the page. The script is passed through `BuildConfig.head_extra`, so
`drawdesk build` never has it.
"""

from __future__ import annotations

import functools
import html
import io
import ipaddress
import json
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..core.outputs import file_digest

STATUS_PATH = "/__drawdesk/status"
OVERLAY_ID = "drawdesk-problems"
_CONTROL = re.compile("[\x00-\x1f\x7f]")

_OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;border-top:4px solid #e5484d;"
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap")
_OVERLAY_HEADING = "drawdesk: the last change could not be built; this is the last good build."

_RELOAD_SCRIPT = """\
<script>/* drawdesk serve only: reloads when this page changed, shows problems. */
(function () {
  var page = %(page)s, id = %(id)s, heading = %(heading)s, style = %(style)s;
  function show(problems) {
    var box = document.getElementById(id);
    if (!problems.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = id; box.setAttribute("role", "alert"); box.setAttribute("style", style);
      document.body.appendChild(box);
    }
    box.textContent = heading + "\\n\\n" + problems.join("\\n");
  }
  function poll() {
    fetch(%(status)s + "?page=" + encodeURIComponent(location.pathname), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.page !== page) { location.reload(); return; }
        show(s.problems);
        setTimeout(poll, 500);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""


def reload_script(page: str = "") -> str:
    """The <script> that serve adds to every page (`page` empty), and the same script
    as the server sends it, with the digest `page` of the page it is in."""
    return _RELOAD_SCRIPT % {
        "page": json.dumps(page), "id": json.dumps(OVERLAY_ID), "status": json.dumps(STATUS_PATH),
        "heading": json.dumps(_OVERLAY_HEADING), "style": json.dumps(_OVERLAY_STYLE)}


_BUILT_SCRIPT = reload_script().encode("utf-8")  # as built into every page


def overlay_html(problems: list[str]) -> str:
    text = _OVERLAY_HEADING + "\n\n" + "\n".join(problems)
    return (f'<pre id="{OVERLAY_ID}" role="alert" style="{_OVERLAY_STYLE}">'
            f"{html.escape(text)}</pre>")


@dataclass
class Status:
    """What the server shows: the last good build and the current problems; the pages
    being viewed, and those a running build made ahead of the rest (`ahead`), served
    in place of the files on disk until the build ends."""

    version: int = 0  # 0: no good build yet
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    viewed: dict[str, None] = field(default_factory=dict)  # output paths, oldest first
    ahead: dict[str, bytes] = field(default_factory=dict)

    VIEWED = 8  # pages remembered as being viewed (tabs open)

    def view(self, path: str) -> None:
        """A page was served (a browser shows it)."""
        with self.lock:
            self.viewed.pop(path, None)
            self.viewed[path] = None
            while len(self.viewed) > self.VIEWED:
                del self.viewed[next(iter(self.viewed))]

    def being_viewed(self) -> list[str]:
        with self.lock:
            return list(self.viewed)

    def made_ahead(self, path: str, data: bytes) -> None:
        """A page of the running build, made before the rest: served from now on."""
        with self.lock:
            self.ahead[path] = data

    def ahead_of(self, path: str) -> bytes | None:
        with self.lock:
            return self.ahead.get(path)

    def build_ended(self) -> None:
        """The build is over (its files in place, or failed): serve the disk again."""
        with self.lock:
            self.ahead = {}

    def snapshot(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.version, list(self.problems)

    def succeeded(self, version: int) -> None:
        with self.lock:
            self.version, self.problems = version, []

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = problems


def page_digest(body: bytes) -> str:
    """What the reload script of a page compares: the digest of its bytes as built."""
    return file_digest(body)


class PageDigests:
    """The digest of each served file as it is on disk now, read again only when its stat
    changes (a rebuild replaces a changed file; an unchanged one keeps its stat)."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[tuple[int, int, int, int], str]] = {}
        self.lock = threading.Lock()

    def of(self, path: str) -> str:
        """The digest of the file at `path` ("" if it cannot be read)."""
        try:
            st = os.stat(path)
        except OSError:
            return ""
        key = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        with self.lock:
            known = self.known.get(path)
        if known is not None and known[0] == key:
            return known[1]
        try:
            with open(path, "rb") as handle:
                digest = page_digest(handle.read())
        except OSError:
            return ""
        with self.lock:
            self.known[path] = (key, digest)
        return digest


WILDCARDS = ("", "0.0.0.0", "::")  # bind addresses meaning every network interface


@dataclass(frozen=True)
class HostCheck:
    """The names a request's Host header may give: the loopback names and the --host
    given. A web page the editor visits can make the browser send requests to the
    preview under a name of its own (DNS rebinding) and read drafts: those are refused.
    A server bound to every interface also answers to this machine's names and to any
    IP address (no name, so nothing to rebind)."""

    names: frozenset[str]
    any_address: bool = False

    @classmethod
    def for_bind(cls, host: str) -> HostCheck:
        names = {"localhost"}
        wildcard = host in WILDCARDS
        if wildcard:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        else:
            names.add(host.strip("[]").lower().rstrip("."))
        return cls(frozenset(names), wildcard)

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        value = header.strip().lower()
        if value.startswith("["):
            name = value[1:value.find("]")] if "]" in value else ""
        else:
            name = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
        name = name.rstrip(".")
        if name in self.names or name.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or self.any_address


def exposure(host: str) -> str | None:
    """A warning for a --host that serves the preview beyond this machine, or None."""
    if host in WILDCARDS:
        return (f"warning: --host {host or '0.0.0.0'} serves the preview on every network "
                "interface: anyone who can reach this machine can read it (drafts too, with "
                "--drafts); use it only on a network you trust")
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return None
    except ValueError:
        if host.lower().rstrip(".") == "localhost":
            return None
    return (f"warning: --host {host} serves the preview beyond this machine: anyone who can "
            "reach that address can read it (drafts too, with --drafts)")


def listening(host: str, url: str, port: int) -> str:
    """Where the server can be reached, for the banner."""
    if host in WILDCARDS:
        return (f"{url} on this machine, http://{socket.gethostname()}:{port}/ from others "
                f"(listening on every network interface, port {port})")
    return url


class Handler(SimpleHTTPRequestHandler):
    """Serves files under one folder only, to requests naming an allowed host: no
    listings, nothing outside the folder."""

    def __init__(self, *args, status: Status, hosts: HostCheck | None = None,
                 digests: PageDigests | None = None, **kwargs):
        self.status = status
        self.digests = digests if digests is not None else PageDigests()
        self.hosts = hosts or HostCheck.for_bind("127.0.0.1")
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's name
        pass  # the terminal is for build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        translated = super().translate_path(path)
        root = os.path.realpath(self.directory)
        real = os.path.realpath(translated)
        if real != root and not real.startswith(root + os.sep):
            return os.path.join(root, "\x00outside")  # never a file
        return translated

    def send_head(self):  # type: ignore[override]
        if not self.hosts.allows(self.headers.get("Host")):
            return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                              b"drawdesk serve answers only to localhost, 127.0.0.1, [::1] "
                              b"and the --host it was given\n")
        request_path = urlsplit(self.path).path
        if _CONTROL.search(unquote(request_path)):  # a NUL: no file name can hold it
            return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                              b"Bad request: control characters in the path\n")
        try:
            return self._send_path(request_path)
        except ValueError:  # anything else a file name cannot be
            return self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                              b"Bad request\n")

    def _send_path(self, request_path: str):
        if request_path == STATUS_PATH:
            return self._send_status()
        version, problems = self.status.snapshot()
        if version == 0:
            return self._send_no_build(problems)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not request_path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", request_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return self._send_not_found()
        return self._send_file(HTTPStatus.OK, path, problems)

    def _served(self, request_path: str) -> str | None:
        """The file a request for `request_path` is answered with (its 404 page when
        there is none), or None."""
        path = self.translate_path(request_path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if os.path.isfile(path):
            return path
        page = os.path.join(self.directory, "404.html")
        return page if os.path.isfile(page) else None

    def _send_status(self):
        """The build's version and problems; with `?page=PATH`, the digest of the page
        served at PATH now, which the page's reload script compares with its own."""
        version, problems = self.status.snapshot()
        answer: dict[str, object] = {"version": version, "ok": not problems,
                                     "problems": problems}
        pages = parse_qs(urlsplit(self.path).query).get("page")
        if pages:
            page = pages[0]
            served = self._served(page) if version and page.startswith("/") and \
                not _CONTROL.search(page) else None
            ahead = self.status.ahead_of(self._relative(served)) if served else None
            answer["page"] = page_digest(ahead) if ahead is not None else \
                self.digests.of(served) if served is not None else ""
        return self._send(HTTPStatus.OK, "application/json",
                          json.dumps(answer).encode("utf-8"))

    def _relative(self, path: str) -> str:
        return os.path.relpath(path, self.directory).replace(os.sep, "/")

    def _send_file(self, code: HTTPStatus, path: str, problems: list[str]):
        rel = self._relative(path)
        body = self.status.ahead_of(rel)
        try:
            if body is None:
                with open(path, "rb") as handle:
                    body = handle.read()
        except OSError:  # swapped away by a rebuild in between
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"rebuilding\n")
        ctype = self.guess_type(path)
        if ctype == "text/html":
            if code == HTTPStatus.OK:
                self.status.view(rel)
            body = body.replace(_BUILT_SCRIPT,
                                reload_script(page_digest(body)).encode("utf-8"), 1)
            if problems:
                body = _with_overlay(body, problems)
        if ctype.startswith("text/") or ctype.endswith(("xml", "json", "javascript")):
            ctype += "; charset=utf-8"
        return self._send(code, ctype, body)

    def _send_not_found(self):
        page = os.path.join(self.directory, "404.html")
        if os.path.isfile(page):
            return self._send_file(HTTPStatus.NOT_FOUND, page, self.status.snapshot()[1])
        return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found\n")

    def _send_no_build(self, problems: list[str]):
        page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>drawdesk: no build yet</title>{reload_script()}</head><body>"
                f"{overlay_html(problems or ['building...'])}</body></html>")
        return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8",
                          page.encode("utf-8"))

    def _send(self, code: HTTPStatus, ctype: str, body: bytes):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _with_overlay(body: bytes, problems: list[str]) -> bytes:
    mark = body.rfind(b"</body>")
    overlay = overlay_html(problems).encode("utf-8")
    return body[:mark] + overlay + body[mark:] if mark >= 0 else body + overlay


class DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # A page and its reloads open many connections at once; socketserver's default
    # backlog of 5 made some wait a second or more for a retried handshake.
    request_queue_size = 1024

    def handle_error(self, request, client_address) -> None:
        pass  # a browser closing a connection early is not worth a traceback


def make_server(host: str, port: int, root: Path, status: Status) -> DevHTTPServer:
    """Bind (port 0: any free port) and return the server, not yet serving."""
    server_class = DevHTTPServer
    if ":" in host:
        server_class = type("DevHTTPServer6", (DevHTTPServer,),
                            {"address_family": socket.AF_INET6})
    handler = functools.partial(Handler, directory=str(root), status=status,
                                hosts=HostCheck.for_bind(host), digests=PageDigests())
    return server_class((host, port), handler)


def site_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


