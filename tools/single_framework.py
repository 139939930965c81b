"""Single-framework versions of the chapter notebooks, made from the cell tags, and a check that they run.

    python tools/single_framework.py OUT_DIR [notebook ...]          write <stem>_<framework>.ipynb files
    python tools/single_framework.py --run [--jobs 2] [notebook ...] execute them, report errors and times

A framework's version keeps the untagged cells and the cells tagged with that framework, and drops the cells
of every other framework (the framework names and cell tags come from ``d2l_utils.frameworks.NAMES``). The
book offers these versions as downloads; the test suite executes them, which proves that no untagged cell
needs a name that only another framework's cell defines. Outputs of the executed copies are discarded.
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from d2l_utils.frameworks import NAMES

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def frameworks_of(nb: nbformat.NotebookNode) -> list[str]:
    """The frameworks that have tagged cells in ``nb``, in registry order."""
    tags = {t for cell in nb.cells for t in cell.metadata.get("tags", [])}
    return [name for name in NAMES if name in tags]


def single_framework(nb: nbformat.NotebookNode, keep: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells of every framework other than ``keep``, and without outputs.

    Raises:
        ValueError: if ``keep`` is not a registered framework.
    """
    if keep not in NAMES:
        raise ValueError(f"keep must be one of {', '.join(map(repr, NAMES))}; got {keep!r}")
    drop = set(NAMES) - {keep}
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not drop & set(c.metadata.get("tags", []))]
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return out


def write_versions(paths: list[Path], out_dir: Path) -> list[Path]:
    """Write ``<stem>_<framework>.ipynb`` for every framework with cells in each notebook."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for name in frameworks_of(nb):
            target = out_dir / f"{path.stem}_{name}.ipynb"
            nbformat.write(single_framework(nb, name), target)
            written.append(target)
    return written


def run_version(path: Path, keep: str, timeout: int = 120) -> tuple[str, float, str | None]:
    """Execute the ``keep`` version of the notebook at ``path``; return (label, seconds, error or None)."""
    nb = single_framework(nbformat.read(path, as_version=4), keep)
    label = f"{path.name} [{keep} only]"
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as err:
        return label, time.perf_counter() - start, re.sub(r"\x1b\[[0-9;]*m", "", str(err).strip().splitlines()[-1])
    bad = [f"cell {i} wrote to stderr: {o.text[:200]!r}" for i, c in enumerate(nb.cells) if c.cell_type == "code"
           for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
    return label, time.perf_counter() - start, bad[0] if bad else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="where to write the versions (not with --run)")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--run", action="store_true", help="execute every version instead of writing it")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (with --run)")
    args = parser.parse_args(argv)
    if not args.run:
        if args.out_dir is None:
            parser.error("give OUT_DIR, or --run")
        for target in write_versions(args.notebooks or CHAPTERS, args.out_dir):
            print(target)
        return 0
    paths = ([args.out_dir] if args.out_dir else []) + args.notebooks or CHAPTERS
    jobs = [(p, name) for p in paths for name in frameworks_of(nbformat.read(p, as_version=4))]
    with tempfile.TemporaryDirectory(), ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(lambda job: run_version(*job), jobs))
    failed = 0
    for label, seconds, error in results:
        print(f"{seconds:6.1f} s  {label}" + (f"  FAILED: {error}" if error else ""))
        failed += error is not None
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
