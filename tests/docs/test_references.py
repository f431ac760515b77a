"""Every file, command and link the README and docs name exists: the docs can be followed."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
# A path of the project in backticks: top-level folders and files, not runtime ones (var/).
TOP = {path.name for path in ROOT.iterdir() if not path.name.startswith(".")} - {"var"}
BACKTICKED = re.compile(r"`([^`\s]+)`")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
MAKE = re.compile(r"\bmake ([a-z][a-z-]*)")
MANAGE = re.compile(r"manage\.py ([a-z_]+)")


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def _named_paths(text: str) -> set[str]:
    found = set()
    for token in BACKTICKED.findall(text):
        token = token.rstrip(".,:;")
        if any(mark in token for mark in "<>*{}$=") or "://" in token:
            continue
        if token.split("/")[0] in TOP and ("/" in token or "." in token):
            found.add(token.split(":")[0])  # "surveys/asking/delivery.py:200" names the file
    return found


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_path_command_and_link_a_document_names_exists(document):
    text = document.read_text()
    missing = [path for path in _named_paths(text) if not (ROOT / path).exists()]
    missing += [
        f"link {link}"
        for link in LINK.findall(text)
        if not link.startswith(("http:", "https:", "mailto:"))
        and not (document.parent / link).exists()
    ]
    targets = _make_targets()
    missing += [f"make {target}" for target in MAKE.findall(text) if target not in targets]
    commands = get_commands()
    missing += [f"manage.py {name}" for name in MANAGE.findall(text) if name not in commands]
    assert missing == [], f"{document.name} names what does not exist: {missing}"


def test_the_readme_is_the_front_door():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 250
