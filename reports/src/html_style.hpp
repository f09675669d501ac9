// The report's style sheet and its one script, inlined into report.html (private to reports/).
#pragma once

#include <string_view>

namespace twincert::reports {

inline constexpr std::string_view kReportStyle = R"css(
:root{--pass:#1a7f37;--fail:#cf222e;--error:#bc4c00;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;padding:0 24px 48px;max-width:1280px}
header h1{margin:20px 0 4px;font-size:24px}
.subtitle{margin:0 0 12px;color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 0;z-index:2}
nav a{margin-right:14px;text-decoration:none;color:#0969da}
h2{margin-top:32px;border-bottom:1px solid var(--line);padding-bottom:4px}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--bg);padding:8px;overflow-x:auto;border-radius:6px}
.note{color:var(--muted)}
.verdict{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted);vertical-align:middle}
.v-pass,.v-caught{background:var(--pass)}.v-fail,.v-survived{background:var(--fail)}.v-error{background:var(--error)}
.v-inconclusive,.v-not_verified,.v-none{background:#8c959f}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:120px}
.card .value{font-size:22px;font-weight:600}.card .label{color:var(--muted);font-size:12px}
.card.good .value{color:var(--pass)}.card.bad .value{color:var(--fail)}.card.warn .value{color:var(--error)}
p.bad,tr.bad th,tr.bad td{color:var(--fail)}tr.good th{color:var(--pass)}p.warn{color:var(--error)}
ul.mutants{columns:3;list-style:none;padding:0}
table{border-collapse:collapse;margin:8px 0;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--bg)}
td.squares{line-height:0}
a.sq{display:inline-block;width:11px;height:11px;margin:1px;border-radius:2px;background:#8c959f}
a.sq.v-pass{background:var(--pass)}a.sq.v-fail{background:var(--fail)}a.sq.v-error{background:var(--error)}a.sq.v-inconclusive{background:#d0d7de}
table.coverage td.hit{background:#dafbe1;text-align:center}
tr.gap td,td.gap{color:#8c959f;background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f6f8fa 4px,#f6f8fa 8px)}
.gsn-tree{display:flex;flex-direction:column;align-items:center;gap:10px}
.gsn{border:2px solid #1f2328;padding:8px 12px;background:#fff;max-width:720px;text-align:center}
.gsn.goal{border-radius:0}.gsn.goal.v-pass{border-color:var(--pass)}.gsn.goal.v-fail{border-color:var(--fail)}.gsn.goal.v-error{border-color:var(--error)}
.gsn.goal{background:#fff;color:#1f2328}
.gsn.strategy{transform:skewX(-12deg)}.gsn.strategy>*{transform:skewX(12deg)}
.gsn.context{border-radius:24px;border-color:var(--muted);color:var(--muted)}
.gsn.solution{border-radius:50%/40%;display:block;text-decoration:none;color:#1f2328;font-size:12px;padding:10px 14px}
.gsn.confidence{border-style:dashed}
.gsn.undeveloped{border-style:dashed;border-color:#8c959f}
.gsn.undeveloped-mark{border:none;color:#8c959f;font-size:12px}
.gsn-children{display:flex;flex-wrap:wrap;justify-content:center;gap:12px;border-top:2px solid #1f2328;padding-top:12px}
.gsn-branch{display:flex;flex-direction:column;align-items:center;gap:6px;width:200px;font-size:12px}
.gsn-branch .gsn{width:100%}
figure{margin:8px 0}
svg.timeline{width:100%;max-width:960px;height:auto;background:#fff;border:1px solid var(--line)}
svg.timeline text{font:11px system-ui,sans-serif;fill:#57606a}
svg.timeline .quantity{font-weight:600;fill:#1f2328}
svg.timeline .grid{stroke:#eaeef2;stroke-width:1}
svg.timeline .frame{fill:none;stroke:#8c959f}
svg.timeline .truth{fill:none;stroke:#0969da;stroke-width:2}
svg.timeline .observed{fill:none;stroke:#cf222e;stroke-width:1.2;stroke-dasharray:4 2}
svg.timeline .observed-point{fill:#cf222e}
svg.timeline .fault{fill:#fb8f44}svg.timeline .fault-shade{fill:#fb8f44;opacity:.18}
svg.timeline .expected{fill:#54aeff}
svg.timeline .deadline{stroke:#0550ae;stroke-width:1.5;stroke-dasharray:6 3}
svg.timeline .failure{stroke:#cf222e;stroke-width:2}
svg.timeline .alert-raised{fill:#cf222e}svg.timeline .alert-cleared{fill:#1a7f37}
svg.timeline .heartbeat{stroke:#1f2328;stroke-width:1}
figcaption{color:var(--muted);font-size:12px}
.key{display:inline-block;width:14px;height:4px;margin:0 4px 2px 10px;vertical-align:middle}
.key.truth{background:#0969da}.key.observed{background:#cf222e}.key.fault{background:#fb8f44;height:10px}
.key.expected{background:#54aeff;height:10px}.key.deadline{border-top:2px dashed #0550ae;height:0}.key.failure{background:#cf222e;width:3px;height:12px}
article.case{border:1px solid var(--line);border-radius:8px;padding:4px 16px 8px;margin:16px 0}
table.evidence td:first-child{white-space:nowrap}
tr.frames td{border-top:none}
details>summary{cursor:pointer}
footer{margin-top:40px;color:var(--muted);border-top:1px solid var(--line)}
@media print{nav{display:none}details{display:block}article.case{break-inside:avoid}}
)css";

// Says on the page's root element how many plots the browser laid out, where the first one is
// and whether a script error happened: the browser test reads these after rendering (the
// report has no other script).
inline constexpr std::string_view kReportScript = R"js(
(function () {
  var root = document.documentElement;
  root.dataset.scriptErrors = "0";
  window.addEventListener("error", function () {
    root.dataset.scriptErrors = String(Number(root.dataset.scriptErrors) + 1);
  });
  var plots = document.querySelectorAll("svg.timeline");
  var drawn = 0;
  plots.forEach(function (svg) {
    var line = svg.querySelector("polyline.truth");
    var box = svg.getBoundingClientRect();
    if (!line || line.getBBox().width <= 0 || box.width <= 0) return;
    if (drawn++ === 0) {
      root.dataset.firstPlot = [box.left, box.top + window.scrollY, box.width, box.height]
        .map(Math.round).join(",");
    }
  });
  root.dataset.plots = String(plots.length);
  root.dataset.plotsDrawn = String(drawn);
})();
)js";

}  // namespace twincert::reports
