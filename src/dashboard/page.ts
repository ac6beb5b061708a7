/**
 * The dashboard page: plain HTML, a style sheet and a script served by the dashboard itself (its
 * Content-Security-Policy allows nothing else). The script reads `/api/state` and builds the page
 * with DOM calls and `textContent` only, so a container's name, image or finding is always text,
 * never markup.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shipshape dashboard</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
<h1>shipshape dashboard</h1>
<p id="engine">connecting…</p>
</header>
<main>
<section id="summary" aria-live="polite"></section>
<section>
<h2>Containers</h2>
<table id="containers">
<thead><tr><th>container</th><th>image</th><th>state</th><th>hardening</th><th>CPU</th><th>memory</th></tr></thead>
<tbody></tbody>
</table>
</section>
<section>
<h2>Alerts</h2>
<ol id="alerts"></ol>
</section>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 12px 20px; }
header h1 { margin: 0; font-size: 18px; }
header p { margin: 4px 0 0; opacity: .8; }
main { padding: 12px 20px; }
#summary { display: flex; gap: 12px; }
.tile { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; padding: 8px 14px; }
.tile b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; border-bottom: 1px solid #e3e6eb; padding: 6px 8px; vertical-align: top; }
td.hardened { color: #17663a; font-weight: 600; }
td.findings { color: #9c1c1c; font-weight: 600; }
td ul { margin: 4px 0 0; padding-left: 16px; font-weight: normal; color: #1d2330; }
svg.graph { width: 160px; height: 36px; background: #f0f3f7; display: block; }
svg.graph polyline { fill: none; stroke: #2f6fd6; stroke-width: 1.5; }
svg.memory polyline { stroke: #8a46c2; }
#alerts li { background: #fff; border-left: 4px solid #c77c02; margin: 4px 0; padding: 4px 8px; list-style-position: inside; }
#alerts li.high, #alerts li.critical { border-left-color: #b3261e; }
.problem { color: #b3261e; }
`;

export const DASHBOARD_JS = `"use strict";
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function mib(bytes) { return (bytes / 1048576).toFixed(1) + " MiB"; }
  function graph(points, field, max, cls) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "graph " + cls);
    svg.setAttribute("viewBox", "0 0 160 36");
    svg.setAttribute("role", "img");
    var line = document.createElementNS(SVG, "polyline");
    var top = max;
    for (var i = 0; i < points.length; i++) if (points[i][field] > top) top = points[i][field];
    if (!(top > 0)) top = 1;
    var coords = [];
    var step = points.length > 1 ? 160 / (points.length - 1) : 0;
    for (var j = 0; j < points.length; j++) {
      var y = 35 - (points[j][field] / top) * 34;
      coords.push((j * step).toFixed(1) + "," + y.toFixed(1));
    }
    line.setAttribute("points", coords.join(" "));
    svg.appendChild(line);
    var title = document.createElementNS(SVG, "title");
    title.textContent = points.length + " points";
    svg.appendChild(title);
    return svg;
  }
  function tile(label, value) {
    var t = el("div", undefined, "tile");
    t.appendChild(el("b", value));
    t.appendChild(el("span", label));
    return t;
  }
  function render(state) {
    var engine = document.getElementById("engine");
    engine.textContent = "engine " + state.engine + " · " + (state.connected ? "updated " + state.time : "not answering");
    engine.className = state.connected ? "" : "problem";
    if (state.problem) engine.textContent += " · " + state.problem;
    var running = 0, unhardened = 0;
    var body = document.querySelector("#containers tbody");
    var rows = [];
    state.containers.forEach(function (c) {
      if (c.running) running++;
      if (!c.hardened) unhardened++;
      var tr = el("tr");
      tr.setAttribute("data-container", c.name);
      tr.appendChild(el("td", c.name));
      tr.appendChild(el("td", c.image));
      tr.appendChild(el("td", c.status + (c.restartCount ? " (" + c.restartCount + " restarts)" : "")));
      var h = el("td", c.hardened ? "hardened" : c.findings.length + " findings, worst " + c.worstSeverity, c.hardened ? "hardened" : "findings");
      if (c.findings.length) {
        var ul = el("ul");
        c.findings.forEach(function (f) {
          var li = el("li", f.severity + " " + f.rule + ": " + f.message);
          li.setAttribute("data-rule", f.rule);
          ul.appendChild(li);
        });
        h.appendChild(ul);
      }
      tr.appendChild(h);
      var last = c.points.length ? c.points[c.points.length - 1] : undefined;
      var cpu = el("td", last ? last.cpuPercent.toFixed(1) + " %" : "–");
      cpu.appendChild(graph(c.points, "cpuPercent", 100, "cpu"));
      tr.appendChild(cpu);
      var mem = el("td", last ? mib(last.memoryBytes) + (c.memoryLimitBytes ? " of " + mib(c.memoryLimitBytes) : "") : "–");
      mem.appendChild(graph(c.points, "memoryBytes", c.memoryLimitBytes || 0, "memory"));
      tr.appendChild(mem);
      rows.push(tr);
    });
    body.replaceChildren.apply(body, rows);
    var summary = document.getElementById("summary");
    summary.replaceChildren(
      tile("containers", state.containers.length),
      tile("running", running),
      tile("not hardened", unhardened),
      tile("alerts", state.alerts.length)
    );
    var alerts = document.getElementById("alerts");
    var items = state.alerts.map(function (a) {
      var li = el("li", a.time + " " + a.severity + " " + a.check + " " + a.container.name + ": " + a.message, a.severity);
      li.setAttribute("data-check", a.check);
      return li;
    });
    if (!items.length) items.push(el("li", "no alerts"));
    alerts.replaceChildren.apply(alerts, items);
    document.body.setAttribute("data-loaded", "true");
  }
  var every = 5000;
  function poll() {
    fetch("/api/state", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        every = Math.max(1000, state.refreshSeconds * 1000);
        render(state);
      })
      .catch(function (e) {
        var engine = document.getElementById("engine");
        engine.textContent = "the dashboard server does not answer: " + e;
        engine.className = "problem";
      })
      .finally(function () { setTimeout(poll, every); });
  }
  poll();
})();
`;
