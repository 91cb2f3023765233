"""The layers of ARCHITECTURE.md: a module imports only from its own layer or those below it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "classifier"

#: Each module's layer, lowest first (ARCHITECTURE.md explains what each owns).
LAYERS: dict[str, int] = {
    **dict.fromkeys(["_version", "errors", "config", "labels"], 0),
    **dict.fromkeys(["chars", "normalize", "language", "passages", "cues", "disclosure"], 1),
    **dict.fromkeys(["engine", "features"], 2),
    **dict.fromkeys(["model", "card", "storage", "metrics", "pipeline", "dataset", "tables", "training"], 3),
    **dict.fromkeys(["predictor", "explain"], 4),
    **dict.fromkeys(
        ["inputs", "output", "scoring", "corpus", "evaluation", "report", "default_model", "corrections"], 5
    ),
    **dict.fromkeys(["cli", "service", "spark", "__init__", "__main__"], 6),
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("classifier"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("classifier."))
    return found & set(LAYERS)


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == set(LAYERS), modules ^ set(LAYERS)


def test_imports_go_down_the_layers_only() -> None:
    upward = []
    for path in sorted(PACKAGE.glob("*.py")):
        mine = LAYERS[path.stem]
        for name in sorted(_imports(path)):
            if LAYERS[name] > mine:
                upward.append(f"{path.stem} (layer {mine}) imports {name} (layer {LAYERS[name]})")
    assert upward == []


def test_scoring_modules_import_no_training_library() -> None:
    light = [
        m
        for m, layer in LAYERS.items()
        if m
        in (
            "chars",
            "normalize",
            "language",
            "passages",
            "cues",
            "disclosure",
            "engine",
            "model",
            "card",
            "storage",
            "predictor",
            "explain",
        )
    ]
    for name in light:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        heavy = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not heavy & {"sklearn", "scipy", "pandas", "joblib"}, name
