"""Read news posts: content/posts/<date>-<slug>.md, YAML front matter and a Markdown body.

A post is one file for every language. Its front matter gives texts per language as
draw entries do (`title: {en: ..., fr: ...}`); its body is split by a line holding only
a language marker, `<!-- fr -->`: what comes before any marker is English, each marker
starts that language's text.

```
---
title: {en: 2025 in review, fr: L'année 2025}
date: 2025-12-31
summary: {en: ..., fr: ...}
categories: [healthcare]
---
The English text, in Markdown.

<!-- fr -->
Le texte français, en Markdown.
```

Every problem has the file's own line and column: the front matter is composed as
the YAML document it is (its opening `---` line included), so node positions are
file positions; body positions count from the line after the closing `---`.

Links to other entries by their file path (`[the July draw](../draws/2025-07-22-
healthcare.yaml)`) are found here and checked against the entries loaded
(`check_links`); the present stage turns them into the page's URL in each edition.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..core.models import LANGUAGES, PLAIN_LANGUAGE, Category, Correction, FaqEntry, Post
from ..core.problems import Problem, display_path
from . import sitefiles
from .categories import category_hint
from .fields import POST_FIELDS, SLUG_RE
from .languages import language_gaps
from .reader import Reader
from .reading import positions
from .yamlfile import compose_text, read_text

POST_SUFFIX = ".md"
ENTRY_SUFFIXES = (".md", ".yaml", ".yml")  # what a link to another entry ends with
_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([a-z0-9](?:[a-z0-9-]{0,67}[a-z0-9])?)$")
_FENCE = re.compile(r"^---[ \t]*$")
_MARKER = re.compile(r"^<!--\s*([A-Za-z-]+)\s*-->\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A link's target: inline `[text](target "title")`, or a reference `[name]: target`.
_INLINE = re.compile(r"\]\(\s*<?(?P<target>[^\s()<>]+)>?")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>[^\s<>]+)>?")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TRUE_LANGS = {"title", "summary"}  # a published language without them is an error


@dataclass(frozen=True)
class BodyPart:
    lang: str
    text: str
    line: int  # the file line of the part's first line (its marker, if it has one)
    first: int  # the file line of the text's first line


@dataclass(frozen=True)
class EntryLink:
    """A link to another entry, as written in a post's body."""

    target: str  # as written, fragment included
    path: str  # the entry's file, as shown in messages
    line: int
    column: int


@dataclass(frozen=True)
class ReadPost:
    """One post file read: the post (None if it has errors), with its links still to check
    against the entries."""

    source: str
    post: Post | None
    links: tuple[EntryLink, ...]
    marks: dict[str, tuple[int, int]]


def post_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Every post file under posts/, sorted; anything else there is a warning, anything
    that is not a regular file inside the content folder a problem."""
    folder = root / "posts"
    if not os.path.lexists(folder):
        return []
    listing = sitefiles.walk(folder, sitefiles.real_roots([root]), hidden=False)
    problems.extend(sitefiles.problems(listing, root))
    files = []
    for found in listing.files:
        path = Path(found.path)
        if path.suffix.lower() != POST_SUFFIX:
            problems.append(Problem(display_path(path, root), 1, 1, "file",
                                    "ignored: not a .md file (posts end in .md)",
                                    severity="warning"))
            continue
        files.append(path)
    return files


def split_front_matter(text: str) -> tuple[str, int] | None:
    """(the front matter as a YAML document, opening `---` included; the number of lines
    before the body), or None when the file does not start with front matter."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return None
    for number, line in enumerate(lines[1:], start=1):
        if _FENCE.match(line.rstrip("\r")):
            return "\n".join(lines[:number]) + "\n", number + 1
    return None


def body_parts(body: str, first_line: int, shown: str,
               problems: list[Problem]) -> dict[str, BodyPart]:
    """The body by language, split at marker lines (`<!-- fr -->`)."""
    parts: dict[str, BodyPart] = {}
    lang, start, text_start, lines = PLAIN_LANGUAGE, first_line, first_line, []

    def close() -> None:
        text = "\n".join(lines)
        if lang in parts:
            problems.append(Problem(shown, start, 1, "body", f"a second text for language "
                                    f"{lang} (one '<!-- {lang} -->' part per language "
                                    "expected)"))
        elif text.strip() or start != first_line:
            parts[lang] = BodyPart(lang, text, start, text_start)

    for number, line in enumerate(body.split("\n"), start=first_line):
        marker = _MARKER.match(line.rstrip("\r"))
        if marker is None:
            lines.append(line)
            continue
        close()
        name = marker[1]
        if name not in LANGUAGES:
            problems.append(Problem(shown, number, 1, "body", f"unknown language marker "
                                    f"'{name}' (one of {', '.join(LANGUAGES)} expected, "
                                    "as <!-- fr -->)"))
        lang, start, text_start, lines = name, number, number + 1, []
    close()
    return parts


