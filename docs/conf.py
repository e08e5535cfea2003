"""Sphinx configuration of the astro-cevns documentation (MyST Markdown pages, API from the docstrings).

Build: ``.venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html`` (``.ci/run`` does, warnings are
errors).
"""

import re

import astrocevns

project = "astro-cevns"
author = "The astro-cevns developers"
copyright = "the astro-cevns developers (see LICENSE)"
release = version = astrocevns.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# the API: every module of the package, found by walking it (new subpackages appear without an edit here)
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True  # a dataclass's Attributes section as fields: autodoc documents the attributes themselves
# two data releases have modules and classes of one name (model, Release, Response): a short reference in a
# docstring or a type hint finds both, which Sphinx reports as ambiguous; it links the first
suppress_warnings = ["ref.python"]

html_theme = "furo"
html_title = f"astro-cevns {release}"


# The docstrings are plain text with NumPy sections: formulas such as |V_ud|^2 or shapes (3, *point_shape) are
# literal characters there, not reStructuredText substitutions or emphasis. Escape | and * outside ``literals``
# and `roles` so that docutils reads them as written.
_LITERAL = re.compile(r"(``.+?``|:?[\w:]*`[^`]+`_?)")


def _escape_plain(line: str) -> str:
    parts = _LITERAL.split(line)
    return "".join(part if i % 2 else re.sub(r"([|*])", r"\\\1", part) for i, part in enumerate(parts))


def _plain_text_docstring(app, what, name, obj, options, lines):
    lines[:] = [_escape_plain(line) for line in lines]


def setup(app):
    app.connect("autodoc-process-docstring", _plain_text_docstring, priority=100)  # before napoleon (500)
