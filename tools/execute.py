"""Execute chapter notebooks top to bottom in a fresh kernel and store their outputs.

    .venv/bin/python tools/execute.py chapters/02_gradient_descent.ipynb [...]

This is the only way outputs should enter the repository: never edit an output by hand. The script
refuses to save a notebook that wrote to stderr or raised (except in cells tagged ``raises-exception``),
removes volatile metadata (execution timestamps), and prints each notebook's execution time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def clean_metadata(nb: nbformat.NotebookNode) -> None:
    """Drop metadata that changes from run to run, keep what the build and the slides need."""
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """List the stderr and error outputs that a committed notebook must not contain."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        allowed_error = "raises-exception" in cell.metadata.get("tags", [])
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {i} wrote to stderr: {out.text[:300]!r}")
            if out.output_type == "error" and not allowed_error:
                found.append(f"cell {i} raised {out.ename}: {out.evalue}")
    return found


def execute(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", coalesce_streams=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    clean_metadata(nb)
    bad = problems(nb)
    if bad:
        raise SystemExit(f"{path}: not saved\n  " + "\n  ".join(bad))
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        elapsed = execute(path, args.timeout)
        print(f"{elapsed:6.1f} s  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
