/* dyads dashboard: network of states and organisations, pair timelines, event table, event page
 * with highlighted evidence, and a paste-an-article box. Plain DOM and SVG, no library, no CDN.
 *
 * Safety rule: text from the store (article text, names, evidence, URLs) is untrusted. It only ever
 * reaches the page through textContent, text nodes or setAttribute on non-script attributes; this
 * file never assigns markup (no innerHTML, outerHTML, insertAdjacentHTML or document.write), and
 * links are made only for http(s) URLs.
 */
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const QUADS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];
const QUAD_LABEL = {verbal_cooperation: "verbal cooperation", material_cooperation: "material cooperation",
  verbal_conflict: "verbal conflict", material_conflict: "material conflict"};
const FILTER_KEYS = ["since", "until", "type", "status", "actor", "recipient", "text", "include_background"];
const NETWORK_KEYS = ["since", "until", "type", "status", "include_background"];
const PAGE = 50;
const SVGNS = "http://www.w3.org/2000/svg";

/* ---------------------------------------------------------------- DOM helpers */

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  setAttrs(node, attrs);
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (/^on/i.test(k)) throw new Error("event handlers are attached with addEventListener");
    if (k === "class") node.setAttribute("class", v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function $(sel) { return document.querySelector(sel); }

/** A link for http(s) URLs only; anything else (javascript:, data: ...) stays plain text. */
function safeLink(url, label) {
  if (typeof url === "string" && /^https?:\/\//i.test(url)) {
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, label || url);
  }
  return document.createTextNode(label || url || "");
}

function placeText(loc) {
  if (!loc) return "—";
  if (typeof loc === "string") return loc;
  const where = [loc.name, loc.country].filter(Boolean).join(", ");
  const at = typeof loc.lat === "number" && typeof loc.lon === "number" ? ` (${loc.lat.toFixed(2)}, ${loc.lon.toFixed(2)})` : "";
  return (where || "—") + at;
}

function fmt(x, digits = 1) { return x === null || x === undefined ? "—" : Number(x).toFixed(digits); }
function names(list) { return (list && list.length) ? list.join(", ") : "—"; }

/* ---------------------------------------------------------------- API */

async function api(path, params, options) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) qs.set(k, v);
  const url = path + (qs.toString() ? "?" + qs.toString() : "");
  const res = await fetch(url, Object.assign({headers: {"Accept": "application/json"}}, options || {}));
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : `${res.status} ${res.statusText}`;
    throw new Error(msg);
  }
  return body;
}

function showMessage(text, kind) {
  const box = $("#message");
  if (!text) { box.hidden = true; return; }
  box.className = "message" + (kind ? " " + kind : "");
  box.textContent = text;
  box.hidden = false;
}

function failed(err) { showMessage("Error: " + (err && err.message ? err.message : String(err))); }

/* ---------------------------------------------------------------- routing and filters */

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return {view: parts[0] || "network", args: parts.slice(1), params: Object.fromEntries(new URLSearchParams(query || ""))};
}

function hashFor(view, args, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) qs.set(k, v);
  const tail = (args || []).map(encodeURIComponent).join("/");
  return "#/" + view + (tail ? "/" + tail : "") + (qs.toString() ? "?" + qs.toString() : "");
}

function pick(params, keys) {
  const out = {};
  for (const k of keys) if (params[k]) out[k] = params[k];
  return out;
}

function readFilters() {
  const form = $("#filters");
  const out = {};
  for (const k of FILTER_KEYS) {
    const el = form.elements[k];
    const v = el.type === "checkbox" ? (el.checked ? el.value : "") : (el.value || "").trim();
    if (v) out[k] = v;
  }
  return out;
}

function writeFilters(params) {
  const form = $("#filters");
  for (const k of FILTER_KEYS) {
    const el = form.elements[k];
    if (el.type === "checkbox") el.checked = params[k] === el.value;
    else el.value = params[k] || "";
  }
}

/* ---------------------------------------------------------------- network */

const state = {graph: null, selected: null};

function edgeColour(e) {
  if (e.conflict === null || e.conflict === undefined) return "#8a8f98";
  // conflict share 0 -> green, 0.5 -> grey, 1 -> red
  const c = e.conflict;
  const mix = (a, b, t) => Math.round(a + (b - a) * t);
  const g = [46, 125, 91], m = [138, 143, 152], r = [184, 64, 47];
  const [from, to, t] = c < 0.5 ? [g, m, c * 2] : [m, r, (c - 0.5) * 2];
  return `rgb(${mix(from[0], to[0], t)},${mix(from[1], to[1], t)},${mix(from[2], to[2], t)})`;
}

function nodeColour(n) {
  if (n.kind === "state") return "#4f6d8f";
  if (n.kind === "organization") return "#8e6fb5";
  if (n.kind === "person") return "#5f8f6d";
  return "#9a7b4f";
}

/**
 * Deterministic force-directed layout (Fruchterman-Reingold with gravity and collision) in a
 * width x height box; radii keep circles and their labels from piling up.
 */
