"""Local Sphinx extension for the book's HTML: offline MathJax and clean script tags.

* Copies the MathJax build fetched by ``tools/vendor.py book _vendor`` into ``_static/mathjax`` of the
  output, so that ``mathjax_path`` points at a local file and a downloaded copy of the book renders math
  without internet. (Jupyter Book adds every ``.js`` file found under the source ``_static/`` to every page,
  which is why the vendored files live outside it.)
* Hands the framework registry (``d2l_utils.frameworks.REGISTRY``) to the framework switcher
  (``_static/framework-switch.js``) as ``window.BOOK_FRAMEWORKS``, so its choices are the registered
  frameworks, whose names are also the cell tags.
* Removes duplicated script tags: Jupyter Book 1.0.4 registers the inline configuration scripts of
  sphinx-thebe and sphinx-togglebutton twice, and the second ``const THEBE_JS_URL`` is a JavaScript error.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from d2l_utils.frameworks import REGISTRY

VENDOR = Path(__file__).resolve().parent.parent / "_vendor" / "mathjax"


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # Inline scripts have filename None or "" (depending on who added them) and their code in "body".
        key = (getattr(script, "filename", script) or "", repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _check_vendor(app: Sphinx) -> None:
    if app.builder.format == "html" and not (VENDOR / "es5" / "tex-chtml.js").exists():
        raise ExtensionError(f"MathJax is missing from {VENDOR}; run `python tools/vendor.py book _vendor` "
                             "(make book does this)")


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        shutil.copytree(VENDOR, Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True)


def setup(app: Sphinx) -> dict:
    frameworks = [[name, fw.label] for name, fw in REGISTRY.items()]
    app.add_js_file(None, body=f"window.BOOK_FRAMEWORKS = {json.dumps(frameworks)};", priority=200)
    app.connect("builder-inited", _check_vendor)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
