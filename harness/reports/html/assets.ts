// The report page's inline stylesheet and script: no fonts, images or scripts are fetched, so the
// file opens offline, from a CI artifact, or attached to a ticket.
import { STATUS, type Status } from '../status.ts';

const statusRules = (Object.keys(STATUS) as Status[])
  .map((s) => `.s-${s}{background:${STATUS[s].color}}`)
  .join('\n');

export const CSS = `
:root{--fg:#1d2125;--muted:#5d6670;--line:#d5d9de;--bg:#f6f7f9;--bad:#c62828;--good:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;background:#20262d;color:#fff}
header h1{margin:0 0 4px;font-size:20px}
header .meta{color:#c9d1d9;font-size:13px}
header .verdict{display:inline-block;margin-right:8px;padding:2px 10px;border-radius:12px;font-weight:600}
header .verdict.ok{background:var(--good)}
header .verdict.bad{background:var(--bad)}
header .verdict.warn{background:#8d6e00}
main{padding:16px 24px;max-width:1600px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:0 0 16px}
h2{font-size:17px;margin:0 0 10px}
h3{font-size:15px;margin:0 0 6px}
h4{font-size:13px;margin:12px 0 4px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
table{border-collapse:collapse}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3;font-weight:600}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{white-space:pre-wrap;word-break:break-word;margin:2px 0;background:#f3f4f6;padding:4px 6px;border-radius:4px}
a{color:#0b57d0}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#111;white-space:nowrap}
.counts .chip{font-size:13px;margin:0 6px 6px 0;padding:3px 10px}
.banner{border-left:6px solid var(--bad);background:#fff3f3}
.banner.good{border-left-color:var(--good);background:#f1f8f1}
.attention td:nth-child(5){max-width:560px}
.matrix{overflow:auto}
.matrix th.rule{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500;font-size:12px;vertical-align:bottom;padding:6px 4px}
.matrix td.cell{text-align:center;min-width:30px;font-weight:700;padding:0}
.matrix td.cell a{display:block;padding:4px 0;color:#111;text-decoration:none}
.matrix td.none{background:repeating-linear-gradient(45deg,#fafafa,#fafafa 4px,#eee 4px,#eee 8px)}
.matrix tr.group th{background:#dde3ea;text-align:left}
.matrix th.test{font-weight:500;white-space:nowrap}
.legend .chip{margin-right:6px}
.chip.none{background:#eee;color:#555}
.test.all-met h3::after{content:" ✓";color:var(--good)}
.ladder{display:flex;gap:4px;margin:4px 0 8px;flex-wrap:wrap}
.ladder span{padding:1px 8px;border-radius:10px;background:#eceff1;color:var(--muted);font-size:12px}
.ladder span.on{background:#2e7d32;color:#fff}
.ladder span.fail{background:var(--bad);color:#fff}
.labError{border:2px solid var(--bad);background:#fff3f3;padding:6px 10px;border-radius:4px;margin:6px 0}
ul.checks{list-style:none;padding-left:0;margin:4px 0}
ul.checks li::before{display:inline-block;width:1.4em;font-weight:700}
ul.checks li.ok::before{content:"✓";color:var(--good)}
ul.checks li.no::before{content:"✗";color:var(--bad)}
ul.checks li.na::before{content:"–";color:var(--muted)}
.detail{color:var(--muted)}
.treebox{overflow:auto;border:1px solid var(--line);border-radius:4px;background:#fcfcfd;padding:4px}
svg.tree .proc rect{fill:#fff;stroke:#8a949e;stroke-width:1}
svg.tree .proc.matched rect{fill:#fff0f0;stroke:#d62728;stroke-width:2.5}
svg.tree text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;fill:#1d2125}
svg.tree text.img{font-weight:700}
svg.tree text.cmd{fill:#39424c}
svg.tree .badge{fill:#d62728}
svg.tree .edge{fill:none;stroke:#8a949e;stroke-width:1.5}
tr.det:target,tr.det.flash{outline:3px solid #0b57d0}
body.problems-only .hide-when-problems{display:none}
label.toggle{float:right;font-size:13px;font-weight:400}
footer{color:var(--muted);font-size:12px;padding:0 24px 24px}
${statusRules}
`;

/** Only progressive enhancement: the page is complete without it. */
export const SCRIPT = `
(function () {
  var box = document.getElementById('problems-only');
  if (box) box.addEventListener('change', function () {
    document.body.classList.toggle('problems-only', box.checked);
  });
})();
`;
