"""Private helpers: data strings made safe for the output they go to.

- **Spreadsheet cells** (every CSV written for people): a cell a spreadsheet would run as a formula
  (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: OWASP's rule for CSV injection)
  is written with a single quote in front, and the dataset reader takes exactly that quote off again.
- **Markdown**: HTML and Markdown's own punctuation are escaped, so a CommonMark renderer shows a name
  as text and never as a tag, a link or an image.
- **Terminal text**: invisible direction overrides (which reverse the rest of a line) and control
  characters are shown as ``<U+202E>`` instead of acting on the terminal.
"""

from __future__ import annotations

import html
import re

__all__ = ["spreadsheet_cell", "from_spreadsheet_cell", "markdown_text", "terminal_text"]

# A cell a spreadsheet would run, behind any spaces and single quotes it would skip: see spreadsheet_cell.
_FORMULA = re.compile(r"[ ']*[=+\-@\t\r]")


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: ``'`` in front of a cell that looks like a formula.

    Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any spaces and
    single quotes) get one more single quote in front. :func:`from_spreadsheet_cell` removes exactly that
    quote, so ``from_spreadsheet_cell(spreadsheet_cell(s)) == s`` for every string ``s``: a name
    ``-Ana-``, a phone ``+1 555 0100`` or a note ``'=1+1`` come back as they were written.

    References: OWASP, *CSV Injection* (https://owasp.org/www-community/attacks/CSV_Injection).
    """
    return "'" + text if _FORMULA.match(text) else text


def from_spreadsheet_cell(text: str) -> str:
    """The cell :func:`spreadsheet_cell` wrote, read back: the one quote it added is taken off."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


# Markdown's inline punctuation: emphasis, code, links and images, table cells, strikethrough.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(value) -> str:
    """A data string as Markdown text: HTML escaped, Markdown punctuation backslash-escaped, one line.

    A CommonMark renderer shows the result as the original characters: ``<img src=x onerror=...>``
    becomes text, ``[x](javascript:...)`` is not a link, ``|`` does not end a table cell.
    """
    text = " ".join(terminal_text(str(value)).splitlines())
    text = html.escape(text, quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# Direction overrides, embeddings and isolates (they reorder what follows them), C0 and C1 controls other
# than tab and newline, and the line and paragraph separators.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def terminal_text(text: str) -> str:
    """``text`` with direction overrides and control characters shown as ``<U+XXXX>`` (text output)."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