def blank(markdown: str) -> bool:
    """True for Markdown that shows nothing (white space and HTML comments only)."""
    return not _COMMENT.sub("", markdown).strip()


def entry_links(part: BodyPart, post_path: Path, root: Path,
                shown: str) -> list[EntryLink]:
    """The links of a body part to other entries by file path (relative to the post)."""
    found = []
    in_fence = False
    # HTML comments are never shown: links in them are blanked out, positions kept.
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), part.text)
    for number, line in enumerate(text.split("\n"), start=part.first):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        matches = list(_INLINE.finditer(line)) + list(_REFERENCE.finditer(line))
        for match in matches:
            target = match["target"]
            if _SCHEME.match(target) or target.startswith(("#", "/")):
                continue
            file_part = target.split("#", 1)[0].split("?", 1)[0]
            if not file_part.lower().endswith(ENTRY_SUFFIXES):
                continue
            path = os.path.normpath(post_path.parent / file_part)
            found.append(EntryLink(target, display_path(Path(path), root), number,
                                   match.start("target") + 1))
    return found


def read_post(path: Path, root: Path, categories: dict[str, Category],
              languages: tuple[str, ...], check_categories: bool,
              problems: list[Problem]) -> ReadPost | None:
    """One post file read and checked on its own (its links are checked later)."""
    shown = display_path(path, root)
    text, found = read_text(path, shown)
    problems.extend(found)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        problems.append(Problem(shown, 1, 1, "file", "no front matter (a file starting with "
                                "a line '---', the YAML fields, then a line '---' expected)"))
        return None
    front, body_line = split
    source, found = compose_text(front, shown, path)
    problems.extend(found)
    if source is None:
        return None
    reader = Reader(shown)
    data = reader.mapping(source.root, POST_FIELDS)
    count = len(problems)
    problems.extend(reader.problems)
    marks = positions(source.root)
    for f in POST_FIELDS:  # `summary:` with nothing after it (or only comments)
        if f.required and f.name not in data and f.name in marks and not any(
                p.field.split(".")[0].split("[")[0] == f.name for p in problems[count:]):
            line, col = marks[f.name]
            problems.append(Problem(shown, line, col, f.name, f"empty value ({f.description} "
                                    "expected)"))
    if source.root is not None:
        title_summary = tuple(f for f in POST_FIELDS if f.name in _TRUE_LANGS and f.name in data)
        others = tuple(f for f in POST_FIELDS  # corrections' notes: errors, below
                       if f.name not in _TRUE_LANGS and f.name != "corrections")
        problems += language_gaps(source.root, title_summary, languages, shown, "error")
        problems += language_gaps(source.root, others, languages, shown, "warning")
    name = _NAME.match(path.name[: -len(POST_SUFFIX)])
    if name is None:
        problems.append(Problem(shown, 1, 1, "file", "the file name is not <date>-<slug>.md "
                                "(e.g. 2025-12-31-year-in-review.md expected)"))
    elif "date" in data and data["date"].isoformat() != name[1]:
        line, col = marks.get("date", marks[""])
        problems.append(Problem(shown, line, col, "date", f"{data['date']} is not the date "
                                f"in the file name ({name[1]} expected)"))
    if "time" in data and "date" in data and data["time"].date() != data["date"]:
        line, col = marks.get("time", marks[""])
        problems.append(Problem(shown, line, col, "time", f"{data['time'].isoformat()} is "
                                f"not on the post's date ({data['date']}, read in the "
                                "time's own zone, expected)"))
    nodes = _sequence(source.root, "corrections")
    for i, item in enumerate(data.get("corrections", ())):
        node = nodes[i] if i < len(nodes) else source.root
        where = f"corrections[{i + 1}]"
        lacking = [lang for lang in languages if lang not in item.get("note", {})]
        if lacking and "note" in item:
            problems.append(_at(shown, node, f"{where}.note", f"no note in {', '.join(lacking)} "
                                "(a note in every published language expected)"))
        if "date" in data and item["at"].date() < data["date"]:
            problems.append(_at(shown, node, f"{where}.at", f"{item['at'].isoformat()} is "
                                f"before the post ({data['date']}) (the time of the "
                                "correction, after publication, expected)"))
    if check_categories:
        items = _sequence(source.root, "categories")
        for i, key in enumerate(data.get("categories", ())):
            if key not in categories:
                node = items[i] if i < len(items) else source.root
                problems.append(Problem(
                    shown, node.start_mark.line + 1, node.start_mark.column + 1,
                    f"categories[{i + 1}]", f"unknown category '{key}'"
                    f"{category_hint(key, categories)} (a key from categories.yaml expected)"))
    parts = body_parts("\n".join(text.split("\n")[body_line:]), body_line + 1, shown, problems)
    for lang in languages:
        part = parts.get(lang)
        if part is None or blank(part.text):
            line = part.line if part is not None else body_line + 1
            what = "empty" if part is not None else "no"
            marker = "" if lang == PLAIN_LANGUAGE else f" after a line '<!-- {lang} -->'"
            problems.append(Problem(shown, line, 1, "body", f"{what} body for language "
                                    f"{lang} (its Markdown text{marker} expected)"))
    links = tuple(link for lang in languages if lang in parts
                  for link in entry_links(parts[lang], path, root, shown))
    if any(p.severity == "error" for p in problems[count:]) or name is None:
        return ReadPost(shown, None, links, marks)
    slug = data.get("slug") or path.name[: -len(POST_SUFFIX)]
    assert SLUG_RE.match(slug)
    post = Post(
        source=shown, date=data["date"], slug=slug, title=data["title"],
        summary=data["summary"],
        body={lang: part.text for lang, part in parts.items() if lang in languages},
        categories=tuple(dict.fromkeys(data.get("categories", ()))),
        tags=tuple(data.get("tags", ())), time=data.get("time"), author=data.get("author"),
        fixed_id=data.get("id"),
        faq={lang: tuple(FaqEntry(**entry) for entry in entries)
             for lang, entries in data.get("faq", {}).items()},
        disclaimer=data.get("disclaimer", {}), draft=data.get("draft", False),
        corrections=tuple(Correction(c["at"], c["by"], note=c["note"])
                          for c in data.get("corrections", ())))
    return ReadPost(shown, post, links, marks)


