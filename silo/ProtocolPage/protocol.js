// The protocol page: asks the silo for GET /status about once a second and draws, per cluster,
// its leader and a row per node. The URL is relative, so the page works behind a proxy that keeps
// the path and with the basic-auth credentials the browser already holds for the page. Every
// value is set as text (textContent), never as HTML: names, states and addresses come from the
// cluster. A failed poll keeps the last tables and says so.
"use strict";

const statusUrl = "../status";
const pollMs = 1000;
const timeoutMs = 5000;
let lastAnswer = null;

// One column per entry: its heading, how to read it from a node, whether it is a number (right-
// aligned), and whether it is known of a node that did not answer (only its name and the reason).
const columns = [
  { title: "node", read: n => n.node, always: true },
  { title: "role", read: n => n.role },
  { title: "follows", read: n => n.leader },
  { title: "ballot", read: n => n.ballot },
  { title: "commit", read: n => n.commit, number: true },
  { title: "applied", read: n => n.applied, number: true },
  { title: "log length", read: n => n.storage.logLength, number: true },
  { title: "snapshot index", read: n => n.storage.snapshotIndex, number: true },
  { title: "inbox", read: n => n.inbox, number: true },
  { title: "pending requests", read: n => n.pendingRequests, number: true },
  { title: "mean flush (ms)", read: flushMs, number: true, hint: "mean write time over the last 10 s; – when nothing was written" },
  { title: "silo", read: n => n.silo },
  { title: "state", read: nodeState, always: true },
];

function flushMs(node) {
  return node.storage.flushSeconds > 0 ? (node.storage.flushSeconds * 1000).toFixed(2) : null;
}

function nodeState(node) {
  if (!node.answered) return node.state;
  return node.running ? "running" : "stopped";
}

function element(tag, text, className) {
  const created = document.createElement(tag);
  if (text !== undefined) created.textContent = text === null || text === "" ? "–" : String(text);
  if (className) created.className = className;
  return created;
}

function nodeRow(node) {
  const row = element("tr");
  if (node.leading) row.classList.add("leader");
  if (!node.answered) row.classList.add("silent");
  else if (!node.running) row.classList.add("stopped");
  row.title = node.state ?? "";
  for (const column of columns) {
    const value = node.answered || column.always ? column.read(node) : null;
    row.append(element("td", value, column.number ? "number" : ""));
  }
  return row;
}

function clusterSection(cluster, index) {
  const heading = element("h2", cluster.name);
  heading.id = `cluster-${index}`;
  const leaders = cluster.nodes.filter(n => n.leading).map(n => n.node);
  const summary = element("p", undefined, "summary");
  summary.append("protocol ", element("strong", cluster.protocol), " · leader ", element("strong", leaders.join(", ") || "none"));

  const head = element("tr");
  for (const column of columns) {
    const cell = element("th", column.title, column.number ? "number" : "");
    cell.scope = "col";
    if (column.hint) cell.title = column.hint;
    head.append(cell);
  }
  const table = element("table");
  table.append(element("thead"), element("tbody"));
  table.tHead.append(head);
  table.tBodies[0].append(...cluster.nodes.map(nodeRow));

  const section = element("section");
  section.setAttribute("aria-labelledby", heading.id);
  section.append(heading, summary, table);
  return section;
}

function draw(clusters) {
  const main = document.getElementById("clusters");
  if (clusters.length === 0) main.replaceChildren(element("p", "No clusters yet."));
  else main.replaceChildren(...clusters.map(clusterSection));
}

// The clusters as GET /status lists them, or an Error saying in a few words why not.
async function readStatus() {
  let response;
  try {
    response = await fetch(statusUrl, { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(error.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : "the silo is unreachable");
  }
  const body = await response.json().catch(() => null);
  // A 503 says why in "error" (the cluster definitions cannot be read).
  if (!response.ok) throw new Error(body?.error ?? `HTTP ${response.status}`);
  if (!body) throw new Error("the answer was not JSON");
  return body.clusters;
}

async function poll() {
  const errorLine = document.getElementById("error");
  try {
    draw(await readStatus());
    lastAnswer = new Date().toLocaleTimeString();
    document.getElementById("updated").textContent = `Last updated ${lastAnswer}`;
    errorLine.hidden = true;
  } catch (error) {
    const shown = lastAnswer ? ` Showing the answer of ${lastAnswer}.` : "";
    errorLine.textContent = `Cannot read the status: ${error.message}.${shown}`;
    errorLine.hidden = false;
  }
  setTimeout(poll, pollMs);
}

poll();
