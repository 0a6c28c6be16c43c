"""Getting IRCC's rounds file (`ee_rounds_123_en.json`): from disk, or over https with a
deadline and a size limit, decoded to its list of rounds."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ...source.sitefiles import read_regular
from . import DEFAULT_TIMEOUT, MAX_TIMEOUT  # noqa: F401 - MAX_TIMEOUT: also this module's

if TYPE_CHECKING:
    import ssl

MAX_SOURCE_BYTES = 32 * 1024 * 1024



class SourceError(Exception):
    """The source cannot be read at all (missing, offline, not IRCC's JSON)."""


def is_url(source: str) -> bool:
    """True when SOURCE names a remote resource rather than a local file."""
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) is not None


def check_url(source: str) -> None:
    """Refuse anything but an https URL with a host (raises ValueError)."""
    parts = urlsplit(source)
    if parts.scheme.lower() != "https":
        raise ValueError(f"'{source}': remote sources must use https:// "
                         f"(download the file and import it from disk otherwise)")
    if not parts.hostname:
        raise ValueError(f"'{source}' has no host name")


MAX_REDIRECTS = 5
MAX_JSON_DEPTH = 16  # IRCC's file nests three levels (object, rounds list, round)


def tls_context() -> ssl.SSLContext:
    """The TLS settings of downloads: the system's certificate authorities."""
    import ssl
    return ssl.create_default_context()


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Download an https URL within `timeout` seconds in all (connecting, every redirect
    and the whole body, however slowly it comes), following https redirects only, with
    a size limit."""
    import http.client  # only a download needs them
    import ssl

    check_url(url)
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location, data = _get(url, deadline, timeout)
            if location is None:
                return data
            target = urljoin(url, location)
            if urlsplit(target).scheme.lower() != "https":
                raise SourceError(f"cannot download {url}: it redirects to {target}, which is "
                                  "not https (refused: the file could be read or changed on "
                                  "the way)")
            url = target
        raise SourceError(f"cannot download {url}: more than {MAX_REDIRECTS} redirects")
    except TimeoutError:
        raise SourceError(_offline(url, f"no answer within {timeout:g} s")) from None
    except ssl.SSLError as exc:
        raise SourceError(f"cannot download {url}: secure connection failed ({exc})") from None
    except http.client.HTTPException as exc:
        raise SourceError(f"cannot download {url}: the server's answer is not valid HTTP "
                          f"({type(exc).__name__})") from None
    except (OSError, ValueError) as exc:
        raise SourceError(_offline(url, _reason_text(exc))) from None


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _get(url: str, deadline: float, timeout: float) -> tuple[int, str | None, bytes]:
    """One GET: (status, redirect location or None, body)."""
    import http.client

    from ... import __version__
    parts = urlsplit(url)
    connection = http.client.HTTPSConnection(parts.hostname or "", parts.port or 443,
                                             timeout=_left(deadline), context=tls_context())
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={
            "User-Agent": f"drawdesk/{__version__}", "Accept": "application/json",
            "Accept-Encoding": "identity"})
        sock = connection.sock  # kept: the connection lets go of it once the answer starts
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            if not location:
                raise SourceError(f"cannot download {url}: the server answered "
                                  f"{response.status} without saying where to")
            return response.status, location, b""
        if response.status != 200:
            raise SourceError(f"cannot download {url}: the server answered {response.status} "
                              f"{response.reason}")
        chunks: list[bytes] = []
        size = 0
        while True:  # a deadline for the whole body, not only for each read
            sock.settimeout(_left(deadline))
            chunk = response.read1(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_SOURCE_BYTES:
                raise SourceError(f"{url} is larger than {MAX_SOURCE_BYTES} bytes; is it "
                                  "IRCC's file?")
            chunks.append(chunk)
        return response.status, None, b"".join(chunks)
    finally:
        connection.close()


def _reason_text(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _offline(url: str, why: str) -> str:
    return (f"cannot download {url}: {why} (are you offline? download the file with a "
            f"browser and import it from disk: drawdesk import ircc FILE)")


def read_source(source: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The bytes of a local file or an https URL."""
    if is_url(source):
        return fetch(source, timeout)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceError(f"{source} is larger than {MAX_SOURCE_BYTES} bytes; "
                              "is it IRCC's file?")
        return read_regular(path)  # never waits on a named pipe
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror or exc}") from None


def decode(data: bytes, shown: str) -> list[Any]:
    """The `rounds` list of IRCC's JSON document."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{shown}: byte {exc.start} is not valid UTF-8 "
                          "(IRCC's JSON file expected)") from None
    too_deep = False
    try:
        document = json.loads(text)
        too_deep = _too_deep(document)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg} "
                          "(IRCC's rounds file expected)") from None
    except RecursionError:  # nested deeper than the decoder can go
        too_deep = True
    if too_deep:
        raise SourceError(f"{shown}: JSON nested more than {MAX_JSON_DEPTH} levels deep "
                          "(IRCC's rounds file, three levels deep, expected)")
    if isinstance(document, list):
        rounds = document
    elif isinstance(document, dict) and isinstance(document.get("rounds"), list):
        rounds = document["rounds"]
    else:
        raise SourceError(f"{shown}: no 'rounds' list found (IRCC's rounds file, an object "
                          "with a 'rounds' list, expected)")
    return rounds


def _too_deep(document: object) -> bool:
    """Whether `document` nests lists and objects deeper than MAX_JSON_DEPTH."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth > MAX_JSON_DEPTH:
                return True
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return False