function layout(nodes, edges, width, height, radii) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, n);
    const rad = 0.35 * Math.min(width, height) * (0.6 + 0.4 * ((i * 7919) % 13) / 13);
    return {x: width / 2 + rad * Math.cos(a), y: height / 2 + rad * Math.sin(a)};
  });
  if (n <= 1) { if (n) { pos[0].x = width / 2; pos[0].y = height / 2; } return pos; }
  const index = new Map(nodes.map((d, i) => [d.id, i]));
  const links = edges.map(e => [index.get(e.source), index.get(e.target)]);
  const k = Math.sqrt((width * height) / n) * 0.9;
  let temp = width / 6;
  const iterations = n > 200 ? 150 : 350;
  for (let it = 0; it < iterations; it++) {
    const disp = pos.map(() => ({x: 0, y: 0}));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
        const f = (k * k) / d2;
        disp[i].x += dx * f; disp[i].y += dy * f;
        disp[j].x -= dx * f; disp[j].y -= dy * f;
      }
    }
    for (const [a, b] of links) {
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      const f = (d * d) / k;
      disp[a].x -= (dx / d) * f; disp[a].y -= (dy / d) * f;
      disp[b].x += (dx / d) * f; disp[b].y += (dy / d) * f;
    }
    for (let i = 0; i < n; i++) {
      // gravity keeps separate components on screen instead of drifting to the edges
      const gx = width / 2 - pos[i].x, gy = height / 2 - pos[i].y;
      const gd = Math.sqrt(gx * gx + gy * gy) || 1;
      disp[i].x += (gx / gd) * gd * gd / (4 * k); disp[i].y += (gy / gd) * gd * gd / (4 * k);
      const d = Math.sqrt(disp[i].x * disp[i].x + disp[i].y * disp[i].y) || 1;
      pos[i].x += (disp[i].x / d) * Math.min(d, temp);
      pos[i].y += (disp[i].y / d) * Math.min(d, temp);
    }
    // collision: circles (and a label's worth of room) never overlap
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const min = radii[i] + radii[j] + 24;
        if (d < min) {
          const push = (min - d) / 2;
          pos[i].x += (dx / d) * push; pos[i].y += (dy / d) * push;
          pos[j].x -= (dx / d) * push; pos[j].y -= (dy / d) * push;
        }
      }
    }
    temp = Math.max(1, temp * 0.985);
  }
  // fit into the box with a margin (labels go to the right of circles)
  const xs = pos.map(p => p.x), ys = pos.map(p => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mx = 40, my = 35, labelRoom = 110;
  const s = Math.min((width - 2 * mx - labelRoom) / Math.max(1, x1 - x0), (height - 2 * my) / Math.max(1, y1 - y0), 1.6);
  const ox = (width - labelRoom - s * (x1 - x0)) / 2, oy = (height - s * (y1 - y0)) / 2;
  return pos.map(p => ({x: ox + (p.x - x0) * s, y: oy + (p.y - y0) * s}));
}

async function showNetwork(params) {
  const filters = pick(params, NETWORK_KEYS);
  const box = $("#graph");
  let g;
  try {
    g = await api("/api/graph", Object.assign({level: "state", limit: 400}, filters));
  } catch (err) { failed(err); return; }
  state.graph = g;
  state.filters = filters;
  drawGraph(g);
  if (!g.edges.length) {
    showMessage("No events between two different actors match these filters.", "info");
  }
  const sel = params.node ? {node: params.node} : (params.edge ? {edge: params.edge} : null);
  if (sel && sel.node) selectNode(sel.node); else if (sel && sel.edge) selectEdge(sel.edge);
  else clear($("#side")).append(networkSummary(g));
  box.setAttribute("data-ready", "1");
}

function networkSummary(g) {
  return el("p", {class: "muted"}, `${g.nodes.length} states and organisations, ${g.edges.length} directed pairs` +
    (g.truncated ? " (the largest shown)" : "") + ". Click a circle to see its events, or the dot on a line " +
    "to see that pair's timeline and events.");
}

