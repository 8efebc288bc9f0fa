"""Fail when a views module queries a model directly: reads belong in the app's selectors.

Flags `<Model>.objects` and `get_object_or_404(<Model>, ...)` in every `views.py` and
`*_views.py` under src/ (tests aside), as file:line. There are no exceptions: a view gets its
records from a selector, which starts from the request's viewer.

Usage: python scripts/lint_views.py [root]
"""

import ast
import sys
from pathlib import Path


def _name(node: ast.expr) -> str | None:
    """`Model` or `module.Model`, as written."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def offences(source: str) -> list[tuple[int, str]]:
    """(line, what) for each direct model query in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            model = _name(node.value)
            if model:
                found.append((node.lineno, f"{model}.objects"))
        elif (
            isinstance(node, ast.Call)
            and _name(node.func) in ("get_object_or_404", "shortcuts.get_object_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name | ast.Attribute)
        ):
            found.append((node.lineno, f"get_object_or_404({_name(node.args[0])}"))
    return sorted(found)


def main(root: Path) -> int:
    problems = []
    modules = [*root.glob("src/**/views.py"), *root.glob("src/**/*_views.py")]
    for module in sorted(p for p in modules if "tests" not in p.parts):
        path = module.relative_to(root).as_posix()
        for line, what in offences(module.read_text()):
            problems.append(f"{path}:{line}: {what} in a view; read through selectors")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent))
