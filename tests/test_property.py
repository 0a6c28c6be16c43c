"""Property-based: arbitrary Unicode in every text field never breaks a page or a feed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import html5lib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import SiteFolder

# Any Unicode text YAML can carry in a double-quoted scalar, control characters excluded
# (those are rejected by validation, tested elsewhere).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
                  "\ufeff\u2028\u2029\x85"),
    min_size=1, max_size=40).filter(lambda s: s.strip())
MARKDOWN = st.one_of(TEXT, st.sampled_from([
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>", "]]>", "# Heading\n\n*em* and **strong**",
    "<a href='https://x.org' onclick='y()'>link</a>", "<style>body{}</style>"]))


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, disclaimer=TEXT, question=TEXT, answer=MARKDOWN,
       lede=MARKDOWN, slug=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True))
def test_arbitrary_text_renders_inert(tmp_path_factory, title, summary, disclaimer, question,
                                      answer, lede, slug):
    root: Path = tmp_path_factory.mktemp("prop")
    site = SiteFolder(root)
    entry = (f"date: 2025-07-22\ntype: category-based\ncategory: healthcare\n"
             f"invitations: 4000\nmin_crs: 475\nslug: {slug}\n"
             f"title: {quoted(title)}\nsummary: {quoted(summary)}\n"
             f"disclaimer: {quoted(disclaimer)}\n"
             f"sections:\n  lede: {quoted(lede)}\n"
             f"faq:\n  - question: {quoted(question)}\n    answer: {quoted(answer)}\n")
    assert yaml.safe_load(entry)["title"] == title
    site.draw("x.yaml", entry)
    result = site.build()
    assert result.exit_code == 0, result.output
    for page in site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        doc = html5lib.parse(html, namespaceHTMLElements=False)
        for el in doc.iter():
            assert not any(a.lower().startswith("on") for a in el.keys()), page
            if el.tag == "script":
                assert el.get("type") == "application/ld+json"
                json.loads(el.text)
            if el.tag in ("iframe", "object", "embed", "style"):
                raise AssertionError(f"{el.tag} in {page}")
            if el.tag == "a":  # a link whose address was removed is text, not an <a>
                assert el.get("href"), page
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.I)
    article = site.page(f"draws/{slug}/index.html")
    doc = html5lib.parse(article, namespaceHTMLElements=False)
    assert " ".join("".join(doc.find(".//h1").itertext()).split()) == " ".join(title.split())
    for feed in ("feed.xml", "atom.xml", "category/healthcare/feed.xml"):
        etree.parse(str(site.output / feed))
    shutil.rmtree(root)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, tag=TEXT, question=TEXT, answer=MARKDOWN, body=MARKDOWN,
       author=TEXT)
def test_arbitrary_text_in_a_post_renders_inert(tmp_path_factory, title, summary, tag,
                                                question, answer, body, author):
    root: Path = tmp_path_factory.mktemp("prop-post")
    site = SiteFolder(root)
    site.source_draws()
    (site.content / "posts").mkdir()
    text = (f"---\ntitle: {quoted(title)}\ndate: 2025-07-23\nsummary: {quoted(summary)}\n"
            f"categories: [healthcare]\ntags: [{quoted(tag)}]\nauthor: {quoted(author)}\n"
            f"faq:\n  - question: {quoted(question)}\n    answer: {quoted(answer)}\n---\n"
            f"{body}\n")
    (site.content / "posts" / "2025-07-23-p.md").write_text(text, encoding="utf-8")
    result = site.build()
    assert result.exit_code == 0, result.output
    page = site.page("posts/2025-07-23-p/index.html")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    for el in doc.iter():
        assert not any(a.lower().startswith("on") for a in el.keys())
        if el.tag == "script":
            assert el.get("type") == "application/ld+json"
            assert json.loads(el.text)
        if el.tag in ("iframe", "object", "embed", "style", "img"):
            raise AssertionError(el.tag)
        if el.tag == "a":
            assert el.get("href")
    assert not re.search(r"""href=["']?\s*javascript:""", page, re.I)
    assert " ".join("".join(doc.find(".//h1").itertext()).split()) == " ".join(title.split())
    for feed in ("feed.xml", "atom.xml", "category/healthcare/feed.xml"):
        etree.parse(str(site.output / feed))
    shutil.rmtree(root)
