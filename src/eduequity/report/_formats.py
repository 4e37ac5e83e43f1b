"""Blocks written out as plain text, Markdown or one self-contained HTML page."""

from __future__ import annotations

import functools
import html
import unicodedata
from collections.abc import Sequence

from eduequity._status import Status
from eduequity.report._document import Block, Chart, Heading, Para, Table
from eduequity.report._labels import LABELS, status_label

__all__ = ["FORMATS", "SUFFIXES", "render_blocks", "to_html", "to_markdown", "to_text"]

#: Report formats.
FORMATS = ("text", "md", "html", "json")

#: The file suffix of each format.
SUFFIXES = {"text": "txt", "md": "md", "html": "html", "json": "json"}

#: Widest a text table may be (in columns of a terminal) before its rows become items.
_TEXT_WIDTH = 100


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    if text.isascii():
        return len(text)
    return _wide_width(text)


@functools.lru_cache(maxsize=4096)
def _wide_width(text: str) -> int:
    """:func:`_width` of a text with non-ASCII characters (the same names and words recur in
    every row of a national table)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_item(row: Sequence[str]) -> list[str]:
    """One row of a wide table as an item: ``[first] second · third · ...``, wrapped."""
    first, *rest = [c or "–" for c in row]
    lines, line = [], f"  [{first}]"
    width = _width(line)
    for k, cell in enumerate(rest):
        piece = (" " if k == 0 else " · ") + cell
        piece_width = _width(piece)
        if k > 0 and width + piece_width > _TEXT_WIDTH:
            lines.append(line)
            line, width = "      " + cell, 6 + _width(cell)
        else:
            line, width = line + piece, width + piece_width
    return [*lines, line]


def _text_table(t: Table) -> list[str]:
    # Each column's widest cell, row by row: once the columns are too wide, they stay so.
    widths = [_width(str(h)) for h in t.header]
    too_wide = sum(widths) + 2 * len(widths) > _TEXT_WIDTH
    for row in t.rows:
        if too_wide:
            break
        widths = [max(w, _width(str(row[k]))) for k, w in enumerate(widths)]
        too_wide = sum(widths) + 2 * len(widths) > _TEXT_WIDTH
    if too_wide:
        # Too wide for columns: one item per row, the first cell in brackets, wrapped at the
        # width; a first item of the headers says what each place holds (an empty cell is a
        # dash, so the places line up).
        key = _text_item(t.header)
        return [
            *key,
            "  " + "-" * max(_width(k) - 2 for k in key),
            *(line for row in t.rows for line in _text_item(row)),
        ]

    def aligned(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)]
        return ("  " + "  ".join(padded)).rstrip()

    rule = "  " + "  ".join("-" * w for w in widths)
    return [aligned(t.header), rule, *(aligned(r) for r in t.rows)]


def to_text(blocks: Sequence[Block]) -> str:
    """Plain text: headings underlined, tables in aligned columns."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += [b.text, ("=" if b.level == 1 else "-") * min(_width(b.text), 72), ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Table):
            out += [*_text_table(b), ""]
    return "\n".join(out).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    """GitHub-flavoured Markdown."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [f"**{b.text}**" if b.status else b.text, ""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            for k, row in enumerate(b.rows):
                cells = [_md_cell(c) for c in row]
                if k in b.links:
                    cells[0] = f"[{cells[0]}]({b.links[k]})"
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
    return "\n".join(out)


#: A table of more columns than this has headings that wrap (HTML).
_WIDE_COLUMNS = 6

CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
td{word-break:keep-all;overflow-wrap:break-word}td:first-child{white-space:nowrap}
th{background:#f3f3f3;white-space:nowrap}table.wide th{white-space:normal;font-weight:600;
min-width:3.5em}table.wide{font-size:.85em}table.wide th,table.wide td{padding:.2em .35em}
div.fit{overflow-x:auto;max-width:100%}td.passed,td.failed,td.not_evaluated,td.not_applicable{white-space:nowrap}
th.sort{cursor:pointer}th.sort:after{content:" \\2195";color:#999}
.passed{color:#2e7d32;font-weight:600}.failed{color:#c0392b;font-weight:600}
.not_evaluated{color:#8a6d00;font-weight:600}.not_applicable{color:#777}
p.verdict{font-size:1.3em}
figure{margin:.5em 0 1.2em}figcaption{font-size:.9em;color:#555}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
"""

# Sorts a table by the column whose heading is clicked (numbers as numbers), in place.
_SORT_SCRIPT = """<script>
document.querySelectorAll("table.sortable").forEach(function(t){
 t.querySelectorAll("th").forEach(function(th,i){th.className="sort";th.onclick=function(){
  var b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.d=th.dataset.d==="1"?"-1":"1";
  r.sort(function(x,y){var a=x.cells[i].innerText,c=y.cells[i].innerText,
   p=parseFloat(a),q=parseFloat(c);
   return(isNaN(p)||isNaN(q)?a.localeCompare(c,"zh"):p-q)*d;});
  r.forEach(function(x){b.appendChild(x);});};});});
</script>"""


def _status_classes(lang: str) -> dict[str, str]:
    """The CSS class of each status label of ``lang``."""
    return {status_label(s, lang): s.value for s in Status}


def html_body(blocks: Sequence[Block], lang: str) -> list[str]:
    """The blocks as HTML elements."""
    out = []
    classes = _status_classes(lang)
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{html.escape(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            if b.status:
                out.append(f'<p class="verdict {b.status}">{html.escape(b.text)}</p>')
            else:
                out.append(f"<p>{html.escape(b.text)}</p>")
        elif isinstance(b, Table):
            if b.sortable:
                out.append(f"<p>{html.escape(LABELS[lang]['sort'])}</p>")
            # Many columns: the headings wrap, so that the table fits the page's width.
            wide = b.wrap_header or len(b.header) > _WIDE_COLUMNS
            classes_of = " ".join(c for c, on in (("sortable", b.sortable), ("wide", wide)) if on)
            # (in a box of the page's width: a table wider than the page scrolls by itself)
            out.append(
                f'<div class="fit"><table class="{classes_of}"><thead><tr>'
                if classes_of
                else '<div class="fit"><table><thead><tr>'
            )
            out += [f"<th>{html.escape(h)}</th>" for h in b.header]
            out.append("</tr></thead><tbody>")
            for k, row in enumerate(b.rows):
                cells = []
                for j, c in enumerate(row):
                    cls = classes.get(c, "") if j in b.status_cols else ""
                    if (k, j) in b.flagged:
                        cls = Status.FAILED.value
                    attr = f' class="{cls}"' if cls else ""
                    text = html.escape(c)
                    if j == 0 and k in b.links:
                        text = f'<a href="{html.escape(b.links[k])}">{text}</a>'
                    cells.append(f"<td{attr}>{text}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table></div>")
        elif isinstance(b, Chart):
            out.append(f"<figure>{b.svg}<figcaption>{html.escape(b.title)}</figcaption></figure>")
    return out


def to_html(blocks: Sequence[Block], lang: str) -> str:
    """One self-contained HTML page (a script only where a table is sortable)."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "eduequity")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        *html_body(blocks, lang),
    ]
    if any(isinstance(b, Table) and b.sortable for b in blocks):
        out.append(_SORT_SCRIPT)
    out.append("</body></html>")
    return "\n".join(out)


def render_blocks(blocks: Sequence[Block], format: str, lang: str) -> str:
    """Blocks in one of the text formats: ``"md"``, ``"html"``, or else text."""
    if format == "md":
        return to_markdown(blocks)
    if format == "html":
        return to_html(blocks, lang)
    return to_text(blocks)
