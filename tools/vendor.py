"""Bring the JavaScript the book and the slides need from the npm registry, so that nothing loads from a CDN.

    python tools/vendor.py book   _vendor                # MathJax 3 for the HTML book (run by `make book`)
    python tools/vendor.py slides _build/slides/vendor   # reveal.js, MathJax 2, require.js, jQuery

Each package of a bundle is unpacked into DEST/<folder> (mathjax; reveal.js, mathjax2, requirejs, jquery),
keeping only the files the pages load, with a ``.version`` marker so that an unchanged version is not
unpacked again.

* book: ``make book`` runs the first command. ``_vendor/`` sits outside ``_static/`` on purpose (Jupyter
  Book would add every ``.js`` file under ``_static/`` to every page); the local Sphinx extension
  ``_ext/book_assets.py`` refuses to build without it and copies it to ``_build/html/_static/mathjax``.
* slides: ``tools/slides.py`` calls :func:`install` for the ``slides`` bundle itself, into the ``vendor/``
  folder next to the decks, which is what the second command does by hand.

Each package is pinned by version and by the registry's sha512 integrity hash; a download that does not
match is rejected. Tarballs are cached in ``.venv/vendor-cache`` (under the repository root), so only the
first build needs the network; ``make distclean`` removes the cache with ``.venv``, ``make clean`` removes
``_vendor/``. Nothing fetched here is committed to the repository (``_vendor/`` and ``_build/`` are ignored).
"""
from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
CACHE = Path(__file__).resolve().parent.parent / ".venv" / "vendor-cache"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the registry's "sha512-<base64>" value
    target: str  # folder under the destination
    keep: tuple[str, ...]  # glob patterns, relative to the tarball's package/ folder

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name}-{self.version}.tgz"


MATHJAX3 = Package(
    "mathjax", "3.2.2",
    "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    "mathjax", ("LICENSE", "es5/tex-chtml.js", "es5/input/*", "es5/output/chtml/*", "es5/ui/*", "es5/a11y/*"))
MATHJAX2 = Package(
    "mathjax", "2.7.9",
    "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
    "mathjax2", ("LICENSE", "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/*",
                 "jax/input/TeX/*", "jax/output/CommonHTML/*", "jax/element/*", "fonts/HTML-CSS/TeX/woff/*"))
REVEAL = Package(
    "reveal.js", "4.6.1",
    "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
    "reveal.js", ("LICENSE", "dist/*", "plugin/notes/*"))
REQUIREJS = Package(
    "requirejs", "2.3.7",
    "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
    "requirejs", ("require.js",))
JQUERY = Package(
    "jquery", "3.7.1",
    "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
    "jquery", ("LICENSE.txt", "dist/jquery.min.js"))

BUNDLES = {"book": (MATHJAX3,), "slides": (REVEAL, MATHJAX2, REQUIREJS, JQUERY)}


def tarball(pkg: Package) -> bytes:
    """Return the package's tarball, from the cache or the registry, after checking its hash."""
    cached = CACHE / f"{pkg.name}-{pkg.version}.tgz"
    data = cached.read_bytes() if cached.exists() else None
    if data is None:
        with urllib.request.urlopen(pkg.url, timeout=60) as response:
            data = response.read()
    algo, _, expected = pkg.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        cached.unlink(missing_ok=True)
        raise SystemExit(f"{pkg.url}: integrity mismatch (expected {expected}, got {actual})")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def install(pkg: Package, dest: Path) -> None:
    """Unpack the kept files of ``pkg`` into ``dest/pkg.target`` unless that version is already there."""
    target = dest / pkg.target
    marker = target / ".version"
    if marker.exists() and marker.read_text() == pkg.version:
        return
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(tarball(pkg))) as tar:
        for member in tar.getmembers():
            rel = member.name.removeprefix("package/")
            if member.isfile() and any(fnmatch.fnmatch(rel, pat) for pat in pkg.keep):
                out = target / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())
    marker.write_text(pkg.version)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in BUNDLES:
        print(f"usage: python tools/vendor.py {{{'|'.join(BUNDLES)}}} DEST", file=sys.stderr)
        return 2
    for pkg in BUNDLES[argv[0]]:
        install(pkg, Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