function drawGraph(g) {
  const box = $("#graph");
  clear(box);
  box.removeAttribute("data-ready");
  const width = box.clientWidth || 800, height = box.clientHeight || 600;
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const maxCount = Math.max(1, ...g.nodes.map(n => n.count));
  const radius = n => 5 + 17 * Math.sqrt(n.count / maxCount);
  const pos = layout(g.nodes, g.edges, width, height, g.nodes.map(radius));
  const at = new Map(g.nodes.map((n, i) => [n.id, pos[i]]));
  const rOf = new Map(g.nodes.map(n => [n.id, radius(n)]));
  const edgeLayer = svg("g", {class: "edges"});
  const nodeLayer = svg("g", {class: "nodes"});
  const handleLayer = svg("g", {class: "handles"});
  const pairs = new Set(g.edges.map(e => e.source + "\u0000" + e.target));
  for (const e of g.edges) {
    const a = at.get(e.source), b = at.get(e.target);
    if (!a || !b) continue;
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
    // bend to the right of the direction of travel, so A->B and B->A never overlap
    const bend = pairs.has(e.target + "\u0000" + e.source) ? 0.18 : 0.08;
    const cx = (a.x + b.x) / 2 + (-dy / len) * len * bend, cy = (a.y + b.y) / 2 + (dx / len) * len * bend;
    const mx = 0.25 * a.x + 0.5 * cx + 0.25 * b.x, my = 0.25 * a.y + 0.5 * cy + 0.25 * b.y;
    const colour = edgeColour(e);
    const width = 1 + 1.6 * Math.log2(1 + e.count);
    const title = `${nameOf(e.source)} → ${nameOf(e.target)}: ${e.count} event${e.count === 1 ? "" : "s"}` +
      (e.mean_intensity !== null ? `, mean intensity ${fmt(e.mean_intensity)}` : "") +
      (e.conflict !== null ? `, ${Math.round(100 * e.conflict)}% conflict` : "");
    const group = svg("g", {class: "edge", "data-edge": e.id, "data-source": e.source, "data-target": e.target},
      svg("title", {}, title),
      svg("path", {d: `M${a.x},${a.y} Q${cx},${cy} ${b.x},${b.y}`, stroke: colour, "stroke-width": width}));
    // the dot at the middle of the curve is the edge's click target, drawn above the circles
    const handle = svg("g", {class: "edge", "data-edge": e.id, "data-handle": e.id},
      svg("title", {}, title),
      svg("circle", {class: "handle", cx: mx, cy: my, r: Math.max(4, Math.min(7, width)), fill: colour}));
    for (const target of [group, handle]) {
      target.addEventListener("click", ev => { ev.stopPropagation(); navigateSelection({edge: e.id}); });
    }
    edgeLayer.append(group);
    handleLayer.append(handle);
  }
  for (const n of g.nodes) {
    const p = at.get(n.id);
    const r = rOf.get(n.id);
    const label = n.kind === "state" && n.name.length > 16 ? n.id : n.name;
    const group = svg("g", {class: "node" + (n.kind === "state" ? "" : " org"), "data-node": n.id,
      transform: `translate(${p.x},${p.y})`, tabindex: 0},
      svg("title", {}, `${n.name} (${n.kind}${n.country ? ", " + n.country : ""}): ${n.count} events`),
      svg("circle", {r, fill: nodeColour(n)}),
      svg("text", {x: r + 3, y: 4}, label.length > 28 ? label.slice(0, 27) + "…" : label));
    group.addEventListener("click", ev => { ev.stopPropagation(); navigateSelection({node: n.id}); });
    group.addEventListener("keydown", ev => { if (ev.key === "Enter") navigateSelection({node: n.id}); });
    nodeLayer.append(group);
  }
  box.append(edgeLayer, nodeLayer, handleLayer);
}

/** Wheel zooms around the pointer, dragging the background pans (both by changing the viewBox). */
function panZoom(box) {
  const view = () => box.getAttribute("viewBox").split(" ").map(Number);
  const toSvg = (ev, v) => {
    const r = box.getBoundingClientRect();
    return [v[0] + ((ev.clientX - r.left) / r.width) * v[2], v[1] + ((ev.clientY - r.top) / r.height) * v[3]];
  };
  box.addEventListener("wheel", ev => {
    if (!box.getAttribute("viewBox")) return;
    ev.preventDefault();
    const v = view(), [px, py] = toSvg(ev, v);
    const f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    const w = Math.min(Math.max(v[2] * f, 80), 8000), h = v[3] * (w / v[2]);
    box.setAttribute("viewBox", `${px - (px - v[0]) * (w / v[2])} ${py - (py - v[1]) * (h / v[3])} ${w} ${h}`);
  }, {passive: false});
  let start = null;
  box.addEventListener("pointerdown", ev => {
    if (ev.button !== 0 || ev.target.closest(".node, .edge") || !box.getAttribute("viewBox")) return;
    start = {x: ev.clientX, y: ev.clientY, v: view()};
  });
  window.addEventListener("pointermove", ev => {
    if (!start) return;
    const r = box.getBoundingClientRect(), v = start.v;
    const dx = ((ev.clientX - start.x) / r.width) * v[2], dy = ((ev.clientY - start.y) / r.height) * v[3];
    if (Math.abs(ev.clientX - start.x) + Math.abs(ev.clientY - start.y) > 4) {
      state.dragged = true;
      box.style.cursor = "grabbing";
    }
    box.setAttribute("viewBox", `${v[0] - dx} ${v[1] - dy} ${v[2]} ${v[3]}`);
  });
  window.addEventListener("pointerup", () => {
    if (!start) return;
    start = null;
    box.style.cursor = "";
    setTimeout(() => { state.dragged = false; }, 0);
  });
}

function nameOf(id) {
  const n = state.graph && state.graph.nodes.find(x => x.id === id);
  return n ? n.name : id;
}

function navigateSelection(sel) {
  location.hash = hashFor("network", [], Object.assign({}, state.filters || {}, sel));
}

function highlight(nodeIds, edgeIds) {
  const box = $("#graph");
  box.classList.toggle("dim", Boolean(nodeIds));
  for (const g of box.querySelectorAll(".node")) {
    const id = g.getAttribute("data-node");
    g.classList.toggle("near", Boolean(nodeIds && nodeIds.has(id)));
    g.classList.toggle("selected", Boolean(nodeIds && state.selected === id));
  }
  for (const g of box.querySelectorAll(".edge")) {
    const id = g.getAttribute("data-edge");
    g.classList.toggle("near", Boolean(edgeIds && edgeIds.has(id)));
    g.classList.toggle("selected", Boolean(edgeIds && state.selected === id));
  }
}

