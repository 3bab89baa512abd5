"""The apps depend one way: workforce <- outcomes <- actions <- reporting <- dashboard <- publishing <- demo."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings

LINT_IMPORTS = shutil.which("lint-imports") or str(Path(settings.BASE_DIR) / ".venv" / "bin" / "lint-imports")


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )


def test_the_layers_contract_holds():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_it():
    probe = Path(settings.BASE_DIR) / "outcomes" / "_upward_import_probe.py"
    probe.write_text("import reporting.models  # noqa: F401\n")
    try:
        result = lint_imports()
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "outcomes._upward_import_probe -> reporting.models" in result.stdout
