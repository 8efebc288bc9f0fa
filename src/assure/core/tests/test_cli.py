"""The `assure` command itself: names with hyphens, and the collector on for the command."""

from assure.core.tests.test_settings import run_assure


def test_a_command_named_with_hyphens_has_its_help() -> None:
    ran = run_assure("help", "import-cases", SECRET_KEY="cli-test-only")
    assert ran.returncode == 0, ran.stderr
    assert " import_cases [-h]" in ran.stdout.splitlines()[0]


def test_the_garbage_collector_is_on_while_a_command_runs() -> None:
    """It is off while Django starts (see `assure.cli`); a server must not run without it."""
    ran = run_assure("shell", "-c", "import gc; print(gc.isenabled())", SECRET_KEY="cli-test-only")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == "True"