async function selectNode(id) {
  const g = state.graph;
  const n = g.nodes.find(x => x.id === id);
  state.selected = id;
  const edges = g.edges.filter(e => e.source === id || e.target === id);
  highlight(new Set([id, ...edges.flatMap(e => [e.source, e.target])]), new Set(edges.map(e => e.id)));
  const side = clear($("#side"));
  side.append(el("h2", {}, n ? n.name : id),
    el("p", {class: "muted"}, n ? `${n.kind}${n.country ? " · " + n.country : ""} · ${n.count} events` : ""));
  const partners = edges.slice().sort((a, b) => b.count - a.count).slice(0, 8);
  if (partners.length) {
    side.append(el("h3", {}, "Pairs"), el("ul", {},
      partners.map(e => {
        const li = el("li", {}, el("a", {href: hashFor("network", [], Object.assign({}, state.filters, {edge: e.id}))},
          `${nameOf(e.source)} → ${nameOf(e.target)}`), ` ${e.count}`);
        return li;
      })));
  }
  const tl = el("div", {class: "timeline"});
  side.append(el("h3", {}, `As actor, per month`), tl);
  const events = el("div", {class: "side-events"});
  side.append(events);
  try {
    const [t, asActor, asRecipient] = await Promise.all([
      api("/api/timeline", Object.assign({actor: id, by: "month"}, state.filters)),
      api("/api/events", Object.assign({actor: id, limit: 20}, state.filters)),
      api("/api/events", Object.assign({recipient: id, limit: 20}, state.filters))]);
    if (state.selected !== id) return;
    drawTimeline(tl, t.items);
    events.append(el("h3", {}, `Events as actor (${asActor.total})`), eventTable(asActor.items, true),
      el("h3", {}, `Events as recipient (${asRecipient.total})`), eventTable(asRecipient.items, true),
      el("p", {}, el("a", {href: hashFor("events", [], Object.assign({}, state.filters, {actor: id}))},
        "All its events in the table →")));
  } catch (err) { failed(err); }
}

async function selectEdge(id) {
  const g = state.graph;
  const e = g.edges.find(x => x.id === id);
  if (!e) { showMessage(`The pair ${id} has no events under these filters.`, "info"); return; }
  state.selected = id;
  highlight(new Set([e.source, e.target]), new Set([id]));
  const side = clear($("#side"));
  side.append(el("h2", {"data-pair": id}, `${nameOf(e.source)} → ${nameOf(e.target)}`),
    el("p", {class: "muted"}, `${e.count} events · mean intensity ${fmt(e.mean_intensity)} · ` +
      (e.conflict === null ? "no quad class" : `${Math.round(100 * e.cooperation)}% cooperation, ` +
        `${Math.round(100 * e.conflict)}% conflict`)));
  const tl = el("div", {class: "timeline"});
  side.append(el("h3", {}, "Timeline"), tl);
  const events = el("div", {class: "side-events"});
  side.append(events);
  const pair = {actor: e.source, recipient: e.target};
  try {
    const [t, list] = await Promise.all([
      api("/api/timeline", Object.assign({by: "month"}, state.filters, pair)),
      api("/api/events", Object.assign({limit: 50}, state.filters, pair))]);
    if (state.selected !== id) return;
    drawTimeline(tl, t.items);
    events.append(el("h3", {}, `Events (${list.total})`), eventTable(list.items, true),
      el("p", {}, el("a", {href: hashFor("events", [], Object.assign({}, state.filters, pair))},
        "Open in the event table →")));
  } catch (err) { failed(err); }
}

/* ---------------------------------------------------------------- timeline chart */

