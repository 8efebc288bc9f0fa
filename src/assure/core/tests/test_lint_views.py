"""scripts/lint_views.py: views read through selectors, never a model directly."""

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[4]


def _lint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lint_views", ROOT / "scripts/lint_views.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_direct_model_queries_are_found_by_line() -> None:
    source = (
        "def page(request, pk):\n"
        "    review = get_object_or_404(Review, pk=pk)\n"
        "    people = accounts.User.objects.filter(is_active=True)\n"
        "    action = get_object_or_404(selectors.actions_for(user), pk=pk)\n"
        "    return render(request, 'x.html', {'objects': review.objects_seen})\n"
    )
    assert _lint().offences(source) == [
        (2, "get_object_or_404(Review"),
        (3, "accounts.User.objects"),
    ]


def test_the_views_of_this_project_pass() -> None:
    assert _lint().main(ROOT) == 0
