"""Checks of the conventions every chapter notebook follows (fast: reads the JSON, runs nothing).

nbval proves the stored outputs are current; these tests catch what nbval cannot see: a notebook that was
not executed top to bottom, an error or stderr output, a cell without slide metadata, an unknown tag, a
chapter missing from the table of contents.
"""
import re
from pathlib import Path

import nbformat
import pytest

from d2l_utils.frameworks import NAMES
from slides import toc_files  # tools/slides.py reads _toc.yml for the decks too (pytest's pythonpath)

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
FRAMEWORK_TAGS = set(NAMES)  # the framework registry names the framework cell tags
TAGS = FRAMEWORK_TAGS | {"raises-exception"}


def test_every_chapter_is_in_the_toc_and_every_toc_entry_exists():
    listed = toc_files()
    chapters = {f"chapters/{p.stem}" for p in NOTEBOOKS}
    assert chapters <= set(listed), f"not in _toc.yml: {sorted(chapters - set(listed))}"
    for entry in listed:
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".ipynb", ".md")), f"missing: {entry}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_conventions(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"

    first = nb.cells[0]
    assert first.cell_type == "markdown" and re.match(r"\(chap-[a-z0-9-]+\)=\n# \S", first.source), \
        "the first cell must be a `(chap-...)=` label followed by the `# Title`"
    assert any("{footbibliography}" in c.source for c in nb.cells if c.cell_type == "markdown"), \
        "the chapter must end with a References section holding a {footbibliography} directive"

    counts = []
    for i, cell in enumerate(nb.cells):
        slide = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide in SLIDE_TYPES, f"cell {i}: slideshow.slide_type is {slide!r}"
        tags = set(cell.metadata.get("tags", []))
        assert tags <= TAGS, f"cell {i}: unknown tags {sorted(tags - TAGS)}"
        assert len(tags & FRAMEWORK_TAGS) <= 1, f"cell {i}: a cell belongs to one framework"
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        counts.append(cell.execution_count)
        for out in cell.outputs:
            assert not (out.output_type == "stream" and out.name == "stderr"), f"cell {i} wrote to stderr"
            if out.output_type == "error":
                assert "raises-exception" in tags, f"cell {i} raised {out.ename}: {out.evalue}"
    assert counts == list(range(1, len(counts) + 1)), \
        "execution counts are not 1..n: re-run the notebook top to bottom (make execute NB=...)"
