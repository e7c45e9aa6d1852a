/** The report's only style sheet, inlined so report.html opens from a CI artifact or a USB stick as is. */
export const HTML_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dt { font-weight: 600; color: #555; }
dd { margin: 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d0d5; padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f3f3f6; }
.matrix td.verdict.as-expected { background: #e9f6ec; }
.matrix td.verdict.unexpected { background: #fde2e1; font-weight: 600; }
.phases td.phase.unexpected { background: #fde2e1; }
.phases td.phase.unexpected .verdict { color: #a40000; }
.matrix td.verdict.skipped, .matrix td.verdict.not-run, .phases td.phase.skipped, .phases td.phase.not-run { color: #777; background: #f7f7f7; }
.across.changed { color: #a40000; font-weight: 600; }
.legend, .id, .duration, .expected { color: #666; font-size: .9em; }
.id { font-family: ui-monospace, monospace; margin: 0; }
.side-by-side { overflow-x: auto; }
.phases { table-layout: fixed; min-width: 100%; }
.phases td.phase { min-width: 18rem; }
.phases td.phase.as-expected { background: #f4fbf5; }
.phases .summary { font-weight: normal; color: #444; margin: .25rem 0 0; }
.phases p { margin: .2rem 0; }
.note.error { color: #a40000; }
ul.probes, ul.evidence { margin: .35rem 0; padding-left: 1.1rem; }
ul.evidence::before { content: 'evidence'; display: block; margin-left: -1.1rem; color: #555; font-weight: 600; }
.probe.not-held .probe-name, .probe.infrastructure .probe-name { color: #a40000; }
.probe-name { font-family: ui-monospace, monospace; font-weight: 600; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f8; padding: .3rem .4rem; margin: .2rem 0; font-size: .85em; }
`;
