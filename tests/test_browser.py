"""Browser check: every page of the built book, and one slide deck, in headless Chromium.

Run after `make book slides` (make test does). The pages are served on loopback; every request to any
other host is blocked and counted as a failure, because the book and the decks must work offline. A page
fails on a JavaScript error, a console error, a failed request, a MathJax error or untypeset math, a
broken image, or an internal link to a missing page or anchor. A screenshot of each page is saved under
_build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SLIDES = ROOT / "_build" / "slides"
SHOTS = ROOT / "_build" / "screenshots"
SKIP_PAGES = {"genindex.html", "search.html"}  # Sphinx utility pages, not part of the reading path

pytestmark = [
    pytest.mark.browser,
    # Chromium may leave keep-alive connections to the test server open when a page closes.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def pages() -> list[Path]:
    if not HTML.exists():
        return []
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and p.name not in SKIP_PAGES
                  and p != HTML / "index.html")


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: run `make book` first")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

    handler = functools.partial(Handler, directory=str(ROOT / "_build"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Chromium is not installed: `make browser` installs it (tools/ensure_chromium.sh)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


class PageProblems:
    """Collects what goes wrong while a page loads."""

    def __init__(self, page, origin: str) -> None:
        self.items: list[str] = []
        page.on("pageerror", lambda exc: self.items.append(f"JavaScript error: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and self.items.append(f"console error: {msg.text}"))
        page.on("requestfailed", lambda req: req.url.startswith(origin) and
                self.items.append(f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda res: res.status >= 400 and self.items.append(f"HTTP {res.status}: {res.url}"))

        def route(route):
            if route.request.url.startswith(origin) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.items.append(f"request to another host (the book must work offline): {route.request.url}")
                route.abort()

        page.route("**/*", route)


def settle(page) -> None:
    """Wait until MathJax has typeset the page and the fonts it asked for have arrived. MathJax starts after
    "load" and fetches its fonts while it typesets; a test that navigates on before that aborts those
    requests itself, which is not a problem of the page."""
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)", timeout=20000)
    page.evaluate("window.MathJax ? MathJax.startup.promise : null")
    page.evaluate("document.fonts.ready.then(() => true)")


def anchors_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        cache[path] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
    return cache[path]


def test_book_has_pages():
    assert (HTML / "index.html").exists(), "run `make book` first"
    assert len(pages()) >= 2


def test_index_redirects_to_the_preface():
    # Jupyter Book's index.html is a redirect to the root document of _toc.yml.
    target = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', (HTML / "index.html").read_text())
    assert target, "index.html is not a redirect page"
    assert (HTML / target.group(1)).exists()


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(HTML)))
def test_page(path: Path, server: str, browser) -> None:
    rel = path.relative_to(HTML).as_posix()
    url = f"{server}/html/{rel}"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = PageProblems(page, server)
    page.goto(url, wait_until="load")
    has_math = page.evaluate("document.querySelectorAll('.math, span.math, div.math').length") > 0
    if has_math:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        page.evaluate("MathJax.startup.promise")
        typeset = page.evaluate("document.querySelectorAll('mjx-container').length")
        errors = page.evaluate("Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))"
                               ".map(e => e.getAttribute('data-mjx-error') || e.textContent)")
        if typeset == 0:
            problems.items.append("the page has math but MathJax typeset none of it")
        problems.items.extend(f"MathJax error: {e}" for e in errors)
    broken_images = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    problems.items.extend(f"broken image: {src}" for src in broken_images)

    cache: dict[Path, set[str]] = {}
    for href in page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"):
        target = urlparse(urljoin(url, href))
        if f"{target.scheme}://{target.netloc}" != server or not target.path.startswith("/html/"):
            continue
        file = HTML / unquote(target.path.removeprefix("/html/"))
        if file.is_dir():
            file = file / "index.html"
        if not file.exists():
            problems.items.append(f"broken link: {href}")
        elif target.fragment and file.suffix == ".html" and unquote(target.fragment) not in anchors_of(file, cache):
            problems.items.append(f"broken anchor: {href}")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (rel.replace("/", "__").removesuffix(".html") + ".png")), full_page=True)
    page.close()
    assert not problems.items, f"{rel}:\n  " + "\n  ".join(problems.items)


def test_slide_deck(server: str, browser) -> None:
    decks = sorted(SLIDES.glob("*.slides.html"))
    assert decks, "no slide decks in _build/slides: run `make slides` first"
    deck = decks[0]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = PageProblems(page, server)
    page.goto(f"{server}/slides/{deck.name}", wait_until="load")
    # reveal.js is loaded through require.js, so it is no global: watch the DOM instead.
    page.wait_for_selector(".reveal.ready", timeout=20000)
    total = page.evaluate("document.querySelectorAll('.slides > section').length")
    assert total >= 3, f"{deck.name} has only {total} slides"
    # Go to the first slide that holds math and wait until MathJax 2 has typeset it.
    index = page.evaluate("""() => Array.from(document.querySelectorAll('.slides > section'))
        .findIndex(s => s.querySelector('.MathJax_CHTML, script[type^="math/tex"]'))""")
    assert index >= 0, f"{deck.name}: no slide with math found"
    page.goto(f"{server}/slides/{deck.name}#/{index}", wait_until="load")
    page.wait_for_function("window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 && "
                           "document.querySelectorAll('.present .MathJax_CHTML').length > 0", timeout=20000)
    errors = page.evaluate("document.querySelectorAll('.MathJax_Error, merror').length")
    if errors:
        problems.items.append(f"{errors} MathJax errors")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"slides__{deck.stem.removesuffix('.slides')}.png"))
    page.close()
    assert not problems.items, f"{deck.name}:\n  " + "\n  ".join(problems.items)


def framework_page() -> Path | None:
    """The first chapter page with framework-specific (tagged) cells."""
    for path in pages():
        text = path.read_text(encoding="utf-8")
        if "tag_mxnet" in text and "tag_torch" in text:
            return path
    return None


def visible(page, selector: str) -> list[bool]:
    return page.evaluate(f"Array.from(document.querySelectorAll('{selector}'))"
                         ".map(e => getComputedStyle(e).display !== 'none')")


def test_framework_switcher(server: str, browser) -> None:
    path = framework_page()
    assert path is not None, "no page has cells tagged mxnet and torch"
    url = f"{server}/html/{path.relative_to(HTML).as_posix()}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = PageProblems(page, server)
    page.goto(url, wait_until="load")
    settle(page)
    buttons = page.locator(".framework-switch button")
    assert buttons.all_inner_texts() == ["Both", "MXNet", "PyTorch"]
    assert all(visible(page, ".tag_mxnet")) and all(visible(page, ".tag_torch")), "default must show both"

    page.click(".framework-switch button[data-framework='torch']")
    assert not any(visible(page, ".tag_mxnet")) and all(visible(page, ".tag_torch"))
    assert page.get_attribute(".framework-switch button[data-framework='torch']", "aria-pressed") == "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "switcher__torch.png"))

    settle(page)
    page.reload(wait_until="load")  # the choice survives a reload ...
    settle(page)
    assert not any(visible(page, ".tag_mxnet")) and all(visible(page, ".tag_torch"))
    page.goto(f"{server}/html/intro.html", wait_until="load")  # ... and other pages
    settle(page)
    assert page.evaluate("document.documentElement.dataset.framework") == "torch"
    page.goto(url, wait_until="load")
    settle(page)
    page.click(".framework-switch button[data-framework='mxnet']")
    assert all(visible(page, ".tag_mxnet")) and not any(visible(page, ".tag_torch"))
    page.click(".framework-switch button[data-framework='both']")
    assert all(visible(page, ".tag_mxnet")) and all(visible(page, ".tag_torch"))
    context.close()
    assert not problems.items, "\n".join(problems.items)

    # Without JavaScript both frameworks show.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url, wait_until="load")
    assert all(visible(page, ".tag_mxnet")) and all(visible(page, ".tag_torch"))
    context.close()


PAGE_BUDGET = 2 * 1024 * 1024  # BOOK_DESIGN.md section 7: a chapter page with its figures stays under 2 MB


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(HTML)))
def test_page_size_budget(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    images = {urljoin(path.relative_to(HTML).as_posix(), src)
              for src in re.findall(r'<img[^>]+src="([^"]+)"', text) if not src.startswith(("http", "data:"))}
    total = len(text.encode()) + sum((HTML / unquote(img)).stat().st_size for img in images)
    assert total < PAGE_BUDGET, f"{path.name}: {total / 1e6:.2f} MB with {len(images)} figures"
