"""The report's one stylesheet: light and dark (``prefers-color-scheme``), print, and colour-blind safe tones.

The seven candidate tones are the Okabe–Ito palette (Okabe and Ito, *Color
Universal Design*, 2008) without its black; ballots set aside are grey. No
fact is told by colour alone: marks are words, and every node has a label or
a tooltip.
"""

from __future__ import annotations

from typing import Final

__all__ = ["CSS"]

CSS: Final = """
:root{color-scheme:light dark;--fg:#1a1a1a;--bg:#ffffff;--muted:#555;--rule:#c8c8c8;--zebra:#f4f4f4;
--elected:#005a8c;--eliminated:#a63d00;--advances:#6b4c00;
--t0:#0072B2;--t1:#E69F00;--t2:#009E73;--t3:#CC79A7;--t4:#F0E442;--t5:#D55E00;--t6:#56B4E9;--aside:#8c8c8c}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#141414;--muted:#aaa;--rule:#444;--zebra:#1f1f1f;
--elected:#7cc4f0;--eliminated:#ff9d66;--advances:#f0d060;--t0:#3a9ad9;--aside:#9a9a9a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1240px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.6em;margin:0 0 .2em}
h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--rule);padding-bottom:.2em}
.rule-line{color:var(--muted);margin:0 0 1em}
.headline{font-size:1.15em;font-weight:600;margin:.6em 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em;margin:.5em 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.wide{overflow-x:auto}
table{border-collapse:collapse;margin:.4em 0 1em;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2em 0 .4em;caption-side:top}
th,td{padding:.25em .7em;border-bottom:1px solid var(--rule);vertical-align:top}
thead th{border-bottom:2px solid var(--fg);text-align:left}
td.n,th.n{text-align:right;white-space:nowrap}
tbody tr:nth-child(even){background:var(--zebra)}
th[scope=row]{text-align:left;font-weight:normal;white-space:nowrap}
.mark{display:block;font-size:.8em;font-weight:600}
.elected .mark{color:var(--elected)}.eliminated .mark{color:var(--eliminated)}.advances .mark{color:var(--advances)}
td.elected{font-weight:600}
td.gone{color:var(--muted)}
tr.aside th,tr.aside td{color:var(--muted);font-style:italic}
tr.total th,tr.total td{border-top:2px solid var(--fg)}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.45em;vertical-align:-.05em;background:var(--c);border-radius:2px}
.t0{--c:var(--t0)}.t1{--c:var(--t1)}.t2{--c:var(--t2)}.t3{--c:var(--t3)}.t4{--c:var(--t4)}.t5{--c:var(--t5)}.t6{--c:var(--t6)}.aside{--c:var(--aside)}
svg.flow{display:block;max-width:100%;height:auto;margin:.4em 0 1em}
svg.flow text{fill:var(--fg);font-size:13px}
svg.flow text.heading{fill:var(--muted);font-weight:600}
svg.flow .figure{fill:var(--muted)}
svg.flow .node{fill:var(--c)}
svg.flow .band{fill:var(--c);fill-opacity:.42}
svg.flow .band:hover{fill-opacity:.7}
svg.flow .leader{stroke:var(--muted);stroke-width:.7}
pre{background:var(--zebra);padding:.6em .8em;overflow-x:auto;font-size:.85em;line-height:1.35}
code,.hash{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
ol.notes li{margin:.3em 0}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
@media print{
:root{--fg:#000;--bg:#fff;--muted:#333;--rule:#999;--zebra:#f2f2f2;--elected:#003f66;--eliminated:#7a2d00;--advances:#4d3700}
body{font-size:10.5pt}main{max-width:none;padding:0}
table{font-size:8.5pt}th,td{padding:.15em .4em}
.wide{overflow:visible}pre{white-space:pre-wrap;overflow:visible}
section{break-inside:auto}h2{break-after:avoid}table,svg.flow,dl.facts{break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid}
svg.flow .band{fill-opacity:.5}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
