"""A site's own templates override the built-in theme, file by file."""

from __future__ import annotations

from pathlib import Path

from conftest import SiteFolder

ARTICLE = "draws/2025-07-22-healthcare/index.html"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _built(site: SiteFolder, *args: str) -> SiteFolder:
    site.draw("2025-07-22-healthcare.yaml")
    site.draw("2025-07-08-canadian-experience-class.yaml", date="2025-07-08",
              category="canadian-experience-class", round=356, min_crs=518, invitations=3000)
    result = site.build(*args)
    assert result.exit_code == 0, result.output
    return site


def test_a_site_template_replaces_only_its_own_file(site: SiteFolder) -> None:
    _write(site.content / "templates" / "404.html",
           '{% extends "base.html" %}{% block main %}<h1>Lost?</h1>{% endblock %}\n')
    _built(site)
    assert "<h1>Lost?</h1>" in site.page("404.html")
    assert 'class="site-header"' in site.page("404.html")  # base.html still the theme's
    assert "Confirmed details from the draw" in site.page(ARTICLE)  # other pages untouched


def test_an_overridden_base_template_applies_to_every_page(site: SiteFolder) -> None:
    theme_base = (Path(__file__).resolve().parent.parent / "templates" / "base.html")
    custom = theme_base.read_text(encoding="utf-8").replace(
        '<footer class="site-footer">', '<footer class="site-footer"><p>Local edition</p>')
    _write(site.content / "templates" / "base.html", custom)
    _built(site)
    for page in ("index.html", ARTICLE, "category/healthcare/index.html", "404.html"):
        assert "<p>Local edition</p>" in site.page(page), page


def test_a_site_template_can_extend_the_theme_version_of_itself(site: SiteFolder) -> None:
    _write(site.content / "templates" / "article.html",
           '{% extends "theme/article.html" %}\n'
           '{% block main %}<p class="banner">Updated hourly</p>{{ super() }}{% endblock %}\n')
    _built(site)
    page = site.page(ARTICLE)
    assert '<p class="banner">Updated hourly</p>' in page
    assert page.index("Updated hourly") < page.index("<h1>")
    assert "Confirmed details from the draw" in page


def test_a_site_stylesheet_replaces_the_theme_stylesheet(site: SiteFolder) -> None:
    _write(site.content / "templates" / "assets" / "style.css", "body { color: teal; }\n")
    _built(site)
    assert (site.output / "assets" / "style.css").read_text() == "body { color: teal; }\n"


def test_site_strings_override_the_theme_strings_one_by_one(site: SiteFolder) -> None:
    _write(site.content / "templates" / "i18n" / "en.yaml", "skip: Jump to the story\n")
    _built(site)
    page = site.page(ARTICLE)
    assert ">Jump to the story</a>" in page
    assert ">Latest draws</a>" in page  # every other string still the theme's


def test_the_templates_option_takes_precedence(site: SiteFolder, tmp_path: Path) -> None:
    _write(site.content / "templates" / "404.html",
           '{% extends "base.html" %}{% block main %}<h1>From content</h1>{% endblock %}\n')
    other = tmp_path / "mytheme"
    _write(other / "404.html",
           '{% extends "base.html" %}{% block main %}<h1>From option</h1>{% endblock %}\n')
    _built(site, "--templates", str(other))
    assert "<h1>From option</h1>" in site.page("404.html")


def test_without_site_templates_the_theme_is_used(site: SiteFolder) -> None:
    _built(site)
    theme_css = Path(__file__).resolve().parent.parent / "templates" / "assets" / "style.css"
    assert (site.output / "assets" / "style.css").read_bytes() == theme_css.read_bytes()
