// The counterexample viewer: a sequence diagram with a lane per client and per node, one row per
// decision, drawn as SVG. Traces of any length open quickly: beyond a few hundred rows only the
// rows near the viewport are drawn, again as it scrolls. Every text from the trace goes through
// textContent, never innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("counterexample").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var ROW = 24, GUTTER = 250, LANE = 120, HEAD = 34, VIOLATION_H = 44, PAD = 110;
  var WINDOW_ALL = 600, BUFFER = 150;
  var events = data.events, n = events.length;

  // ----- lanes: clients first (they start things), then nodes -----
  var lanes = [], laneIndex = {};
  data.clients.forEach(function (c) { laneIndex["c" + c] = lanes.length; lanes.push({ id: "c" + c, kind: "client" }); });
  for (var i = 0; i < data.nodes; i++) { laneIndex["n" + i] = lanes.length; lanes.push({ id: "n" + i, kind: "node" }); }
  function x(lane) { return GUTTER + laneIndex[lane] * LANE + LANE / 2; }
  function y(row) { return row * ROW + ROW / 2; }

  // ----- links: each message from the row that released it to the rows that act on it -----
  var sent = {};      // message id -> { row, send }
  var issued = {};    // "c1#4->n2" -> row
  var spans = [];     // everything drawn between two rows: { type, from, to, row, src, dst, event }
  var downUntil = []; // { node, from, to }: the rows from a crash to its restart (or the end)
  var crashedAt = {};
  events.forEach(function (e, row) {
    e.sends.forEach(function (s) { sent[s.messageId] = { row: row, send: s }; });
    e.requests.forEach(function (r) { issued["c" + r.client + "#" + r.sequence + "->n" + r.node] = row; });
    if (e.kind === "Deliver" || e.kind === "Drop" || e.kind === "Duplicate") {
      var origin = sent[e.messageId];
      spans.push({ type: "msg", from: origin ? origin.row : row, to: row, row: row, src: "n" + e.node, dst: "n" + e.peer, event: e });
    } else if (e.kind === "Request") {
      var at = issued["c" + e.client + "#" + e.number + "->n" + e.node];
      spans.push({ type: "req", from: at === undefined ? row : at, to: row, row: row, src: "c" + e.client, dst: "n" + e.node, event: e });
    }
    e.replies.forEach(function (r) { spans.push({ type: "reply", from: row, to: row, row: row, src: "n" + r.node, dst: "c" + r.client, reply: r, event: e }); });
    if (e.kind === "Crash") crashedAt[e.node] = row;
    if (e.kind === "Restart" && crashedAt[e.node] !== undefined) { downUntil.push({ node: e.node, from: crashedAt[e.node], to: row }); delete crashedAt[e.node]; }
  });
  Object.keys(crashedAt).forEach(function (node) { downUntil.push({ node: +node, from: crashedAt[node], to: n }); });

  var violation = data.violation;
  var violatingRow = violation && violation.eventIndex >= 0 ? violation.eventIndex : -1;
  var width = GUTTER + lanes.length * LANE + PAD;
  var height = n * ROW + (violation ? VIOLATION_H + 16 : 16);

  // ----- the page frame -----
  var diagram = document.getElementById("diagram");
  var canvas = document.getElementById("canvas");
  var svg = document.getElementById("rows"), rowsSvg = svg;
  var panel = document.getElementById("panel");
  canvas.style.width = width + "px";
  canvas.style.height = (height + HEAD) + "px";
  svg.setAttribute("width", width);

  var title = document.getElementById("title");
  title.textContent = data.protocol;
  var sub = document.createElement("span");
  sub.className = "sub";
  sub.textContent = "seed " + data.seed + " · " + data.nodes + " nodes" + (data.clients.length ? " · " + data.clients.length + " clients" : "") +
    " · " + n + " decisions" + (data.skippedDecisions ? " (" + data.skippedDecisions + " skipped)" : "");
  title.appendChild(sub);
  var verdict = document.getElementById("verdict");
  if (violation) {
    verdict.className = "bad";
    verdict.textContent = "✖ " + violation.kind + " '" + violation.property + "' violated: " + violation.message;
    verdict.title = verdict.textContent;
    verdict.addEventListener("click", function () { select("violation", true); });
  } else {
    verdict.className = "ok";
    verdict.textContent = "✔ no property violated";
    document.getElementById("to-violation").disabled = true;
  }

  var laneHeads = document.getElementById("lanes");
  var gutterHead = document.createElement("div");
  gutterHead.className = "gutter-head";
  gutterHead.textContent = "decision · round";
  laneHeads.appendChild(gutterHead);
  lanes.forEach(function (lane) {
    var head = document.createElement("div");
    head.className = "lane-head " + lane.kind;
    head.dataset.lane = lane.id;
    head.textContent = lane.id;
    head.style.left = x(lane.id) + "px";
    head.title = lane.kind === "node" ? "node " + lane.id : "client " + lane.id;
    laneHeads.appendChild(head);
  });

  var legend = document.getElementById("legend");
  [["delivered", "var(--accent)"], ["dropped", "var(--drop)"], ["duplicated", "var(--dup)"], ["lost: link cut", "var(--cut)"],
   ["lost: node down", "var(--down)"], ["request", "var(--req)"], ["reply", "var(--flush)"]].forEach(function (item) {
    var span = document.createElement("span");
    var mark = document.createElement("i");
    mark.style.borderColor = item[1];
    span.appendChild(mark);
    span.appendChild(document.createTextNode(item[0]));
    legend.appendChild(span);
  });
  var glyphs = document.createElement("span");
  glyphs.textContent = "○ tick  ■ flush  ✕ crash  ↻ restart  ✂ cut  — heal · click a row, or j/k to step";
  legend.appendChild(glyphs);

  // ----- drawing -----
  function el(tag, attrs, text, parent) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function tip(parent, text) { el("title", {}, text, parent); }
  function cross(g, cx, cy, r, cls) {
    el("line", { x1: cx - r, y1: cy - r, x2: cx + r, y2: cy + r, "class": cls }, null, g);
    el("line", { x1: cx - r, y1: cy + r, x2: cx + r, y2: cy - r, "class": cls }, null, g);
  }
  // Coloured by the arrow's class in the style sheet (presentation attributes take no var()).
  function arrowHead(g, x1, y1, x2, y2) {
    var a = Math.atan2(y2 - y1, x2 - x1), s = 7;
    el("path", { d: "M" + x2 + "," + y2 + " L" + (x2 - s * Math.cos(a - 0.4)) + "," + (y2 - s * Math.sin(a - 0.4)) +
      " L" + (x2 - s * Math.cos(a + 0.4)) + "," + (y2 - s * Math.sin(a + 0.4)) + " Z", "class": "head" }, null, g);
  }

  var OUTCOME_CLASS = { Delivered: "delivered", Dropped: "dropped", Duplicated: "duplicated", LostLinkCut: "lost-cut", LostNodeDown: "lost-down" };
  var OUTCOME_TEXT = { Delivered: "delivered", Dropped: "dropped", Duplicated: "duplicated", LostLinkCut: "lost: link cut", LostNodeDown: "lost: node down" };

  function drawSpan(s, top) {
    var x1 = x(s.src), x2 = x(s.dst), y1 = y(s.from) - top, y2 = y(s.to) - top, e = s.event;
    if (s.type === "reply") {
      var g = el("g", { "class": "reply", "data-row": s.row }, null, svg);
      var yy = y2 + 5;
      el("line", { x1: x1, y1: yy, x2: x2 + (x2 > x1 ? -4 : 4), y2: yy }, null, g);
      arrowHead(g, x1, yy, x2, yy);
      tip(g, "reply n" + s.reply.node + " → c" + s.reply.client + "#" + s.reply.sequence + ": " + s.reply.reply);
      return;
    }
    if (y1 === y2) y1 -= ROW * 0.45; // acted on in the row that released it: still a slope
    var cls = s.type === "req" ? "req" + (e.outcome === "LostNodeDown" ? " lost" : "") : "msg " + OUTCOME_CLASS[e.outcome];
    var g2 = el("g", { "class": cls, "data-row": s.row, "data-msg": e.messageId }, null, svg);
    // A delivery ends in an arrowhead on the target's lane; anything else stops short of it,
    // marked where the message died (or, for a duplicate, where it was copied).
    var full = e.outcome === "Delivered";
    var ex, ey = y2;
    if (x1 === x2) {
      // A node's message to itself: a loop to the right of its lane.
      ex = full ? x1 + 3 : x1 + 34;
      el("path", { d: "M" + x1 + "," + y1 + " C" + (x1 + 46) + "," + y1 + " " + (x1 + 46) + "," + y2 + " " + (full ? x1 + 8 : ex) + "," + y2 }, null, g2);
      if (full) arrowHead(g2, x1 + 30, y2, ex, ey);
    } else {
      ex = x1 + (x2 - x1) * (full ? 1 : e.outcome === "LostNodeDown" ? 0.85 : 0.6);
      var shorten = full ? 5 : 0, a = Math.atan2(ey - y1, ex - x1);
      el("line", { x1: x1, y1: y1, x2: ex - shorten * Math.cos(a), y2: ey - shorten * Math.sin(a) }, null, g2);
      if (full) arrowHead(g2, x1, y1, ex, ey);
    }
    if (e.outcome === "Duplicated") {
      el("circle", { cx: ex, cy: ey, r: 7, "class": "dup-badge" }, null, g2);
      el("text", { x: ex, y: ey + 3, "text-anchor": "middle", "class": "dup-text" }, "×2", g2);
    } else if (!full) cross(g2, ex, ey, 4.5, "mark-x");
    var what = s.type === "req" ? "request " + e.label.replace(/^request /, "") : e.label.replace(/^(deliver|drop|dup) /, "");
    tip(g2, what + " · " + (OUTCOME_TEXT[e.outcome] || "") + (e.message ? "\n" + e.message : ""));
  }

  function drawRow(row, top) {
    var e = events[row], cy = y(row) - top;
    el("rect", { x: 0, y: cy - ROW / 2, width: width, height: ROW, "class": "row-hit" + (row === violatingRow ? " violating" : "") + (selected === row ? " selected" : ""), "data-row": row }, null, svg);
    if (e.kind === "Round") el("line", { x1: 0, y1: cy + ROW / 2, x2: width, y2: cy + ROW / 2, "class": "round-line" }, null, svg);
    el("text", { x: 10, y: cy + 4, "class": "gutter kind-" + e.kind, "data-row": row }, pad(row + 1) + " r" + e.round + "  " + shortLabel(e), svg);
    if (row === violatingRow) el("circle", { cx: GUTTER - 12, cy: cy, r: 5, "class": "violation-dot", "data-row": row }, null, svg);
  }

  function drawGlyphs(row, top) {
    var e = events[row], cy = y(row) - top, g, lx;
    var svg = el("g", { "data-row": row }, null, rowsSvg); // a click on a glyph selects its row
    switch (e.kind) {
      case "Tick":
        g = el("circle", { cx: x("n" + e.node), cy: cy, r: 5, "class": "glyph-tick" }, null, svg);
        tip(g, "tick n" + e.node);
        break;
      case "Rest":
        g = el("circle", { cx: x("n" + e.node), cy: cy, r: 5, "class": "glyph-rest" }, null, svg);
        tip(g, "n" + e.node + " takes no more ticks this round (a slow clock)");
        break;
      case "Flush":
        g = el("rect", { x: x("n" + e.node) - 5, y: cy - 5, width: 10, height: 10, rx: 2, "class": "glyph-flush" }, null, svg);
        tip(g, "flush n" + e.node + " (persist, then release " + e.sends.length + " message(s))");
        break;
      case "Round":
        var flushed = {};
        e.sends.forEach(function (s) { flushed[s.from] = true; });
        e.replies.forEach(function (r) { flushed[r.node] = true; });
        Object.keys(flushed).forEach(function (node) {
          g = el("rect", { x: x("n" + node) - 4, y: cy - 4, width: 8, height: 8, rx: 2, "class": "glyph-flush" }, null, svg);
          tip(g, "n" + node + " flushed at the end of round " + e.round);
        });
        break;
      case "Crash":
        lx = x("n" + e.node);
        g = el("g", {}, null, svg);
        cross(g, lx, cy, 6, "glyph-crash");
        tip(g, "crash n" + e.node);
        break;
      case "Restart":
        lx = x("n" + e.node);
        g = el("g", {}, null, svg);
        el("circle", { cx: lx, cy: cy, r: 6, "class": "glyph-restart" }, null, g);
        el("text", { x: lx, y: cy + 4, "text-anchor": "middle", "class": "glyph-label live" }, "↻", g);
        tip(g, "restart n" + e.node + " from its durable state");
        break;
      case "Cut":
        var a = x("n" + e.node), b = x("n" + e.peer);
        g = el("g", {}, null, svg);
        el("line", { x1: a, y1: cy, x2: b, y2: cy, "class": "glyph-cut" }, null, g);
        el("text", { x: (a + b) / 2, y: cy - 3, "text-anchor": "middle", "class": "glyph-label cut" }, "✂ n" + e.node + "→n" + e.peer, g);
        tip(g, "cut the link n" + e.node + " → n" + e.peer);
        break;
      case "Delay":
        lx = x("n" + e.node);
        g = el("g", {}, null, svg);
        el("text", { x: lx + 8, y: cy + 4, "class": "glyph-label delay" }, "⧖ +" + e.client + " →n" + e.peer, g);
        tip(g, "n" + e.node + "'s message #" + e.number + " to n" + e.peer + " is held " + e.client + " round(s)");
        break;
      case "Heal":
      case "Live":
        var first = x("n0"), last = x("n" + (data.nodes - 1)), cls = e.kind === "Heal" ? "heal" : "live";
        g = el("g", {}, null, svg);
        el("line", { x1: first - 20, y1: cy, x2: last + 20, y2: cy, "class": "glyph-" + cls }, null, g);
        el("text", { x: last + 24, y: cy + 4, "class": "glyph-label " + cls }, e.kind === "Heal" ? "heal" : "liveness phase", g);
        tip(g, e.kind === "Heal" ? "every cut link restored" : "the liveness phase begins: no more loss or duplication");
        break;
    }
  }

  function drawLanes(first, last, top) {
    lanes.forEach(function (lane) {
      el("line", { x1: x(lane.id), y1: y(first) - ROW / 2 - top, x2: x(lane.id), y2: y(last) + ROW / 2 - top, "class": "lane-line" }, null, svg);
    });
    downUntil.forEach(function (d) {
      if (d.to < first || d.from > last) return;
      el("line", { x1: x("n" + d.node), y1: y(Math.max(d.from, first)) - top, x2: x("n" + d.node), y2: y(Math.min(d.to, last)) - top, "class": "lane-line down" }, null, svg);
    });
  }

  function drawViolation(top) {
    var cy = n * ROW + 10 - top;
    var g = el("g", { id: "violation", "class": selected === "violation" ? "selected" : "" }, null, svg);
    el("rect", { x: 6, y: cy, width: width - 12, height: VIOLATION_H - 8, rx: 6 }, null, g);
    el("text", { x: 18, y: cy + 22 }, "✖ " + violation.kind + " '" + violation.property + "' violated: " + violation.message, g);
    tip(g, violation.message);
    g.addEventListener("click", function () { select("violation", false); });
  }

  function pad(i) { var s = String(i); return s.length >= 4 ? s : "    ".slice(s.length) + s; }
  function shortLabel(e) { return e.label.length > 26 ? e.label.slice(0, 25) + "…" : e.label; }

  // Which rows are drawn: all of a short trace; a window around the viewport of a long one.
  var drawn = null;
  function render(force) {
    var first = 0, last = n - 1;
    if (n > WINDOW_ALL) {
      var viewTop = Math.max(0, diagram.scrollTop - HEAD), viewRows = Math.ceil(diagram.clientHeight / ROW);
      var at = Math.floor(viewTop / ROW);
      var margin = BUFFER / 3;
      var stale = !drawn || (drawn.first > 0 && at - margin < drawn.first) || (drawn.last < n - 1 && at + viewRows + margin > drawn.last);
      if (!force && !stale) return;
      first = Math.max(0, at - BUFFER);
      last = Math.min(n - 1, at + viewRows + BUFFER);
    }
    drawn = { first: first, last: last };
    var top = first * ROW;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.style.top = (HEAD + top) + "px";
    var showViolation = violation && last === n - 1;
    svg.setAttribute("height", (last - first + 1) * ROW + (showViolation ? VIOLATION_H + 16 : 0));
    if (n === 0) { if (violation) drawViolation(0); return; }
    for (var r = first; r <= last; r++) drawRow(r, top);
    drawLanes(first, last, top);
    for (r = first; r <= last; r++) drawGlyphs(r, top);
    spans.forEach(function (s) { if (s.from <= last && s.to >= first) drawSpan(s, top); });
    if (showViolation) drawViolation(top);
    markRelated();
  }

  // ----- the side panel -----
  var selected = null;
  function h(tag, text, cls, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // Decisions are numbered from 1 as the text trace numbers them (orleansnodes sim prints "9 r2 deliver ...").
  function showEvent(row) {
    var e = events[row];
    panel.textContent = "";
    var head = h("h2", "Decision " + (row + 1), null, panel);
    if (e.outcome !== "None") h("span", OUTCOME_TEXT[e.outcome], "badge " + e.outcome, head);
    if (row === violatingRow) h("span", "violation", "badge violation", head);
    h("div", e.label, "label", panel);
    var line = e.owed ? " (owed by the round at line " + (e.index + 1) + " of the schedule)"
      : e.index !== row ? " (line " + (e.index + 1) + " of the schedule)" : "";
    h("div", "round " + e.round + " · decision " + (row + 1) + " of " + n + line, "meta", panel);
    if (e.message) {
      h("h3", e.kind === "Request" ? "Command" : "Message", null, panel);
      var origin = sent[e.messageId];
      if (origin) h("div", "released by decision " + (origin.row + 1) + " (" + events[origin.row].label + ")", "meta", panel);
      h("pre", e.message, null, panel);
    }
    h("h3", "State changes", null, panel);
    if (e.changes.length === 0) h("div", "no state changed", "empty", panel);
    else {
      var table = h("table", null, "changes", panel);
      var lastNode = null;
      e.changes.forEach(function (c) {
        var tr = h("tr", null, "change", table);
        h("td", c.node === lastNode ? "" : "n" + c.node, "node", tr);
        lastNode = c.node;
        h("td", c.path, "path", tr);
        var td = h("td", null, "value", tr);
        h("span", c.before, "before", td);
        h("span", "→", "arrow", td);
        h("span", c.after, "after", td);
      });
    }
    list("Messages released", e.sends, function (s) { return ["n" + s.from + "→n" + s.to + " #" + s.ordinal, s.message]; });
    list("Requests sent", e.requests, function (r) { return ["c" + r.client + "#" + r.sequence + "→n" + r.node, r.command]; });
    list("Replies released", e.replies, function (r) { return ["n" + r.node + "→c" + r.client + "#" + r.sequence, r.reply]; });
    if (row === violatingRow) violationBox();
    if (e.text) { h("h3", "Trace", null, panel); h("pre", e.text, "trace", panel); }
  }

  function list(title, items, describe) {
    if (items.length === 0) return;
    h("h3", title + " (" + items.length + ")", null, panel);
    var ul = h("ul", null, "items", panel);
    items.forEach(function (item) {
      var parts = describe(item), li = h("li", null, null, ul);
      h("span", parts[0], "who", li);
      li.appendChild(document.createTextNode(parts[1]));
    });
  }

  function violationBox() {
    var box = h("div", null, "violation-box", panel);
    h("b", violation.kind + " '" + violation.property + "' violated", null, box);
    h("div", violation.message, null, box);
    h("div", "at step " + violation.step + (violation.eventIndex >= 0 ? ", after decision " + (violation.eventIndex + 1) : ", at the end of the run"), "meta", box);
  }

  function showViolation() {
    panel.textContent = "";
    h("h2", "Violation", null, panel);
    violationBox();
    if (violatingRow >= 0) {
      h("h3", "The decision after which it failed", null, panel);
      h("div", events[violatingRow].label, "label", panel);
      if (events[violatingRow].text) h("pre", events[violatingRow].text, null, panel);
    }
    states("States at the end", data.finalStates);
    states("Initial states", data.initialStates);
  }

  function states(title, list) {
    h("h3", title, null, panel);
    h("pre", list.map(function (s, i) { return "n" + i + ": " + s; }).join("\n"), "states", panel);
  }

  function showIntro() {
    panel.textContent = "";
    h("h2", "Counterexample", null, panel);
    h("div", "Click a row (or use j/k) to see the decision, the message it acted on and what changed in the node's state.", "meta", panel);
    if (violation) violationBox();
    if (data.source) { h("h3", "Schedule", null, panel); h("pre", data.source, null, panel); }
    states("Initial states", data.initialStates);
  }

  function markRelated() {
    var rows = svg.querySelectorAll(".row-hit");
    for (var i = 0; i < rows.length; i++) rows[i].classList.toggle("selected", +rows[i].dataset.row === selected);
    var linked = svg.querySelectorAll(".msg, .req, .reply");
    var e = typeof selected === "number" ? events[selected] : null;
    var ids = {};
    if (e) e.sends.forEach(function (s) { ids[s.messageId] = true; });
    for (i = 0; i < linked.length; i++) {
      var g = linked[i];
      g.classList.toggle("related", !!e && (+g.dataset.row === selected || (g.dataset.msg !== undefined && ids[g.dataset.msg] === true)));
    }
    var v = document.getElementById("violation");
    if (v) v.classList.toggle("selected", selected === "violation");
  }

  function select(what, scroll) {
    selected = what;
    if (what === "violation") showViolation(); else showEvent(what);
    if (scroll) {
      var rowY = HEAD + (what === "violation" ? n * ROW : what * ROW);
      if (rowY < diagram.scrollTop + HEAD || rowY > diagram.scrollTop + diagram.clientHeight - 2 * ROW)
        diagram.scrollTop = Math.max(0, rowY - diagram.clientHeight / 2);
    }
    render(true);
  }

  function step(delta) {
    if (n === 0) return;
    var at = typeof selected === "number" ? selected : selected === "violation" ? n : -1;
    var next = at + delta;
    if (next >= n) { if (violation) select("violation", true); else select(n - 1, true); return; }
    select(Math.max(0, next), true);
  }

  // Rows, their glyphs and the arrows that end in them all carry their row.
  svg.addEventListener("click", function (ev) {
    var target = ev.target.closest ? ev.target.closest("[data-row]") : null;
    if (target) select(+target.dataset.row, false);
  });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("to-violation").addEventListener("click", function () { if (violation) select(violatingRow >= 0 ? violatingRow : "violation", true); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "j" || ev.key === "ArrowDown") { step(1); ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "ArrowUp") { step(-1); ev.preventDefault(); }
    else if (ev.key === "v" && violation) select(violatingRow >= 0 ? violatingRow : "violation", true);
  });
  var pending = false;
  diagram.addEventListener("scroll", function () {
    if (pending || n <= WINDOW_ALL) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(false); });
  });

  showIntro();
  render(true);
  document.body.dataset.ready = "true";
})();
