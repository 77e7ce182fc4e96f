"""LibreOffice as the real office client: convert what jtai wrote to PDF and read its text.

Without LibreOffice (``soffice``) and pdftotext these tests skip, unless the CI environment
variable is set, when they fail: .ci/run installs both, so CI must run them.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

_profiles = itertools.count()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        message = f"{tool} is not installed (Debian: libreoffice-*-nogui, poppler-utils)"
        if in_ci():
            pytest.fail(f"CI is set, so the office-client tests must run: {message}")
        pytest.skip(message)
    return found


def convert_to_pdf(document: Path, out_dir: Path) -> Path:
    """LibreOffice, headless, its own profile per call (parallel runs share no lock)."""
    return convert_to(document, out_dir, "pdf")


def convert_to(document: Path, out_dir: Path, suffix: str) -> Path:
    """``document`` opened and saved by LibreOffice as ``suffix`` (pdf, xlsx, ...)."""
    soffice = need("soffice")
    profile = out_dir / f"lo-profile-{os.getpid()}-{next(_profiles)}"
    out_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", suffix, "--outdir", str(out_dir), str(document)],
        capture_output=True, text=True, timeout=180, check=False)
    converted = out_dir / f"{document.stem}.{suffix}"
    assert done.returncode == 0 and converted.is_file(), (done.stdout, done.stderr)
    return converted


def pdf_text(pdf: Path) -> str:
    pdftotext = need("pdftotext")
    done = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout


def office_text(document: Path, out_dir: Path) -> str:
    """What LibreOffice prints of ``document``, as text (whitespace folded)."""
    return " ".join(pdf_text(convert_to_pdf(document, out_dir)).split())