/** Months without events as empty periods, so the x axis is time (YYYY-MM periods only). */
function fillMonths(items) {
  if (!items.length || !items.every(d => /^\d{4}-\d{2}$/.test(d.period))) return items;
  const have = new Map(items.map(d => [d.period, d]));
  let [y, m] = items[0].period.split("-").map(Number);
  const last = items[items.length - 1].period;
  const out = [];
  for (let guard = 0; guard < 1200; guard++) {
    const period = `${y}-${String(m).padStart(2, "0")}`;
    out.push(have.get(period) || {period, events: 0, verbal_cooperation: 0, material_cooperation: 0,
      verbal_conflict: 0, material_conflict: 0, mean_intensity: null});
    if (period === last) return out;
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return items;
}

function drawTimeline(container, rawItems) {
  clear(container);
  if (!rawItems.length) { container.append(el("p", {class: "muted"}, "No dated events.")); return; }
  const items = fillMonths(rawItems);
  const W = 560, H = 220, L = 34, R = 34, T = 10, B = 40;
  const chart = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "events per period",
    preserveAspectRatio: "none"});
  const maxN = Math.max(1, ...items.map(d => d.events));
  const band = (W - L - R) / items.length;
  const y = v => T + (H - T - B) * (1 - v / maxN);
  const yi = v => T + (H - T - B) * (1 - (v + 10) / 20);  // intensity -10..10
  const axis = svg("g", {class: "axis"});
  axis.append(svg("line", {x1: L, x2: W - R, y1: H - B, y2: H - B}));
  for (const v of [0, Math.ceil(maxN / 2), maxN]) {
    axis.append(svg("text", {x: L - 4, y: y(v) + 3, "text-anchor": "end"}, v));
  }
  for (const v of [-10, 0, 10]) {
    axis.append(svg("text", {x: W - R + 4, y: yi(v) + 3}, v > 0 ? "+" + v : v));
  }
  chart.append(axis, svg("line", {class: "zero", x1: L, x2: W - R, y1: yi(0), y2: yi(0)}));
  const every = Math.ceil(items.length / 10);
  items.forEach((d, i) => {
    const x = L + i * band + band * 0.12, w = Math.max(1, band * 0.76);
    let base = 0;
    for (const q of QUADS) {
      const v = d[q] || 0;
      if (!v) continue;
      chart.append(svg("rect", {class: "bar " + q, x, width: w, y: y(base + v), height: y(base) - y(base + v)},
        svg("title", {}, `${d.period}: ${v} ${QUAD_LABEL[q]}`)));
      base += v;
    }
    const other = d.events - base;
    if (other > 0) {
      chart.append(svg("rect", {class: "other", x, width: w, y: y(base + other), height: y(base) - y(base + other)},
        svg("title", {}, `${d.period}: ${other} without quad class`)));
    }
    if (i % every === 0) {
      chart.append(svg("text", {class: "axis", x: x + w / 2, y: H - B + 14, "text-anchor": "middle",
        "font-size": 10, fill: "#6a737d"}, d.period));
    }
  });
  const pts = items.map((d, i) => d.mean_intensity === null ? null : [L + (i + 0.5) * band, yi(d.mean_intensity)]);
  // the line breaks over months without events
  const path = pts.map((p, i) => p ? (i && pts[i - 1] ? "L" : "M") + p[0].toFixed(1) + "," + p[1].toFixed(1) : "")
    .filter(Boolean).join(" ");
  if (path) chart.append(svg("path", {class: "mean", d: path}));
  items.forEach((d, i) => {
    if (pts[i]) chart.append(svg("circle", {class: "mean-dot", cx: pts[i][0], cy: pts[i][1], r: 2.5},
      svg("title", {}, `${d.period}: mean intensity ${fmt(d.mean_intensity)} over ${d.events} events`)));
  });
  container.append(chart, el("div", {class: "legend-line"},
    el("span", {class: "swatch vcoop"}), " verbal coop. ", el("span", {class: "swatch mcoop"}), " material coop. ",
    el("span", {class: "swatch vconf"}), " verbal conflict ", el("span", {class: "swatch mconf"}),
    " material conflict ", el("span", {class: "swatch intensity"}), " mean intensity (right axis, −10…+10)"));
}

/* ---------------------------------------------------------------- event table */

function eventTable(items, compact) {
  const table = el("table", {class: "events"});
  const head = compact ? ["Date", "Type", "Actor → recipient", "Evidence"]
    : ["Date", "Type", "Actor", "Recipient", "Status", "Intensity", "Evidence", "Sources"];
  table.append(el("thead", {}, el("tr", {}, head.map(h => el("th", {}, h)))));
  const body = el("tbody");
  if (!items.length) body.append(el("tr", {}, el("td", {colspan: head.length, class: "muted"}, "No events.")));
  for (const e of items) {
    const type = el("span", {class: "tag " + (e.quad || "").replace(/ /g, "_")}, e.type);
    const status = e.status === "asserted" ? null : el("span", {class: "tag " + e.status}, e.status);
    const evidence = compact && e.evidence.length > 160 ? e.evidence.slice(0, 157) + "…" : e.evidence;
    const cells = compact
      ? [e.date || "—", [type, " ", status], `${names(e.actor_names)} → ${names(e.recipient_names)}`, evidence]
      : [e.date || "—", [type, e.mode ? " " + e.mode : ""], names(e.actor_names), names(e.recipient_names),
        e.status, fmt(e.intensity), evidence, e.sources];
    const tr = el("tr", {"data-event": e.id, tabindex: 0},
      cells.map((c, i) => el("td", {class: (!compact && i === 5) || (!compact && i === 7) ? "num"
        : (c === evidence ? "evidence" : null)}, c)));
    const open = () => { location.hash = hashFor("event", [String(e.id)], {}); };
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", ev => { if (ev.key === "Enter") open(); });
    body.append(tr);
  }
  table.append(body);
  return table;
}

async function showEvents(params) {
  const filters = pick(params, FILTER_KEYS);
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const table = $("#events-table");
  try {
    const res = await api("/api/events", Object.assign({limit: PAGE, offset}, filters));
    const fresh = eventTable(res.items, false);
    fresh.id = "events-table";
    table.replaceWith(fresh);
    const shown = res.count ? `${offset + 1}–${offset + res.count}` : "0";
    $("#page-info").textContent = `${shown} of ${res.total}`;
    $("#events-summary").textContent = Object.keys(filters).length
      ? "Filters: " + Object.entries(filters).map(([k, v]) => `${k} = ${v}`).join(", ") : "All events, by day.";
    const prev = $("#prev"), next = $("#next");
    prev.disabled = offset === 0;
    next.disabled = offset + res.count >= res.total;
    prev.onclick = () => { location.hash = hashFor("events", [], Object.assign({}, filters, {offset: Math.max(0, offset - PAGE) || ""})); };
    next.onclick = () => { location.hash = hashFor("events", [], Object.assign({}, filters, {offset: offset + PAGE})); };
  } catch (err) { failed(err); }
}

