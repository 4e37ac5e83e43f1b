"""The compact HTML view of an evaluation for notebooks (``_repr_html_``)."""

from __future__ import annotations

import attrs

from eduequity._options import get_option
from eduequity._status import STATUS_CODES, Status
from eduequity.report._document import (
    Block,
    Para,
    Table,
    components_table,
    counties_text,
    county_name,
    stage_blocks,
    summary_blocks,
    tally,
)
from eduequity.report._formats import (
    html_body,
)
from eduequity.report._labels import LABELS, check_lang, status_label
from eduequity.report._model import (
    Evaluated,
    county_reports,
    evaluation_of,
    summary_rows,
)
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import Standard

_COMPACT_COUNTIES = 20

_SCOPED_CSS = (
    ".eduequity .passed{color:#2e7d32;font-weight:600}"
    ".eduequity .failed{color:#c0392b;font-weight:600}"
    ".eduequity .not_evaluated{color:#8a6d00;font-weight:600}"
    ".eduequity p.verdict{font-size:1.15em}"
    # A cell's words stay whole (未达标, 小学, 4 所未达标 wrap at spaces only) and headings
    # keep a few characters a line, however narrow the notebook's column.
    ".eduequity td{word-break:keep-all}"
    ".eduequity th{min-width:3em}"
)


def compact_html(result: Evaluated | Evaluation, lang: str | None = None) -> str:
    """A compact HTML view for notebooks: the verdict first, the components, each stage's CVs;
    for many counties, the tally and the first counties."""
    lang = lang or get_option("lang")
    check_lang(lang)
    t = LABELS[lang]
    ev = evaluation_of(result)
    std: Standard = ev.standard
    blocks: list[Block]
    if ev.n_counties == 1:
        r = county_reports(ev)[0]
        blocks = [
            Para(
                f"{t['county']} {county_name(r.code, r.name)} · {std.id}: "
                f"{t['verdict']} {status_label(r.status, lang)}",
                status=r.status.value,
            ),
            components_table(r, std, lang),
        ]
        for s in r.stages:
            blocks += stage_blocks(s, std, lang, charts=False)
        n_short: object = len({f.school_id for f in r.failing})
        if not n_short and any(s.school_rule_status is Status.NOT_EVALUATED for s in r.stages):
            n_short = status_label(Status.NOT_EVALUATED, lang)  # no school judged: none known
        sep = "：" if lang == "zh" else ": "
        blocks.append(Para(f"{t['n_short']}{sep}{n_short} · {t['problems']}{sep}{len(r.problems)}"))
    else:
        statuses = [STATUS_CODES[int(s)] for s in ev.status]
        rows = summary_rows(ev)[: 2 * _COMPACT_COUNTIES]
        table = next(
            b
            for b in summary_blocks(rows, ev.n_counties, statuses, std, lang)
            if isinstance(b, Table)
        )
        failed = Status.FAILED in statuses
        blocks = [
            Para(
                f"{std.id}: {counties_text(ev.n_counties, lang)} — {tally(statuses, lang)}",
                status=Status.FAILED.value if failed else "",
            ),
            attrs.evolve(table, sortable=False),
        ]
        shown = len({r.code for r in rows})
        if ev.n_counties > shown:
            blocks.append(Para(f"… +{ev.n_counties - shown}"))
    body = "\n".join(html_body(blocks, lang))
    return f'<div class="eduequity"><style>{_SCOPED_CSS}</style>{body}</div>'
