"""Build one reveal.js deck per chapter notebook, in the order of _toc.yml.

    python tools/slides.py _build/slides

Cells are placed on slides by their ``slideshow.slide_type`` metadata (slide, subslide, fragment, skip,
notes). The decks load reveal.js, MathJax, require.js and jQuery from ``vendor/`` next to them, fetched
from the npm registry at build time (tools/vendor.py), so they need no internet in the lecture hall.
MyST markup that only the book understands (citations, equation labels, exercise directives) is turned
into plain Markdown on the way.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import nbformat
import yaml
from nbconvert import SlidesExporter
from nbconvert.preprocessors import Preprocessor

import vendor  # tools/vendor.py: Python puts the script's folder first on sys.path

ROOT = Path(__file__).resolve().parent.parent

ROLE = re.compile(r"\{(cite|cite:p|cite:t|footcite|footcite:p|footcite:t|eq|numref|ref|doc|term)\}`([^`]*)`")
EQ_LABEL = re.compile(r"\$\$\s*\(([\w:.-]+)\)")
FENCE = re.compile(r"^(```+|:::+)\{(\w[\w-]*)\}[ \t]*(.*)$")
OPTION = re.compile(r"^:[\w-]+:.*$")
TARGET = re.compile(r"^\([\w:.-]+\)=\s*$")  # a MyST target line such as (chap-gd)=
BOOK_ONLY = ("bibliography", "footbibliography", "solution")


def _role(match: re.Match[str]) -> str:
    kind, text = match.groups()
    if "cite" in kind:
        return "[" + "; ".join(k.strip() for k in text.split(",")) + "]"
    if kind == "eq":
        return f"({text})"
    if kind == "numref":  # figures are not numbered on slides
        return re.sub(r"\s*<[^>]*>$", "", text) if "<" in text else "the figure"
    return re.sub(r"\s*<[^>]*>$", "", text)  # {ref}`title <label>` -> title


def myst_to_markdown(source: str) -> str:
    """Rewrite MyST-only syntax so that a plain Markdown renderer shows something sensible."""
    out: list[str] = []
    for line in source.splitlines():
        fence = FENCE.match(line)
        if fence:
            name, arg = fence.group(2), fence.group(3).strip()
            title = f"{name.capitalize()}" + (f": {arg}" if arg and name not in ("math",) else "")
            out.append(f"**{html.escape(title)}**" if name != "math" else "$$")
            continue
        if re.fullmatch(r"(```+|:::+)\s*", line):
            out.append("$$" if out and out[-1] == "$$" else "")
            continue
        if OPTION.match(line) or TARGET.match(line):
            continue
        out.append(line)
    text = "\n".join(out)
    text = EQ_LABEL.sub("$$", text)
    return ROLE.sub(_role, text)


class BookMarkup(Preprocessor):
    """Drop book-only cells (bibliography, solutions) and translate MyST roles and directives."""

    def preprocess(self, nb, resources):  # type: ignore[override]
        kept = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                if any(f"{{{name}}}" in cell.source for name in BOOK_ONLY):
                    continue
                cell.source = myst_to_markdown(cell.source)
            kept.append(cell)
        nb.cells = kept
        return nb, resources


def toc_files() -> list[str]:
    """Every ``file:`` entry of _toc.yml (without extension), in reading order, the root included."""
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files.append(toc["root"])
    walk(toc.get("parts", toc.get("chapters", [])))
    return files


def chapters() -> list[Path]:
    """Notebooks listed in _toc.yml, in reading order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def build(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    for pkg in vendor.BUNDLES["slides"]:
        vendor.install(pkg, dest / "vendor")
    exporter = SlidesExporter(
        template_name="book_reveal",
        extra_template_basedirs=[str(Path(__file__).resolve().parent / "templates")],
        reveal_url_prefix="vendor/reveal.js",
        reveal_theme="white",
        reveal_scroll=True,
        reveal_number="c/t",
        mathjax_url="vendor/mathjax2/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        require_js_url="vendor/requirejs/require.js",
        jquery_url="vendor/jquery/dist/jquery.min.js",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(BookMarkup(), enabled=True)
    decks = []
    for notebook in chapters():
        body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
        deck = dest / f"{notebook.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    items = "\n".join(f'<li><a href="{d.name}">{html.escape(d.stem.removesuffix(".slides"))}</a></li>'
                      for d in decks)
    (dest / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Optimization for Deep Learning: slides</title></head>\n"
        f"<body><h1>Optimization for Deep Learning: lecture slides</h1>\n<ul>\n{items}\n</ul></body></html>\n",
        encoding="utf-8")
    return decks


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else ROOT / "_build" / "slides"
    decks = build(dest)
    for deck in decks:
        print(f"slides: {deck.resolve()}")
    if not decks:
        print("slides: no chapter notebooks listed in _toc.yml", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