/* ---------------------------------------------------------------- highlighted article text */

/**
 * Render `text` into `container` with highlighted spans. `marks` are {start, end, cls, title}; they
 * may overlap: the text is cut at every mark boundary and each piece gets the classes of the marks
 * covering it. Every piece is a text node, so markup in the article is shown, never parsed.
 */
function renderMarked(container, text, marks) {
  clear(container);
  const valid = marks.filter(m => Number.isInteger(m.start) && Number.isInteger(m.end) &&
    m.start >= 0 && m.end <= text.length && m.start < m.end);
  const cuts = new Set([0, text.length]);
  for (const m of valid) { cuts.add(m.start); cuts.add(m.end); }
  const points = [...cuts].sort((a, b) => a - b);
  let first = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const covering = valid.filter(m => m.start <= s && m.end >= e);
    const piece = text.slice(s, e);
    if (!covering.length) { container.append(document.createTextNode(piece)); continue; }
    const classes = [...new Set(covering.map(m => m.cls))];
    const titles = [...new Set(covering.map(m => m.title).filter(Boolean))];
    const span = el("span", {class: classes.join(" "), title: titles.join("; ") || null}, piece);
    if (classes.includes("hl-evidence")) {
      span.setAttribute("data-evidence", "1");
      if (!first) first = span;
    }
    container.append(span);
  }
  return first;
}

function actorMarks(result, ids, cls, label) {
  const out = [];
  for (const a of result.actors || []) {
    if (!ids.includes(a.id)) continue;
    for (const m of a.mentions || []) out.push({start: m.start, end: m.end, cls, title: `${label}: ${a.name}`});
  }
  return out;
}

function eventMarks(result, ev) {
  const marks = [];
  if (ev.evidence) marks.push({start: ev.evidence.start, end: ev.evidence.end, cls: "hl-evidence",
    title: `evidence of ${ev.type}`});
  if (ev.trigger) marks.push({start: ev.trigger.start, end: ev.trigger.end, cls: "hl-trigger",
    title: `trigger: ${ev.type}${ev.mode ? " / " + ev.mode : ""}`});
  const within = m => !ev.evidence || (m.start >= ev.evidence.start && m.end <= ev.evidence.end);
  marks.push(...actorMarks(result, ev.actor || [], "hl-actor", "actor").filter(within));
  marks.push(...actorMarks(result, ev.recipient || [], "hl-recipient", "recipient").filter(within));
  return marks;
}

function quoteMarks(result) {
  const byId = new Map((result.actors || []).map(a => [a.id, a]));
  return (result.quotes || []).map(q => ({start: q.start, end: q.end, cls: "hl-quote",
    title: `quote (${q.kind}) — ${q.speaker && byId.get(q.speaker) ? byId.get(q.speaker).name : (q.speaker_text || "speaker unknown")}`}));
}

function highlightKey() {
  return el("div", {class: "key"}, "Key: ", el("span", {class: "hl-evidence"}, "evidence sentence"),
    el("span", {class: "hl-trigger"}, "trigger"), el("span", {class: "hl-actor"}, "actor"),
    el("span", {class: "hl-recipient"}, "recipient"), el("span", {class: "hl-quote"}, "quote"));
}

function quoteList(result) {
  const byId = new Map((result.actors || []).map(a => [a.id, a]));
  if (!(result.quotes || []).length) return el("p", {class: "muted"}, "No quotes.");
  return el("ul", {class: "quotes"}, result.quotes.map(q => el("li", {},
    el("strong", {}, q.speaker && byId.get(q.speaker) ? byId.get(q.speaker).name : (q.speaker_text || "unknown")),
    ` (${q.kind}${q.cue ? ", " + q.cue : ""}): “${q.text}”`)));
}

/* ---------------------------------------------------------------- event page */

async function showEvent(id) {
  const head = clear($("#event-head")), list = clear($("#event-mentions"));
  let d;
  try { d = await api("/api/events/" + encodeURIComponent(id)); } catch (err) { failed(err); return; }
  const e = d.event;
  head.append(el("h2", {}, el("span", {class: "tag " + (e.quad || "").replace(/ /g, "_")}, e.type),
    ` ${names(e.actor_names)} → ${names(e.recipient_names)}`),
  el("dl", {class: "facts"},
    el("dt", {}, "Mode"), el("dd", {}, e.mode || "—"),
    el("dt", {}, "Quad class"), el("dd", {}, e.quad || "—"),
    el("dt", {}, "Intensity"), el("dd", {}, fmt(e.intensity)),
    el("dt", {}, "CAMEO root"), el("dd", {}, e.cameo || "—"),
    el("dt", {}, "Status"), el("dd", {}, e.status),
    el("dt", {}, "Date"), el("dd", {}, e.date ? `${e.date} (${e.date_precision})` : "unknown"),
    el("dt", {}, "Where"), el("dd", {}, placeText(e.location)),
    el("dt", {}, "Countries"), el("dd", {}, `${names(e.actor_countries)} → ${names(e.recipient_countries)}`),
    el("dt", {}, "Reported"), el("dd", {}, `${e.mentions} mention(s) in ${e.articles} article(s) from ${e.sources} source(s)`)));
  for (const m of d.mentions.slice(0, 10)) {
    const box = el("article", {class: "mention", "data-article": m.article});
    const text = el("div", {class: "article-text"}, "Loading the article…");
    box.append(el("header", {}, el("h3", {}, m.article_title || m.article),
      el("div", {class: "muted"}, [m.source || "unknown source", " · ", m.published || "undated", " · ",
        m.url ? safeLink(m.url) : "no URL", ` · sentence ${m.sentence + 1} · status ${m.status}`])),
    highlightKey(), text);
    const quotes = el("div", {class: "key"});
    box.append(quotes);
    list.append(box);
    try {
      const result = await api("/api/articles/" + encodeURIComponent(m.article));
      const ev = (result.events || []).find(x => x.id === m.event) || {evidence: null};
      const first = renderMarked(text, result.text, [...quoteMarks(result), ...eventMarks(result, ev)]);
      quotes.append(el("strong", {}, "Quotes in this article"), quoteList(result));
      if (first && list.firstChild === box) first.scrollIntoView({block: "center"});
    } catch (err) {
      text.textContent = "The article could not be loaded: " + err.message;
    }
  }
  if (d.mentions.length > 10) list.append(el("p", {class: "muted"}, `${d.mentions.length - 10} more mentions not shown.`));
  head.setAttribute("data-ready", "1");
}

