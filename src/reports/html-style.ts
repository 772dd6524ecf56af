/**
 * The inline stylesheet and script of the HTML report. They are constants (never built from
 * data) so the page's Content-Security-Policy can allow exactly these two by hash and nothing
 * else: no external fonts, no CDN, no network at all. The page is complete without the script.
 */

export const REPORT_CSS = `
:root{--bg:#f5f6f8;--fg:#1f2328;--muted:#59636e;--card:#fff;--border:#d8dee4;--track:#e7eaee;
--critical:#9f1239;--high:#c2410c;--medium:#a16207;--low:#1d4ed8;--info:#6b7280;
--good:#15803d;--weak:#a16207;--bad:#b91c1c;--unknown:#6b7280;--pending:#1d4ed8;--accent:#0f766e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--border:#30363d;
--track:#262c36;--critical:#e11d48;--high:#ea580c;--medium:#ca8a04;--low:#3b82f6;--info:#8b949e;--good:#22a355;
--weak:#ca8a04;--bad:#ef4444;--unknown:#8b949e;--pending:#3b82f6;--accent:#2dd4bf}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:28px 24px 48px}
header.top{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:8px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--border)}
h3{font-size:16px;margin:0}
.meta,.muted{color:var(--muted)}
.meta{font-size:13px}
nav.toc{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:14px;margin:12px 0 0}
nav.toc a{color:var(--accent);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:16px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:16px 20px}
.card h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin-bottom:8px}
.score{display:flex;align-items:center;gap:20px}
.score svg{width:120px;height:120px;flex:none}
.kv{display:grid;grid-template-columns:auto 1fr;gap:2px 14px;margin:0;font-size:14px}
.kv dt{color:var(--muted)}.kv dd{margin:0;font-variant-numeric:tabular-nums}
svg.chart{max-width:100%;height:auto;display:block}
svg text{fill:var(--fg);font:13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg text.dim{fill:var(--muted)}
.track{fill:var(--track)}
.f-critical{fill:var(--critical)}.f-high{fill:var(--high)}.f-medium{fill:var(--medium)}.f-low{fill:var(--low)}.f-info{fill:var(--info)}
.f-good{fill:var(--good)}.f-weak{fill:var(--weak)}.f-bad{fill:var(--bad)}.f-pending{fill:var(--pending)}
.ring-track{fill:none;stroke:var(--track);stroke-width:12}
.ring{fill:none;stroke-width:12;stroke-linecap:round}
.s-good{stroke:var(--good)}.s-weak{stroke:var(--weak)}.s-bad{stroke:var(--bad)}
.ring-text{font-size:30px;font-weight:700}
.table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--border);border-radius:10px}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:8px 12px;border-bottom:1px solid var(--border);vertical-align:top}
tr:last-child td{border-bottom:none}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:var(--bg);position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap;line-height:1.6}
.b-critical{background:var(--critical)}.b-high{background:var(--high)}.b-medium{background:var(--medium)}.b-low{background:var(--low)}.b-info{background:var(--info)}
.b-good,.b-pass{background:var(--good)}.b-weak,.b-partial{background:var(--weak)}.b-bad,.b-fail{background:var(--bad)}
.b-unknown,.b-not-applicable{background:var(--unknown)}.b-needs-attestation,.b-needs-evidence{background:var(--pending)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px;overflow-wrap:anywhere}
.small{font-size:13px}
.fix{color:var(--muted);font-size:13px;margin-top:4px}
.fix b{color:var(--fg);font-weight:600}
details.asset,details.group{background:var(--card);border:1px solid var(--border);border-radius:10px;margin:10px 0}
details.asset>summary,details.group>summary{cursor:pointer;padding:12px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:8px 12px}
details.asset>summary h3,details.group>summary h3{font-size:16px}
details[open]>summary{border-bottom:1px solid var(--border)}
.asset-body{padding:12px 16px;display:grid;grid-template-columns:minmax(0,2fr) minmax(240px,1fr);gap:16px}
@media (max-width:800px){.asset-body{grid-template-columns:1fr}}
.qa{list-style:none;margin:0;padding:0}
.qa>li{display:grid;grid-template-columns:230px 84px minmax(0,1fr);gap:10px;padding:7px 0;border-bottom:1px dashed var(--border)}
.qa>li:last-child{border-bottom:none}
@media (max-width:800px){.qa>li{grid-template-columns:1fr}}
.qa .q{font-weight:600}
.evidence{margin:4px 0 0;padding-left:18px;color:var(--muted);font-size:13px}
.blast{background:var(--bg);border-radius:8px;padding:2px 14px 10px;font-size:14px;align-self:start}
.blast h4{margin:10px 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.blast ul{margin:4px 0 0;padding-left:18px}
.roadmap{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:16px;margin-top:16px}
.roadmap ul{list-style:none;margin:0;padding:0;font-size:14px}
.roadmap li{padding:3px 0}
.done{color:var(--good);font-weight:700}.open{color:var(--bad);font-weight:700}
.filter{margin:0 0 10px;padding:7px 10px;width:min(420px,100%);border:1px solid var(--border);border-radius:6px;background:var(--card);color:var(--fg);font:inherit}
.empty{padding:14px 16px;color:var(--muted)}
.warn{color:var(--bad);font-weight:600}
details.group>.table-wrap{border:none;border-radius:0 0 10px 10px}
td.rule code{white-space:nowrap}
td.loc{min-width:11em}
footer{margin-top:40px;color:var(--muted);font-size:12px;text-align:center}
@media print{body{background:#fff}.filter,nav.toc{display:none}details.asset,details.group,.card,.table-wrap{break-inside:avoid}}
`;

/** Progressive enhancement only: a text filter over tables marked with `data-filter`. */
export const REPORT_SCRIPT = `
(function(){
  var inputs=document.querySelectorAll('input[data-filter]');
  for(var i=0;i<inputs.length;i++){(function(input){
    var table=document.getElementById(input.getAttribute('data-filter'));
    if(!table)return;
    input.hidden=false;
    input.addEventListener('input',function(){
      var q=input.value.toLowerCase();
      var rows=table.querySelectorAll('tbody tr');
      for(var j=0;j<rows.length;j++){rows[j].hidden=q!==''&&rows[j].textContent.toLowerCase().indexOf(q)<0;}
    });
  })(inputs[i]);}
})();
`;
