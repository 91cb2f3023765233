"""The layers of ARCHITECTURE.md: each layer is a subpackage of ``classifier``, and a module imports
only from its own layer or those below it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "classifier"

#: The layer subpackages, lowest first (ARCHITECTURE.md explains what each owns).
LAYERS: tuple[str, ...] = ("core", "text", "featurize", "modeling", "prediction", "workflows", "interfaces")
#: Modules at the top of the package: the public face and the version, above every layer or below it.
TOP = {"__init__": len(LAYERS), "__main__": len(LAYERS), "_version": 0}
#: Modules that scoring imports: NumPy and the standard library only.
LIGHT = {
    "text": None,  # the whole layer
    "featurize": {"engine"},
    "modeling": {"model", "storage"},
    "prediction": None,
}


def _modules() -> dict[str, int]:
    """Every module of the package, dotted below ``classifier``, with its layer."""
    found = {name: layer for name, layer in TOP.items()}
    for layer, sub in enumerate(LAYERS):
        for path in sorted((PACKAGE / sub).glob("*.py")):
            found[f"{sub}.{path.stem}"] = layer
    return found


def _path(module: str) -> Path:
    return PACKAGE / (module.replace(".", "/") + ".py")


def _imports(path: Path) -> set[str]:
    """The package's modules a file imports, lazy imports included, as dotted names below ``classifier``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("classifier"):
            parts = node.module.split(".")[1:]
            if len(parts) >= 2:
                found.add(".".join(parts[:2]))
            elif len(parts) == 1 and parts[0] in LAYERS:  # from classifier.text import normalize
                found.update(f"{parts[0]}.{alias.name}" for alias in node.names)
            elif len(parts) == 1:  # from classifier._version import __version__
                found.add(parts[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")[1:]
                if alias.name.startswith("classifier.") and parts:
                    found.add(".".join(parts[:2]))
    return found


def _layer_of(name: str, modules: dict[str, int]) -> int | None:
    if name in modules:
        return modules[name]
    if name in LAYERS:  # the subpackage itself
        return LAYERS.index(name)
    return None


def test_every_file_of_the_package_is_in_a_layer() -> None:
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    assert flat == set(TOP), f"modules outside the layers: {sorted(flat - set(TOP))}"
    subpackages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert subpackages == set(LAYERS), subpackages ^ set(LAYERS)


def test_imports_go_down_the_layers_only() -> None:
    modules = _modules()
    upward = []
    for module, mine in sorted(modules.items()):
        for name in sorted(_imports(_path(module))):
            theirs = _layer_of(name, modules)
            assert theirs is not None or name in TOP, f"{module} imports unknown classifier.{name}"
            if theirs is not None and theirs > mine:
                upward.append(f"{module} (layer {mine}) imports {name} (layer {theirs})")
    assert upward == []


def test_scoring_modules_import_no_training_library() -> None:
    light = [
        f"{sub}.{path.stem}"
        for sub, names in LIGHT.items()
        for path in sorted((PACKAGE / sub).glob("*.py"))
        if names is None or path.stem in names
    ]
    assert len(light) >= 10
    for module in light:
        tree = ast.parse(_path(module).read_text(encoding="utf-8"))
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
        assert not heavy & {"sklearn", "scipy", "pandas", "joblib"}, module


def test_an_upward_import_would_be_caught(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("from classifier.interfaces.cli import main\nfrom classifier import Predictor\n")
    assert _imports(source) == {"interfaces.cli", "Predictor"}