/* ---------------------------------------------------------------- paste an article */

function showExtractResult(result) {
  const out = clear($("#extract-result"));
  const byId = new Map((result.actors || []).map(a => [a.id, a]));
  const nameList = ids => (ids || []).map(i => (byId.get(i) || {name: i}).name).join(", ") || "—";
  const text = el("div", {class: "article-text", id: "extract-text-view"});
  const table = el("table", {class: "events", id: "extract-events"});
  table.append(el("thead", {}, el("tr", {}, ["Type", "Actor → recipient", "Status", "Date", "Intensity", "Evidence"]
    .map(h => el("th", {}, h)))));
  const body = el("tbody");
  const select = (ev, tr) => {
    for (const r of body.querySelectorAll("tr")) r.classList.remove("current");
    if (tr) tr.classList.add("current");
    const first = renderMarked(text, result.text, [...quoteMarks(result), ...(ev ? eventMarks(result, ev) : [])]);
    if (first) first.scrollIntoView({block: "nearest"});
  };
  for (const ev of result.events || []) {
    const tr = el("tr", {"data-local-event": ev.id},
      el("td", {}, el("span", {class: "tag " + (ev.quad || "").replace(/ /g, "_")}, ev.type)),
      el("td", {}, `${nameList(ev.actor)} → ${nameList(ev.recipient)}`), el("td", {}, ev.status),
      el("td", {}, ev.date || "—"), el("td", {class: "num"}, fmt(ev.intensity)),
      el("td", {class: "evidence"}, ev.evidence ? ev.evidence.text : ""));
    tr.addEventListener("click", () => select(ev, tr));
    body.append(tr);
  }
  if (!(result.events || []).length) body.append(el("tr", {}, el("td", {colspan: 6, class: "muted"}, "No events found.")));
  table.append(body);
  const warnings = (result.warnings || []).map(w => el("li", {class: "warn"}, typeof w === "string" ? w : JSON.stringify(w)));
  out.append(el("h3", {}, `${(result.events || []).length} events, ${(result.actors || []).length} actors, ` +
    `${(result.quotes || []).length} quotes`));
  if (warnings.length) out.append(el("ul", {}, warnings));
  out.append(el("p", {class: "muted"}, "Click an event to highlight its evidence, trigger, actor and recipient."),
    table, highlightKey(), text, el("h3", {}, "Quotes"), quoteList(result));
  select(null, null);
  out.setAttribute("data-ready", "1");
}

async function submitExtract(ev) {
  ev.preventDefault();
  const form = ev.target;
  const payload = {text: form.elements.text.value};
  if (form.elements.published.value) payload.published = form.elements.published.value;
  const button = form.querySelector("button");
  button.disabled = true;
  button.textContent = "Extracting…";
  showMessage("");
  try {
    const result = await api("/api/extract", null, {method: "POST", body: JSON.stringify(payload),
      headers: {"Content-Type": "application/json", "Accept": "application/json"}});
    showExtractResult(result);
  } catch (err) { failed(err); } finally {
    button.disabled = false;
    button.textContent = "Extract";
  }
}

/* ---------------------------------------------------------------- alerts */

const ALERT_KEYS = ["rule", "since", "until"];

