"""Every chapter runs with one framework's cells only (tools/single_framework.py makes those versions).

A reader who picks one framework in the book's switcher, or downloads a single-framework notebook, gets the
untagged cells and that framework's cells. These tests execute each such version in a fresh kernel and fail
on any error or stderr output, which also proves that no untagged cell uses a name that only another
framework's cell defines. Outputs are not compared (nbval compares the full notebooks); they are marked
``notebooks`` and run with nbval in ``make notebooks``.
"""
from __future__ import annotations

import nbformat
import pytest

from single_framework import CHAPTERS, frameworks_of, run_version

VERSIONS = [(path, name) for path in CHAPTERS for name in frameworks_of(nbformat.read(path, as_version=4))]

pytestmark = pytest.mark.notebooks


@pytest.mark.parametrize(("path", "framework"), VERSIONS, ids=[f"{p.stem}-{n}" for p, n in VERSIONS])
def test_runs_with_one_framework(path, framework):
    label, seconds, error = run_version(path, framework)
    assert error is None, f"{label}: {error}"
