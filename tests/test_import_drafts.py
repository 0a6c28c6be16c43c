"""New rounds as drafts: `drawdesk import ircc --drafts-for-new`, or site.yaml's
`import: {new_rounds: draft}`; an editor publishes one by deleting its draft line."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import snapshot
from test_import import IMPORTED, OFFICIAL
from test_import import run as run_import

from drawdesk.cli import main
from drawdesk.source.loader import load_content
from drawdesk.tools.ircc.plan import DRAFT_LINE
from drawdesk.tools.schemafiles import schema_text


def run(site, source, *args: str):
    """Import the official fixture (two of its rounds are malformed on purpose)."""
    return run_import(site, source, "--skip-invalid", *args)


def set_new_rounds(site, value: str) -> None:
    path = site.content / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"import:\n  new_rounds: {value}\n",
                    encoding="utf-8")


def drafts_of(site) -> dict[str, bool]:
    content = load_content(site.content).content
    assert content is not None
    return {d.source.rsplit("/", 1)[1]: d.draft for d in content.draws}


@pytest.mark.parametrize("how", ["option", "setting"])
def test_new_rounds_arrive_as_drafts_and_an_editor_publishes_them(site, how):
    if how == "setting":
        set_new_rounds(site, "draft")
    args = ["--drafts-for-new"] if how == "option" else []
    result = run(site, OFFICIAL, *args)
    assert result.exit_code == 0, result.output
    assert drafts_of(site) == dict.fromkeys(IMPORTED, True)
    for name in IMPORTED:
        assert f"draws/{name} (round {IMPORTED[name]}): draft, for an editor to review" \
            in result.output
        text = (site.content / "draws" / name).read_text(encoding="utf-8")
        assert text.endswith(DRAFT_LINE + "\n")
    built = site.build()
    assert built.exit_code == 0, built.output
    assert "0 articles" in built.output  # left out until an editor publishes them

    # The editor publishes one: the next import leaves that decision, and the drafts, alone.
    published = site.content / "draws" / "2024-10-01-healthcare.yaml"
    published.write_text(published.read_text(encoding="utf-8").replace(DRAFT_LINE + "\n", ""),
                         encoding="utf-8")
    before = snapshot(site.content)
    again = run(site, OFFICIAL, *args)
    assert again.exit_code == 0, again.output
    assert f"0 added, 0 updated, {len(IMPORTED)} unchanged" in again.output
    assert snapshot(site.content) == before
    assert drafts_of(site)["2024-10-01-healthcare.yaml"] is False
    built = site.build()
    assert built.exit_code == 0, built.output
    assert "(1 articles" in built.output
    assert (site.output / "draws/2024-10-01-healthcare/index.html").is_file()


def test_new_rounds_are_published_by_default_and_with_publish(site):
    set_new_rounds(site, "publish")
    result = run(site, OFFICIAL)
    assert result.exit_code == 0, result.output
    assert drafts_of(site) == dict.fromkeys(IMPORTED, False)
    assert "draft" not in result.output
    assert not any("draft" in p.read_text(encoding="utf-8")
                   for p in (site.content / "draws").iterdir())


def test_a_wrong_setting_is_reported_with_its_position(site):
    set_new_rounds(site, "drafts")
    lines = (site.content / "site.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("  new_rounds: drafts") + 1
    result = CliRunner().invoke(main, ["validate", "--content", str(site.content)])
    assert result.exit_code == 1
    assert (f"site.yaml:{line}:15: import.new_rounds: 'drafts' is not allowed; did you mean "
            "'draft'? (one of: publish, draft expected)") in result.output
    imported = run(site, OFFICIAL)
    assert imported.exit_code == 1
    assert not list((site.content / "draws").iterdir())


def test_the_site_schema_describes_the_setting():
    schema = json.loads(schema_text("site"))
    setting = schema["properties"]["import"]
    assert setting["properties"]["new_rounds"]["enum"] == ["publish", "draft"]
    site = yaml.safe_load((OFFICIAL.parents[2].parent / "content/site.yaml").read_text(
        encoding="utf-8"))
    jsonschema.validate({**site, "import": {"new_rounds": "draft"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**site, "import": {"new_rounds": "later"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**site, "import": {"new_round": "draft"}}, schema)
