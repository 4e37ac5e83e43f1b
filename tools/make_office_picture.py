"""Draw docs/_static/office_workbook.png: the worked example's workbook as a spreadsheet shows
it (a title row, two-row headers under merged 小学 / 初中, a unit, a merged county code, a blank
row and a 合计 row). Needs headless Chromium and a Chinese font; run from the repository root."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HTML = """<!doctype html><meta charset="utf-8"><style>
body{margin:0;font:15px "Noto Sans CJK SC","Noto Sans SC",sans-serif;background:#fff}
table{border-collapse:collapse;margin:8px}
td,th{border:1px solid #bbb;padding:4px 10px;text-align:center;white-space:nowrap}
th.n{background:#eee;color:#555;font-weight:normal;width:28px}
td.h{background:#f3f6fa;font-weight:600}
td.t{font-size:17px;font-weight:700}
td.set{background:#fdecea;color:#a33}
td.m{background:#eef7ee}
</style><table>
<tr><th class=n></th><th class=n>A</th><th class=n>B</th><th class=n>C</th><th class=n>D</th>
<th class=n>E</th><th class=n>F</th><th class=n>G</th><th class=n>H</th></tr>
<tr><th class=n>1</th><td class=t colspan=8>2024年某县义务教育学校办学条件统计表</td></tr>
<tr><th class=n>2</th><td class=h rowspan=2>学校标识码</td><td class=h rowspan=2>行政区划代码</td>
<td class=h rowspan=2>学校类型</td><td class=h colspan=2>小学</td><td class=h colspan=2>初中</td>
<td class=h rowspan=2>教学仪器设备值（万元）</td></tr>
<tr><th class=n>3</th><td class=h>在校生数</td><td class=h>专任教师数</td><td class=h>在校生数</td>
<td class=h>专任教师数</td></tr>
<tr><th class=n>4</th><td>3201020001</td><td class=m rowspan=4>320102</td><td>小学</td><td>640</td>
<td>38</td><td></td><td></td><td>140.8</td></tr>
<tr><th class=n>5</th><td>3201020002</td><td>九年一贯制学校</td><td>420</td><td>25</td><td>300</td>
<td>24</td><td>190</td></tr>
<tr><th class=n>6</th><td class=set></td><td class=set></td><td class=set></td><td class=set></td>
<td class=set></td><td class=set></td><td class=set>（空行）</td></tr>
<tr><th class=n>7</th><td>3201020003</td><td>初级中学</td><td></td><td></td><td>510</td><td>41</td>
<td>150.2</td></tr>
<tr><th class=n>8</th><td class=set>合计</td><td class=set></td><td class=set></td>
<td class=set>1060</td><td class=set>63</td><td class=set>810</td><td class=set>65</td>
<td class=set>481</td></tr>
</table>"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "sheet.html"
        page.write_text(HTML, encoding="utf-8")
        out = ROOT / "docs" / "_static" / "office_workbook.png"
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--hide-scrollbars",
                f"--screenshot={out}",
                "--window-size=960,300",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
