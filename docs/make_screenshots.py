"""Draw the guide's pictures from real renderings: `make screenshots`.

- The update pack as LibreOffice shows it: a TVP pack, filled in as an owner would,
  converted headlessly to PDF and each page to PNG with pdftoppm.
- The HTML report as Chromium draws it, after the return has been applied.

Needs soffice, pdftoppm and chromium on PATH (Debian: libreoffice-calc-nogui,
poppler-utils, chromium). Writes docs/guide-*.png; each is kept under 200 KB.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
AS_OF = "2025-07-01"
EPOCH = "1751360400"  # 2025-07-01 09:00 UTC: the report's "generated" stamp
MAX_BYTES = 200_000


def jtai(*args: str, cwd: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "jtaiplan", *args], cwd=cwd, env=env, check=True)


def tool(name: str, *alternatives: str) -> str:
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    sys.exit(f"make_screenshots: {name} is not installed")


def fill_return(pack: Path, out: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(pack)
    sheet = book["Return"]
    sheet["H2"] = "Amber"
    sheet["J2"] = "Training for front-line officers delayed until September"
    sheet["K3"] = "Briefing slides circulated to all MARAC agencies"
    sheet["L3"] = datetime(2025, 12, 31)
    sheet["M3"] = "MARAC steering group moved to the autumn"
    book.save(out)


def pack_pages(work: Path) -> list[Path]:
    soffice = tool("soffice", "libreoffice")
    pdftoppm = tool("pdftoppm")
    profile = (work / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(work), str(work / "TVP.xlsx")],
                   check=True, capture_output=True, timeout=180)
    out = []
    # The Return sheet is printed to fit an A4 width, so its picture is the table alone,
    # drawn at a higher resolution: (dpi, crop x, y, width, height) in pixels.
    pages = ((1, "guide-pack-help.png", ("80", "0", "40", "935", "480")),
             (2, "guide-pack-return.png", ("180", "125", "170", "1840", "160")))
    for page, name, (dpi, x, y, width, height) in pages:
        stem = work / f"page{page}"
        subprocess.run([pdftoppm, "-png", "-r", dpi, "-f", str(page), "-l", str(page),
                        "-x", x, "-y", y, "-W", width, "-H", height,
                        "-singlefile", str(work / "TVP.pdf"), str(stem)], check=True,
                       timeout=60)
        target = DOCS / name
        shutil.copyfile(stem.with_suffix(".png"), target)
        out.append(target)
    return out


def report_shot(work: Path) -> Path:
    chromium = tool("chromium", "chromium-browser")
    jtai("report", "--as-of", AS_OF, "-o", "report.html", cwd=work)
    target = DOCS / "guide-report.png"
    # Same flags as tests/test_report_browser.py; an unused proxy port keeps it offline.
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--hide-scrollbars",
                    "--force-color-profile=srgb", "--force-device-scale-factor=1",
                    "--run-all-compositor-stages-before-draw",
                    f"--user-data-dir={work / 'chromium-profile'}",
                    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                    f"--screenshot={target}", "--window-size=1200,900",
                    (work / "report.html").as_uri()],
                   check=True, capture_output=True, timeout=120, start_new_session=True)
    return target


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="jtai-shots-") as folder:
        work = Path(folder)
        shutil.copyfile(REPO / "plan.yaml", work / "plan.yaml")
        jtai("pack", "--owner", "TVP", "-o", "pack.xlsx", "--as-of", AS_OF, cwd=work)
        fill_return(work / "pack.xlsx", work / "TVP.xlsx")
        made = pack_pages(work)
        jtai("apply", "TVP.xlsx", "--on", "2025-07-10", cwd=work)
        made.append(report_shot(work))
    for picture in made:
        size = picture.stat().st_size
        if size > MAX_BYTES:
            sys.exit(f"make_screenshots: {picture.name} is {size} bytes, over {MAX_BYTES}")
        print(f"wrote {picture.relative_to(REPO)} ({size // 1024} KB)")


if __name__ == "__main__":
    main()
