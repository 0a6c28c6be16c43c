"""Ways to follow the site: JSON Feed 1.1 beside RSS and Atom, feed discovery, the archive
link, and WebSub (hub links in every feed, `drawdesk ping` against a local stand-in hub;
never the network).

JSON Feed has no official schema: every field the 1.1 specification requires (and
those it describes that drawdesk writes) is checked here by hand.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drawdesk.cli import main
from tests.conftest import SITE_YAML, SiteFolder
from tests.sitepages import BASE_URL, pages

ATOM = "{http://www.w3.org/2005/Atom}"
HUB = "https://hub.example.com/"


def check_json_feed(path: Path, self_url: str) -> dict:
    """A JSON Feed 1.1 document, as the specification requires it."""
    assert path.read_bytes().endswith(b"\n")
    feed = json.loads(path.read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    assert feed["feed_url"] == self_url
    assert feed["home_page_url"].startswith(BASE_URL)
    assert feed["language"] in ("en-CA", "fr-CA")
    for author in feed["authors"]:
        assert set(author) <= {"name", "url", "avatar"} and author  # at least one field
    ids = set()
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"] not in ids
        ids.add(item["id"])
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith(BASE_URL) and item["title"] and item["summary"]
        assert item["date_published"][10] == "T"  # RFC 3339
        assert item["language"] == feed["language"]
        assert isinstance(item["tags"], list) and item["authors"] == feed["authors"]
        if "image" in item:
            assert item["image"].endswith("/card.png")
    return feed


def rss_items(path: Path) -> list[tuple[str, str, str, str]]:
    root = etree.parse(str(path)).getroot()
    return [(i.findtext("guid"), i.findtext("link"), i.findtext("title"),
             i.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"))
            for i in root.iter("item")]


def test_json_feeds_carry_the_rss_items_in_both_editions(sample_site: Path):
    feeds = sorted(sample_site.rglob("feed.json"))
    assert {f.relative_to(sample_site).as_posix() for f in feeds} >= {
        "en/feed.json", "fr/feed.json", "en/category/healthcare/feed.json",
        "fr/category/healthcare/feed.json"}
    for path in feeds:
        rel = path.relative_to(sample_site).as_posix()
        feed = check_json_feed(path, BASE_URL + rel)
        rss = rss_items(path.with_name("feed.xml"))
        assert [(i["id"], i["url"], i["title"], i["content_html"]) for i in feed["items"]] \
            == rss, rel  # the same items, ids (the RSS GUIDs) and content
        assert "hubs" not in feed  # the sample names no hub
    # the sample's posts (December 31, 2025) are items too, first, in every edition
    for lang in ("en", "fr"):
        ids = [i["id"] for i in json.loads(
            (sample_site / lang / "feed.json").read_text(encoding="utf-8"))["items"]]
        assert all(":drawdesk/post/2025-12-31-" in i for i in ids[:3]), lang
        assert ":drawdesk/draw/" in ids[3]
        category = json.loads((sample_site / lang / "category" / "healthcare" / "feed.json")
                              .read_text(encoding="utf-8"))["items"]
        assert category[0]["url"] == \
            f"{BASE_URL}{lang}/posts/2025-12-31-healthcare-draws-in-2025/"
        assert category[0]["image"] == category[0]["url"] + "card.png"  # its own card
        assert category[0]["tags"][0] in ("Healthcare and social services",
                                          "Soins de santé et services sociaux")
    french = json.loads((sample_site / "fr" / "feed.json").read_text(encoding="utf-8"))
    assert french["language"] == "fr-CA" and french["title"] == "Suivi des rondes d’Entrée express"
    english = json.loads((sample_site / "en" / "feed.json").read_text(encoding="utf-8"))
    recent = next(i for i in english["items"] if "/draws/" in i["url"])
    assert recent["image"] == recent["url"] + "card.png"  # a recent draw: its own card
    assert "image" not in english["items"][-1]  # an old one has none of its own


def test_pages_link_their_feeds_for_discovery(sample_site: Path):
    for page in pages(sample_site):
        links = {(link.get("type"), link.get("href"))
                 for link in page.doc.iter("link") if link.get("rel") == "alternate"}
        types = {t for t, _ in links}
        assert {"application/rss+xml", "application/atom+xml",
                "application/feed+json"} <= types, page.rel
        if page.kind in ("article", "category"):
            json_feeds = [h for t, h in links if t == "application/feed+json"]
            assert any("/category/" in h for h in json_feeds), page.rel
        for kind, href in links:
            if kind == "application/feed+json":
                assert (sample_site / href.removeprefix("/news/")).is_file(), href


def test_feeds_link_themselves_their_archive_and_no_hub_by_default(sample_site: Path):
    rss = etree.parse(str(sample_site / "en" / "feed.xml")).getroot()
    links = {link.get("rel"): link.get("href") for link in rss.iter(f"{ATOM}link")}
    assert links == {"self": BASE_URL + "en/feed.xml", "archives": BASE_URL + "en/archive/"}
    atom = etree.parse(str(sample_site / "fr" / "atom.xml")).getroot()
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
    assert links["archives"] == BASE_URL + "fr/archive/" and "hub" not in links


def hub_site(site: SiteFolder, hub: str = HUB) -> None:
    (site.content / "site.yaml").write_text(SITE_YAML + f"websub_hub: {hub}\n",
                                            encoding="utf-8")
    site.draw("a.yaml", date="2025-07-22")
    site.draw("b.yaml", date="2025-07-23", round=358, category="stem")


def test_a_named_hub_is_linked_from_every_feed(site: SiteFolder):
    hub_site(site)
    assert site.build().exit_code == 0
    for name in ("feed.xml", "atom.xml", "category/stem/feed.xml"):
        root = etree.parse(str(site.output / name)).getroot()
        links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
        assert links["hub"] == HUB and links["self"] == BASE_URL + name, name
    for name in ("feed.json", "category/stem/feed.json"):
        feed = check_json_feed(site.output / name, BASE_URL + name)
        assert feed["hubs"] == [{"type": "WebSub", "url": HUB}]


# -- drawdesk ping against a stand-in hub ---------------------------------------------------
class Hub:
    """A local WebSub hub: records each publish notice, answers `status`."""

    def __init__(self) -> None:
        self.notices: list[dict[str, list[str]]] = []
        self.status = 204
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers["Content-Length"])
                hub.notices.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def topics(self) -> list[str]:
        found = []
        for notice in self.notices:
            assert notice["hub.mode"] == ["publish"]
            found += notice["hub.url"]
        self.notices.clear()
        return sorted(found)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub():
    running = Hub()
    yield running
    running.close()


def ping(site: SiteFolder, *args: str):
    return CliRunner().invoke(main, ["ping", "--content", str(site.content), "--output",
                                     str(site.output), *args])


def test_ping_notifies_the_hub_of_changed_feeds(site: SiteFolder, hub: Hub):
    hub_site(site, hub.url)
    assert site.build().exit_code == 0
    every = sorted(BASE_URL + p.relative_to(site.output).as_posix()
                   for p in site.output.rglob("*") if p.name in ("feed.xml", "atom.xml",
                                                                 "feed.json"))
    assert len(every) == 8  # the site's three, two per category, the corrections feed
    result = ping(site)
    assert result.exit_code == 0, result.output
    assert hub.topics() == every
    assert result.output.strip().endswith("8 feed(s) notified, 0 unchanged since the last "
                                          "ping.")
    result = ping(site)  # nothing changed since
    assert result.exit_code == 0 and hub.topics() == []
    assert "0 feed(s) notified, 8 unchanged" in result.output
    site.draw("c.yaml", date="2025-07-24", round=359, category="stem")
    assert site.build().exit_code == 0
    assert ping(site).exit_code == 0
    changed = hub.topics()  # the feeds whose bytes changed, not the healthcare ones
    assert changed == sorted(BASE_URL + name for name in (
        "feed.xml", "atom.xml", "feed.json", "category/stem/feed.xml",
        "category/stem/feed.json", "corrections/feed.xml"))  # dated by the newest draw
    assert ping(site, "--all").exit_code == 0 and hub.topics() == every


def test_ping_reports_a_refusal_and_an_unreachable_hub_in_one_line(site: SiteFolder,
                                                                     hub: Hub):
    hub_site(site, hub.url)
    assert site.build().exit_code == 0
    hub.status = 400
    result = ping(site)
    assert result.exit_code == 1
    assert result.output == (f"Ping failed: the hub {hub.url} refused {BASE_URL}atom.xml: "
                             "HTTP 400 Bad Request\n")
    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{free.getsockname()[1]}/"
    hub_site(site, closed)
    result = ping(site)
    assert result.exit_code == 1
    assert result.output.startswith(f"Ping failed: cannot reach the hub {closed}: ")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_ping_needs_a_hub_and_a_built_site(site: SiteFolder, hub: Hub):
    site.draw("a.yaml")
    result = ping(site)
    assert result.exit_code == 1 and "no websub_hub" in result.output
    hub_site(site, hub.url)
    result = ping(site)
    assert result.exit_code == 1
    assert "is not a built site (run drawdesk build first)" in result.output
    assert hub.notices == []
