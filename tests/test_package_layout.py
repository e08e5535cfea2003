"""The library's subpackages import only the layers below them (docs/developing.md, "The library's house").

physics and tables sit at the bottom (the physics reads its input tables through astrocevns.tables.io, whose readers
return physics objects); inference builds on them, datasets on inference, presentation draws what inference computes,
and pipeline, the workflow's planning and checking, may use everything. astrocevns.errors imports nothing.
"""

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "workflow" / "lib" / "astrocevns"
BOTTOM = {"errors", "physics", "tables"}
ALLOWED = {
    "errors": set(),
    "tables": BOTTOM,
    "physics": BOTTOM,
    "inference": BOTTOM,
    "datasets": BOTTOM | {"inference"},
    "presentation": BOTTOM | {"inference"},
    "pipeline": BOTTOM | {"inference", "datasets", "presentation"},
}


def imported_subpackages(path: Path, library: Path = LIBRARY) -> set[str]:
    """The subpackages of astrocevns that the module at ``path`` (inside ``library``) imports, relative or absolute."""
    package = list(path.relative_to(library.parent).parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
                names = [target + [alias.name] for alias in node.names] if len(target) == 1 else [target]
            else:
                names = [node.module.split(".")] if node.module else []
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        else:
            continue
        found |= {name[1] for name in names if name[0] == "astrocevns" and len(name) > 1 and name[1] != "__version__"}
    return found


def subpackage_of(path: Path) -> str:
    relative = path.relative_to(LIBRARY)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_module_lives_in_a_subpackage():
    """Only the package's __init__ and the leaf errors module stay at the top."""
    assert sorted(path.name for path in LIBRARY.glob("*.py")) == ["__init__.py", "errors.py"]
    assert set(ALLOWED) - {"errors"} == {path.name for path in LIBRARY.iterdir() if (path / "__init__.py").exists()}


@pytest.mark.parametrize(
    "path", sorted(LIBRARY.rglob("*.py")), ids=lambda path: str(path.relative_to(LIBRARY)).removesuffix(".py")
)
def test_imports_follow_the_layers(path):
    here = subpackage_of(path)
    if here == "__init__":
        return
    assert imported_subpackages(path) - {here} <= ALLOWED[here], f"{path.relative_to(LIBRARY)} imports a layer above"


def test_the_layer_check_sees_a_violation(tmp_path):
    """A physics module that imported the pipeline or the datasets would be caught (the check is not vacuous)."""
    probe = tmp_path / "astrocevns" / "physics" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from . import rates\nfrom ..pipeline import plan\nfrom astrocevns.datasets import recasting\n")
    assert imported_subpackages(probe, tmp_path / "astrocevns") == {"physics", "pipeline", "datasets"}
