"""Imported text made safe for where it is shown: Streamlit's Markdown and spreadsheet cells.

Names, nations, cities, venues, source file names and findings come from files and services
Rinkside does not control. Wherever they are shown they read as written: never as Markdown or
HTML in the dashboard (``plain``), never as a formula in a spreadsheet that opens a CSV
(``csv_cell``). Figures escape their own labels (``standings.present.charts``), since Plotly
reads a few HTML tags rather than Markdown.
"""

from __future__ import annotations

import re
from typing import Final

# Characters that start Markdown (CommonMark with GitHub's extensions), HTML, entities
# (``&lt;``) or Streamlit's own syntax (``$`` for math) anywhere in a line.
_MARKDOWN_SPECIALS: Final = "\\`*_{}[]()<>+-.!|~$&"
# ``#`` makes a heading only as a line's first character (after spaces); elsewhere it is text.
_LINE_START_SPECIALS: Final = "#"
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): ``=``, ``+``,
#: ``-``, ``@``, and tab and carriage return, after which some programs still read one.
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
# A signed decimal number and nothing else (``+0.03``, ``-1.2``): a number to every spreadsheet,
# never a formula, so it is written as it is.
_SIGNED_NUMBER: Final = re.compile(r"[+-]\d+(?:\.\d+)?")


def plain(text: str) -> str:
    r"""Imported text escaped for Streamlit's Markdown: shown as written, never as markup or HTML.

    The result may be put anywhere in a Markdown line, including the start of one (a list
    item's text, say): every character Markdown would read is escaped with a backslash.

    >>> print(plain("**bold**[link](http://x)"))
    \*\*bold\*\*\[link\]\(http://x\)
    """
    escaped = []
    line_start = True
    for ch in str(text):
        if ch in _MARKDOWN_SPECIALS or (line_start and ch in _LINE_START_SPECIALS):
            escaped.append("\\" + ch)
        else:
            escaped.append(ch)
        if ch in "\n\r":
            line_start = True
        elif not ch.isspace():
            line_start = False
    return "".join(escaped)


def csv_cell(value: object) -> object:
    """A cell for a CSV file that spreadsheet programs open: a formula-like text is kept as text.

    A string that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading single quote (``'=HYPERLINK(...)``), as OWASP recommends, unless it is a signed
    number and nothing else (a gap such as ``+0.03``, ``-1.2``), which a spreadsheet reads as
    the number it is; any other value, numbers included, is returned unchanged.

    >>> print(csv_cell('=HYPERLINK("http://evil.example","x")'))
    '=HYPERLINK("http://evil.example","x")
    >>> csv_cell(-3), csv_cell("+0.03"), csv_cell("-1+2")
    (-3, '+0.03', "'-1+2")
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value