def _at(shown: str, node: yaml.Node, where: str, message: str) -> Problem:
    return Problem(shown, node.start_mark.line + 1, node.start_mark.column + 1, where, message)


def _sequence(root: yaml.Node | None, key: str) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return list(v.value)
    return []


def check_links(read: list[ReadPost], entries: dict[str, tuple[str, str]],
                problems: list[Problem]) -> list[Post]:
    """Each post with its links to other entries resolved (`entries`: an entry's file as
    shown -> (kind, slug)); a link to no entry is a problem at its position."""
    posts = []
    for item in read:
        resolved = []
        for link in item.links:
            target = entries.get(link.path)
            if target is None:
                problems.append(Problem(
                    item.source, link.line, link.column, "body",
                    f"link to '{link.target}': no entry {link.path} (a path to a file in "
                    "draws/ or posts/, relative to this post, expected)"))
                continue
            resolved.append((link.target, *target))
        if item.post is not None:
            posts.append(replace(item.post, links=tuple(dict.fromkeys(resolved))))
    return posts


def load_posts(root: Path, categories: dict[str, Category], languages: tuple[str, ...],
               check_categories: bool, entries: dict[str, tuple[str, str]],
               problems: list[Problem]) -> list[Post]:
    """Every post of the content folder, checked; `entries` are the draws loaded (file as
    shown -> ("draw", slug)), which links may name with the posts."""
    read = [post for path in post_files(root, problems) if (post := read_post(
        path, root, categories, languages, check_categories, problems)) is not None]
    slugs: dict[str, str] = {}
    identities: dict[str, str] = {}
    kept = []
    for item in read:
        post, marks = item.post, item.marks
        if post is None:
            kept.append(item)
            continue
        line, col = marks.get("slug", marks[""])
        if post.slug in slugs:
            problems.append(Problem(post.source, line, col, "slug", f"slug '{post.slug}' is "
                                    f"already used by {slugs[post.slug]} (a unique slug "
                                    "expected)"))
            continue
        if post.identity in identities:
            line, col = marks.get("id", marks[""])
            problems.append(Problem(post.source, line, col, "id", f"the identifier "
                                    f"'{post.identity}' is also {identities[post.identity]}'s "
                                    "(a unique 'id:' expected)"))
            continue
        slugs[post.slug] = identities[post.identity] = post.source
        kept.append(item)
    known = {**entries, **{item.source: ("post", item.post.slug) for item in kept
                           if item.post is not None}}
    return check_links(kept, known, problems)
