"""The HTML report in a real browser: headless Chromium draws it, prints it, fetches nothing.

Every launch goes through a little recording HTTP proxy on 127.0.0.1 (loopback included, via
``--proxy-bypass-list=<-loopback>``), so any request the page makes, http or https, is seen.
Chromium also calls its own services (component updates, sign-in) whatever the flags say;
those hosts are listed in BROWSER_SERVICES and ignored. A canary page that does load
``http://example.invalid/x.png`` proves the proxy sees page requests.

Without Chromium (``/usr/bin/chromium`` or ``chromium`` on PATH) these tests skip, unless the
CI environment variable is set, when they fail: CI must run them (.ci/run installs chromium
and poppler-utils). The first-page check of the PDF also needs pdftoppm.

docs/report-screenshot.png (for the README) is made by the same code; to refresh it::

    UPDATE_SCREENSHOT=1 .venv/bin/pytest tests/test_report_browser.py -k docs_screenshot
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, Invoke

LAUNCH_TIMEOUT = 60
EPOCH = "1751360400"
AS_OF = "2025-07-01"
SCREENSHOT = REPO / "docs" / "report-screenshot.png"
SCREENSHOT_SIZE = (1300, 1600)
# Chromium's own calls home, made whatever page is open (seen with Chromium 156 and the
# flags below): never requests of the page. Everything else is.
BROWSER_SERVICES = frozenset({
    "accounts.google.com", "clients1.google.com", "clients2.google.com",
    "update.googleapis.com", "optimizationguide-pa.googleapis.com",
    "safebrowsing.googleapis.com", "content-autofill.googleapis.com",
    "redirector.gvt1.com", "edgedl.me.gvt1.com",
})
# The chart's bar fills (templates/_chart.svg.j2) and the Amber tag's tint
# (templates/_report.css.j2): drawn only if the report's own styles were applied.
REPORT_COLOURS = {"Blue bar": (0x6E, 0xA8, 0xFE), "Green bar": (0x75, 0xB7, 0x98),
                  "Amber bar": (0xFF, 0xDA, 0x6A), "Amber tag": (0xFF, 0xE6, 0x9C)}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        message = ("headless Chromium not found (/usr/bin/chromium or chromium on PATH); "
                   "install it (Debian: apt-get install chromium) to run the browser tests")
        if in_ci():
            pytest.fail(f"CI is set, so the browser tests must run: {message}")
        pytest.skip(message)
    return binary


# --- a recording proxy ------------------------------------------------------------------------

@dataclass
class Recorder:
    port: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hosts(self) -> set[str]:
        with self.lock:
            seen = list(self.requests)
        out = set()
        for method, target in seen:
            host = target.rsplit(":", 1)[0] if method == "CONNECT" else urlsplit(target).hostname
            out.add((host or target).lower())
        return out

    def page_hosts(self) -> set[str]:
        return self.hosts() - BROWSER_SERVICES

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()


@pytest.fixture
def proxy() -> Iterator[Recorder]:
    """An HTTP proxy on a free loopback port that records every request and answers 404."""
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def record(self) -> None:
            with recorder.lock:
                recorder.requests.append((self.command, self.path))
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = record

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- launching Chromium -----------------------------------------------------------------------

def launch(binary: str, page: Path, proxy: Recorder, profile: Path, *extra: str) -> None:
    """Run headless Chromium on ``page`` once; kill its whole process group after 60 s."""
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,"
            "MediaRouter", "--hide-scrollbars", "--force-color-profile=srgb",
            "--force-device-scale-factor=1", "--run-all-compositor-stages-before-draw",
            f"--user-data-dir={profile}",
            f"--proxy-server=http://127.0.0.1:{proxy.port}", "--proxy-bypass-list=<-loopback>",
            *extra, page.resolve().as_uri()]
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _out, err = process.communicate(timeout=LAUNCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        pytest.fail(f"Chromium did not finish within {LAUNCH_TIMEOUT} s on {page.name}")
    finally:
        _kill_group(process)  # helpers it left behind, if any: only the group started here
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def screenshot(binary: str, page: Path, proxy: Recorder, tmp: Path,
               size: tuple[int, int] = (1300, 1800)) -> Path:
    out = tmp / f"{page.stem}.png"
    launch(binary, page, proxy, tmp / f"profile-{page.stem}-shot",
           f"--screenshot={out}", f"--window-size={size[0]},{size[1]}")
    assert out.is_file(), "Chromium wrote no screenshot"
    return out


def print_pdf(binary: str, page: Path, proxy: Recorder, tmp: Path) -> Path:
    out = tmp / f"{page.stem}.pdf"
    launch(binary, page, proxy, tmp / f"profile-{page.stem}-pdf",
           f"--print-to-pdf={out}", "--no-pdf-header-footer")
    assert out.is_file(), "Chromium wrote no PDF"
    return out


# --- reading PNGs without Pillow --------------------------------------------------------------

@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]  # RGB(A) bytes per row
    channels: int

    def pixels(self, step: int = 1) -> Iterator[tuple[int, int, int]]:
        c = self.channels
        for row in self.rows[::step]:
            for i in range(0, len(row), c * step):
                yield row[i], row[i + 1], row[i + 2]


def read_png(data: bytes) -> Image:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium and pdftoppm write)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    assert len(raw) == height * (stride + 1), "truncated image data"
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if method == 1:  # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif method == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif method == 3:  # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + (left + previous[i]) // 2) & 0xFF
        elif method == 4:  # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) \
                    & 0xFF
        else:
            assert method == 0, f"unknown PNG filter {method}"
        rows.append(bytes(line))
        previous = line
    return Image(width, height, rows, channels)


def ink(image: Image) -> tuple[float, int]:
    """Share of pixels that are not near-white, and the number of distinct colours (sampled
    every other pixel both ways)."""
    total = dark = 0
    colours: set[tuple[int, int, int]] = set()
    for pixel in image.pixels(step=2):
        total += 1
        colours.add(pixel)
        if min(pixel) < 235:
            dark += 1
    return dark / total, len(colours)


def assert_not_blank(image: Image) -> None:
    share, colours = ink(image)
    assert share > 0.02, f"only {share:.2%} of the page is inked: blank?"
    assert colours > 20, f"only {colours} colours: blank?"


def test_png_reader_and_blank_check_on_a_made_up_image() -> None:
    """The decoder against an image built here with every filter type; the blank check fails
    on white and passes on a drawn page."""

    def png(width: int, height: int, rows: list[bytes]) -> bytes:
        def chunk(kind: bytes, body: bytes) -> bytes:
            return (struct.pack(">I", len(body)) + kind + body
                    + struct.pack(">I", zlib.crc32(kind + body)))
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))

    white = png(4, 2, [b"\x00" + b"\xff" * 12] * 2)
    image = read_png(white)
    assert (image.width, image.height) == (4, 2)
    assert set(image.pixels()) == {(255, 255, 255)}
    assert ink(image) == (0.0, 1)
    with pytest.raises(AssertionError, match="blank"):
        assert_not_blank(image)
    # filters: row 0 Sub, row 1 Up, row 2 Average, row 3 Paeth, each decoding to known pixels
    sub = bytes([1, 10, 20, 30, 5, 5, 5])  # (10,20,30), (15,25,35)
    up = bytes([2, 1, 1, 1, 1, 1, 1])  # (11,21,31), (16,26,36)
    avg = bytes([3, 0, 0, 0, 0, 0, 0])  # (11//2, ...) = (5,10,15), ((5+16)//2, ...)
    paeth = bytes([4, 50, 0, 0, 0, 0, 0])  # first pixel predicted from above, second from
    decoded = read_png(png(2, 4, [sub, up, avg, paeth]))  # the left (red) and above (rest)
    assert decoded.rows[0] == bytes([10, 20, 30, 15, 25, 35])
    assert decoded.rows[1] == bytes([11, 21, 31, 16, 26, 36])
    assert decoded.rows[2] == bytes([5, 10, 15, 10, 18, 25])
    assert decoded.rows[3] == bytes([55, 10, 15, 55, 18, 25])


# --- the pages --------------------------------------------------------------------------------

@pytest.fixture
def report_html(jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "report.html"
    result = jtai("report", "--plan", "plan.yaml", "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def canary_html(tmp_path: Path) -> Path:
    page = tmp_path / "canary.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>canary'
                    '</title></head><body><h1>Canary</h1><p>This page loads a remote image.</p>'
                    '<img alt="" src="http://example.invalid/x.png"></body></html>\n',
                    encoding="utf-8")
    return page


@pytest.mark.browser
def test_canary_request_is_seen(chromium: str, proxy: Recorder, canary_html: Path,
                                tmp_path: Path) -> None:
    """Without this, "no request seen" below could mean a proxy that sees nothing."""
    screenshot(chromium, canary_html, proxy, tmp_path)
    assert "example.invalid" in proxy.page_hosts(), proxy.requests
    assert ("GET", "http://example.invalid/x.png") in proxy.requests


@pytest.mark.browser
def test_blank_page_is_called_blank(chromium: str, proxy: Recorder, tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html lang=\"en\"><title>blank</title></html>\n",
                    encoding="utf-8")
    image = read_png(screenshot(chromium, page, proxy, tmp_path).read_bytes())
    assert (image.width, image.height) == (1300, 1800)
    with pytest.raises(AssertionError, match="blank"):
        assert_not_blank(image)


@pytest.mark.browser
def test_report_screenshot_is_drawn_and_fetches_nothing(
        chromium: str, proxy: Recorder, report_html: Path, tmp_path: Path) -> None:
    image = read_png(screenshot(chromium, report_html, proxy, tmp_path).read_bytes())
    assert (image.width, image.height) == (1300, 1800)
    assert_not_blank(image)
    seen = set(image.pixels(step=1))
    missing = [name for name, colour in REPORT_COLOURS.items() if colour not in seen]
    assert not missing, f"the report's colours were not drawn: {missing}"
    assert proxy.page_hosts() == set(), f"the report made requests: {proxy.requests}"


PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


@pytest.mark.browser
def test_report_prints_to_a4_landscape_and_fetches_nothing(
        chromium: str, proxy: Recorder, report_html: Path, tmp_path: Path) -> None:
    pdf = print_pdf(chromium, report_html, proxy, tmp_path).read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = len(PDF_PAGE.findall(pdf))
    assert pages >= 3, f"{pages} page(s): a 20-action report takes several"
    boxes = {(round(float(w)), round(float(h))) for w, h in MEDIA_BOX.findall(pdf)}
    assert boxes == {(842, 595)}, f"pages are not all A4 landscape: {boxes}"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60,
                              check=True).stdout.decode()
        assert re.search(rf"^Pages:\s+{pages}$", info, re.M), info
    assert proxy.page_hosts() == set(), f"printing made requests: {proxy.requests}"


@pytest.mark.browser
def test_printed_first_page_is_not_blank(chromium: str, proxy: Recorder, report_html: Path,
                                         tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        message = "pdftoppm (poppler-utils) not found: cannot look at the printed page"
        if in_ci():
            pytest.fail(f"CI is set: {message}")
        pytest.skip(message)
    pdf = print_pdf(chromium, report_html, proxy, tmp_path)
    subprocess.run([pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp_path / "page1")], check=True, timeout=60)
    image = read_png((tmp_path / "page1.png").read_bytes())
    assert image.width > image.height, "the first page is not landscape"
    assert_not_blank(image)
    assert proxy.page_hosts() == set(), f"printing made requests: {proxy.requests}"


@pytest.mark.browser
def test_docs_screenshot(chromium: str, proxy: Recorder, report_html: Path,
                         tmp_path: Path) -> None:
    """The README's picture, drawn afresh at its size; UPDATE_SCREENSHOT=1 saves it as
    docs/report-screenshot.png. (Fonts differ between machines, so it is not compared.)"""
    shot = screenshot(chromium, report_html, proxy, tmp_path, SCREENSHOT_SIZE)
    assert proxy.page_hosts() == set(), proxy.requests
    image = read_png(shot.read_bytes())
    assert (image.width, image.height) == SCREENSHOT_SIZE
    assert_not_blank(image)
    if os.environ.get("UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    check_docs_screenshot()


def test_docs_screenshot_file() -> None:
    """Needs no browser: the committed README picture is there, the right size, not blank."""
    check_docs_screenshot()


def check_docs_screenshot() -> None:
    assert SCREENSHOT.is_file(), f"{SCREENSHOT} is missing (UPDATE_SCREENSHOT=1 makes it)"
    data = SCREENSHOT.read_bytes()
    assert len(data) < 400_000, f"{len(data)} bytes: too big for the README"
    image = read_png(data)
    assert (image.width, image.height) == SCREENSHOT_SIZE
    assert_not_blank(image)
