"""Tests of the build tools: slide conversion, vendored-asset integrity, notebook checks, and that nbval
really fails when a stored output no longer matches what the code prints."""
import base64
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import execute  # tools/execute.py (pytest puts tools/ on sys.path: pythonpath in pyproject.toml)
import slides
import vendor

ROOT = Path(__file__).resolve().parent.parent


def test_myst_roles_become_plain_markdown():
    src = ("(chap-gd)=\n# Gradient descent\n\nAs {eq}`eq-ch2-taylor` shows"
           " {footcite:p}`kingma2015adam,zeiler2012adadelta` and {numref}`Figure <fig-ch2-trace>`."
           "\n\n$$ f(x) $$ (eq-ch2-f)")
    out = slides.myst_to_markdown(src)
    assert "(chap-gd)=" not in out
    assert "(eq-ch2-taylor)" in out
    assert "[kingma2015adam; zeiler2012adadelta]" in out
    assert "Figure" in out and "<fig-ch2-trace>" not in out
    assert slides.myst_to_markdown("see {numref}`fig-x`") == "see the figure"
    assert "$$ f(x) $$" in out and "(eq-ch2-f)" not in out


def test_exercise_directive_becomes_a_bold_title():
    out = slides.myst_to_markdown("```{exercise}\n:label: ex-1\nCompute $f(1)$.\n```")
    assert out.splitlines()[0] == "**Exercise**"
    assert ":label:" not in out and "Compute $f(1)$." in out


def test_book_only_cells_are_dropped():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## References\n\n```{footbibliography}\n```"),
        nbformat.v4.new_markdown_cell("```{solution} ex-1\n:class: dropdown\n42\n```"),
        nbformat.v4.new_markdown_cell("kept"),
    ])
    nb, _ = slides.BookMarkup().preprocess(nb, {})
    assert [c.source for c in nb.cells] == ["kept"]


def test_every_toc_chapter_is_found():
    found = slides.chapters()
    assert found and all(p.suffix == ".ipynb" and p.exists() for p in found)


def test_vendor_rejects_a_tampered_download(tmp_path, monkeypatch):
    monkeypatch.setattr(vendor, "CACHE", tmp_path)
    bogus = vendor.Package("mathjax", "0.0.0", "sha512-" + base64.b64encode(hashlib.sha512(b"x").digest()).decode(),
                           "mathjax", ("*",))
    (tmp_path / "mathjax-0.0.0.tgz").write_bytes(b"not the package")
    with pytest.raises(SystemExit, match="integrity mismatch"):
        vendor.tarball(bogus)
    assert not (tmp_path / "mathjax-0.0.0.tgz").exists()


def test_execute_flags_stderr_and_errors():
    cell = new_code_cell("x")
    cell.outputs = [new_output("stream", name="stderr", text="warning!\n"),
                    new_output("error", ename="ValueError", evalue="bad", traceback=[])]
    allowed = new_code_cell("y", metadata={"tags": ["raises-exception"]})
    allowed.outputs = [new_output("error", ename="ValueError", evalue="taught", traceback=[])]
    found = execute.problems(new_notebook(cells=[cell, allowed]))
    assert found == ["cell 0 wrote to stderr: 'warning!\\n'", "cell 0 raised ValueError: bad"]


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def scratch_dir():
    """A folder inside the repository (so that its conftest.py applies), removed afterwards."""
    path = ROOT / "_build" / "nbval-selftest"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_nbval_fails_when_a_stored_number_is_edited(scratch_dir):
    """The harness must catch a stored output that the code no longer prints."""
    code = 'print(f"step 10, x: {10 * 0.6 ** 10:f}")'
    good = new_code_cell(code, execution_count=1,
                         outputs=[new_output("stream", name="stdout", text="step 10, x: 0.060466\n")])
    quiet = new_code_cell("x = [1, 2]\nx;", execution_count=2)  # a trailing ';' hides the result, as in Jupyter
    nb = new_notebook(cells=[good, quiet], metadata={"kernelspec": dict(execute.KERNEL)})
    nbformat.write(nb, scratch_dir / "good.ipynb")
    result = run_nbval(scratch_dir / "good.ipynb")
    assert result.returncode == 0, result.stdout + result.stderr

    nb.cells[0].outputs[0].text = "step 10, x: 0.060467\n"  # one digit off
    nbformat.write(nb, scratch_dir / "edited.ipynb")
    result = run_nbval(scratch_dir / "edited.ipynb")
    assert result.returncode != 0
    assert "0.060467" in result.stdout


def sanitize(text: str) -> str:
    import re

    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize("text, expected", [
    ("one stochastic gradient:   0.022 ms", "one stochastic gradient:   TIME"),
    ("loop: 1.5 sec, vectorized: 12 µs", "loop: TIME, vectorized: TIME"),
    ("max |torch - mxnet| = 2.38e-07", "max |torch - mxnet| = ROUNDING"),
    ("max |gluon - scratch| = 0.00e+00", "max |gluon - scratch| = ROUNDING"),
    # Anything else, including a real disagreement between frameworks, is compared exactly.
    ("max |gluon - torch| = 3.10e-03", "max |gluon - torch| = 3.10e-03"),
    ("max |gluon - torch| = 7.84e-05", "max |gluon - torch| = 7.84e-05"),
    ("max |gluon - torch| = 9.99e-06", "max |gluon - torch| = ROUNDING"),
    ("step 10, x: 0.060466", "step 10, x: 0.060466"),
    ("diverged at epoch 1, step 67: loss = inf", "diverged at epoch 1, step 67: loss = inf"),
    ("10 steps in 3 epochs", "10 steps in 3 epochs"),
])
def test_sanitizer_hides_only_machine_dependent_text(text, expected):
    assert sanitize(text) == expected
