"""Layers: the packages depend one way. ``guidance`` (answering, the CLI, the pages) imports ``ingest``; no
module under ``ingest/`` imports ``guidance``, at its top or inside a function."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def guidance_imports(source: str) -> list[str]:
    """The ``guidance`` modules a source file imports, wherever the import statement is, but for those only a type
    checker reads (under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(source)
    for block in [node for node in ast.walk(tree) if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]:
        block.body = []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "guidance"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "guidance":
            found.append(node.module)
    return found


def test_the_check_finds_each_form_of_import():
    source = ("import guidance.settings\nfrom guidance import embedding\n"
              "def later():\n    from guidance.settings import load_settings\n")
    assert guidance_imports(source) == ["guidance.settings", "guidance", "guidance.settings"]
    assert guidance_imports("import guidancebook\nfrom ingest.index import open_index\n# from guidance import x\n") == []


def test_no_ingest_module_imports_guidance():
    modules = sorted((REPO / "ingest").rglob("*.py"))
    assert len(modules) > 20  # the folder was found
    importers = {str(path.relative_to(REPO)): guidance_imports(path.read_text(encoding="utf-8")) for path in modules}
    assert {path: names for path, names in importers.items() if names} == {}


def test_the_core_imports_neither_the_pages_nor_the_cli():
    """Retrieval, answering, citing, corrections and evaluation are used by the UI and the CLI, never the
    reverse, so either can be replaced without touching the core."""
    outer = ("guidance.ui", "guidance.cli")
    core = [path for path in sorted((REPO / "guidance").rglob("*.py"))
            if path.relative_to(REPO / "guidance").parts[0] not in ("ui", "cli")]
    assert len(core) > 20
    importers = {str(path.relative_to(REPO)): [name for name in guidance_imports(path.read_text(encoding="utf-8"))
                                               if name.startswith(outer)] for path in core}
    assert {path: names for path, names in importers.items() if names} == {}


def test_the_core_never_reads_the_settings_and_corrections_never_import_answering():
    """The entry points read the environment once (guidance/settings.py) and hand the Assistant what it needs;
    officers' corrections are stored and matched below answering, which applies them."""
    below_settings = [REPO / "guidance" / name for name in ("answering", "retrieval", "citing", "corrections", "backends")]
    rules = [(folder, "guidance.settings") for folder in below_settings] + [(REPO / "guidance" / "corrections", "guidance.answering")]
    broken = {str(path.relative_to(REPO)): name for folder, forbidden in rules for path in sorted(folder.rglob("*.py"))
              for name in guidance_imports(path.read_text(encoding="utf-8")) if name.startswith(forbidden)}
    assert broken == {}
    assert guidance_imports("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from guidance.settings import Settings\n") == []


def test_answering_does_not_import_evaluation():
    modules = sorted((REPO / "guidance" / "answering").rglob("*.py")) + sorted((REPO / "guidance" / "retrieval").rglob("*.py"))
    importers = {str(path.relative_to(REPO)): [name for name in guidance_imports(path.read_text(encoding="utf-8"))
                                               if name.startswith("guidance.evaluation")] for path in modules}
    assert {path: names for path, names in importers.items() if names} == {}