function alertTable(items) {
  const table = el("table", {id: "alerts-table", class: "events alerts"});
  const head = ["Fired (UTC)", "Rule", "Event day", "Event", "Evidence", "Sources", "Links"];
  table.append(el("thead", {}, el("tr", {}, head.map(h => el("th", {}, h)))));
  const body = el("tbody");
  if (!items.length) body.append(el("tr", {}, el("td", {colspan: head.length, class: "muted"}, "No alerts.")));
  for (const a of items) {
    const type = el("span", {class: "tag " + (a.quad || "").replace(/ /g, "_")}, a.type || "?");
    const status = a.status && a.status !== "asserted" ? el("span", {class: "tag " + a.status}, a.status) : null;
    const links = [];
    if (a.event_id !== null && a.event_id !== undefined) {
      links.push(el("a", {href: hashFor("event", [String(a.event_id)], {}), "data-alert-event": a.event_id}, "event"));
    }
    if (a.url) links.push(safeLink(a.url, a.source || "article"));
    body.append(el("tr", {"data-alert": a.id},
      el("td", {}, (a.fired_at || "").replace("T", " ").replace("Z", "")),
      el("td", {}, el("strong", {}, a.rule), el("div", {class: "muted"}, a.kind + (a.level ? ` · again (${a.sources} sources)` : ""))),
      el("td", {}, a.date || "—"),
      el("td", {}, [type, " ", status, ` ${names(a.actor_names)} → ${names(a.recipient_names)}`]),
      el("td", {class: "evidence"}, a.evidence || "", el("div", {class: "reason"}, a.reason || "")),
      el("td", {class: "num"}, a.sources),
      el("td", {class: "links"}, links)));
  }
  table.append(body);
  return table;
}

async function showAlerts(params) {
  const filters = pick(params, ALERT_KEYS);
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const form = $("#alerts-filter");
  for (const k of ALERT_KEYS) form.elements[k].value = filters[k] || "";
  try {
    const res = await api("/api/alerts", Object.assign({limit: PAGE, offset}, filters));
    const select = form.elements.rule;
    clear(select).append(el("option", {value: ""}, "all rules"));
    for (const r of res.rules) select.append(el("option", {value: r.name}, `${r.name} (${r.kind}, ${r.alerts})`));
    select.value = filters.rule || "";
    $("#alerts-table").replaceWith(alertTable(res.items));
    const shown = res.count ? `${offset + 1}–${offset + res.count}` : "0";
    $("#alerts-page-info").textContent = `${shown} of ${res.total}`;
    $("#alerts-summary").textContent = res.rules.length
      ? `${res.rules.length} rule(s) have run on this store; newest alerts first.`
      : "No rule has run on this store yet: `dyads alerts run --rules rules.yaml` (or `dyads watch`) fills this list.";
    const prev = $("#alerts-prev"), next = $("#alerts-next");
    prev.disabled = offset === 0;
    next.disabled = offset + res.count >= res.total;
    prev.onclick = () => { location.hash = hashFor("alerts", [], Object.assign({}, filters, {offset: Math.max(0, offset - PAGE) || ""})); };
    next.onclick = () => { location.hash = hashFor("alerts", [], Object.assign({}, filters, {offset: offset + PAGE})); };
    $("#view-alerts").setAttribute("data-ready", "1");
  } catch (err) { failed(err); }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#alerts-filter").addEventListener("submit", ev => {
    ev.preventDefault();
    const form = ev.target, f = {};
    for (const k of ALERT_KEYS) if ((form.elements[k].value || "").trim()) f[k] = form.elements[k].value.trim();
    location.hash = hashFor("alerts", [], f);
  });
});

/* ---------------------------------------------------------------- wiring */

async function route() {
  const {view, args, params} = parseHash();
  const known = ["network", "events", "event", "extract", "alerts"];
  const v = known.includes(view) ? view : "network";
  showMessage("");
  document.body.className = "view-" + v;
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== "view-" + v;
  for (const a of document.querySelectorAll("[data-nav]")) {
    a.classList.toggle("active", a.getAttribute("data-nav") === v || (v === "event" && a.getAttribute("data-nav") === "events"));
  }
  if (v === "network" || v === "events") writeFilters(params);
  if (v === "network") {
    const key = JSON.stringify(pick(params, NETWORK_KEYS));
    if (state.graph && state.graphKey === key) {
      if (params.node) selectNode(params.node);
      else if (params.edge) selectEdge(params.edge);
      else { state.selected = null; highlight(null, null); clear($("#side")).append(networkSummary(state.graph)); }
    } else {
      state.graphKey = key;
      await showNetwork(params);
    }
  } else if (v === "events") await showEvents(params);
  else if (v === "event") await showEvent(args[0] || "");
  else if (v === "alerts") await showAlerts(params);
}

function init() {
  const typeSelect = $("#filters").elements.type;
  for (const t of TYPES) typeSelect.append(el("option", {value: t}, t));
  $("#filters").addEventListener("submit", ev => {
    ev.preventDefault();
    const {view} = parseHash();
    const f = readFilters();
    location.hash = view === "events" ? hashFor("events", [], f) : hashFor("network", [], pick(f, NETWORK_KEYS));
  });
  $("#reset").addEventListener("click", () => {
    writeFilters({});
    const {view} = parseHash();
    location.hash = hashFor(view === "events" ? "events" : "network", [], {});
  });
  $("#extract-form").addEventListener("submit", submitExtract);
  $("#graph").addEventListener("click", () => {
    if (state.dragged) { state.dragged = false; return; }  // the end of a pan is not a click
    if (state.selected) { state.selected = null; location.hash = hashFor("network", [], state.filters || {}); }
  });
  panZoom($("#graph"));
  window.addEventListener("hashchange", route);
  api("/api/stats").then(s => {
    $("#stats").textContent = `${s.articles} articles · ${s.events} events · ${s.actors} actors · ${s.quotes} quotes`;
  }).catch(() => {});
  route();
}

document.addEventListener("DOMContentLoaded", init);
