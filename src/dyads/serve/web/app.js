/* dyads dashboard: network of states and organisations, pair timelines, event table, event page
 * with highlighted evidence, and a paste-an-article box. Plain DOM and SVG, no CDN; the network is
 * drawn by sigma.js + graphology + ForceAtlas2 from /static/vendor/graph.js (bundled by `make web`).
 *
 * Safety rule: text from the store (article text, names, evidence, URLs) is untrusted. It only ever
 * reaches the page through textContent, text nodes or setAttribute on non-script attributes; this
 * file never assigns markup (no innerHTML, outerHTML, insertAdjacentHTML or document.write), and
 * links are made only for http(s) URLs. On the network's canvas, names are drawn with fillText.
 */
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const QUADS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];
const QUAD_LABEL = {verbal_cooperation: "verbal cooperation", material_cooperation: "material cooperation",
  verbal_conflict: "verbal conflict", material_conflict: "material conflict"};
const SHARED_KEYS = ["since", "until", "type", "status", "include_background"];
const EVENT_KEYS = [...SHARED_KEYS, "actor", "recipient", "text"];
const NETWORK_KEYS = [...SHARED_KEYS, "top", "min_events"];
const FILTER_KEYS = [...EVENT_KEYS, "top", "min_events"];  // every field of the filter form
const DEFAULTS = {top: "300"};  // what an empty field means; a default never goes into the address
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
    if (v && v !== DEFAULTS[k] && !(k === "min_events" && v === "1")) out[k] = v;
  }
  return out;
}

function writeFilters(params) {
  const form = $("#filters");
  for (const k of FILTER_KEYS) {
    const el = form.elements[k];
    if (el.type === "checkbox") el.checked = params[k] === el.value;
    else el.value = params[k] || DEFAULTS[k] || "";
  }
}

/* ---------------------------------------------------------------- network
 *
 * Drawn by sigma.js (WebGL) from a graphology graph, laid out by ForceAtlas2 in a web worker; all
 * three come from the vendored bundle /static/vendor/graph.js (global DyadsGraphLib, built by
 * `make web`). Names are drawn on the canvas (never parsed as markup); in the DOM they are text.
 */

const state = {graph: null, selected: null, hovered: null, renderer: null, layout: null, g: null};
const WORKER_URL = "/static/vendor/fa2-worker.js";
const GRAPH_EDGES = 5000;  // edges asked for (the API's most); `top` and `min_events` keep the node count readable

/** Conflict share 0 -> green, 0.5 -> grey, 1 -> red; `strength` below 1 mixes in white. Opaque on
 * purpose: sigma's WebGL canvas blends translucent colours brighter than they are (mint for green). */
function edgeColour(e, strength) {
  const mix = (a, b, t) => a + (b - a) * t;
  const g = [46, 125, 91], m = [138, 143, 152], r = [184, 64, 47];
  const c = e.conflict;
  const [from, to, t] = c === null || c === undefined ? [m, m, 0] : c < 0.5 ? [g, m, c * 2] : [m, r, (c - 0.5) * 2];
  const rgb = [0, 1, 2].map(i => Math.round(mix(255, mix(from[i], to[i], t), strength)));
  return `rgb(${rgb.join(",")})`;
}

function nodeColour(n) {
  if (n.kind === "state") return "#4f6d8f";
  if (n.kind === "organization") return "#8e6fb5";
  if (n.kind === "person") return "#5f8f6d";
  return "#9a7b4f";
}

function nodeLabel(n) {
  const label = n.kind === "state" && n.name.length > 20 ? n.id : n.name;
  return label.length > 28 ? label.slice(0, 27) + "…" : label;
}

function graphParams(filters) {
  const p = Object.assign({level: "state", limit: GRAPH_EDGES}, filters);
  if (!p.top) p.top = DEFAULTS.top;
  if (p.top === "all") delete p.top;
  return p;
}

/** The graphology graph of an /api/graph answer, placed on a sunflower spiral (busiest in the middle). */
function buildGraph(g) {
  const lib = window.DyadsGraphLib;
  const graph = new lib.Graph({type: "directed", multi: false});
  const maxCount = Math.max(1, ...g.nodes.map(n => n.count));
  const golden = Math.PI * (3 - Math.sqrt(5));
  g.nodes.forEach((n, i) => {  // nodes come busiest first
    const r = 10 * Math.sqrt(i + 0.5);
    graph.addNode(String(n.id), {x: r * Math.cos(i * golden), y: r * Math.sin(i * golden),
      size: 3 + 12 * Math.sqrt(n.count / maxCount), color: nodeColour(n), label: nodeLabel(n),
      name: n.name, kind: n.kind, count: n.count});
  });
  const pairs = new Set(g.edges.map(e => e.source + "\u0000" + e.target));
  const scale = Math.log(1 + Math.max(1, ...g.edges.map(e => e.count)));
  for (const e of g.edges) {
    const s = String(e.source), t = String(e.target);
    if (!graph.hasNode(s) || !graph.hasNode(t)) continue;
    const both = pairs.has(e.target + "\u0000" + e.source);
    const weight = Math.log(1 + e.count) / scale;  // 0..1: busy pairs thick and strong, single events faint
    graph.addDirectedEdgeWithKey(e.id, s, t, {size: 0.6 + 3.5 * weight, color: edgeColour(e, 0.3 + 0.5 * weight),
      solid: edgeColour(e, 1), type: both ? "curved" : "arrow", curvature: both ? 0.25 : 0, weight: e.count,
      count: e.count});
  }
  return graph;
}

/** What hovering or selecting lights up: a node and its neighbours, or a pair. Null: everything. */
function focusSet() {
  const graph = state.g;
  if (!graph) return null;
  const id = state.hovered || (state.selected && graph.hasNode(state.selected) ? state.selected : null);
  if (id) {
    return {nodes: new Set([id, ...graph.neighbors(id)]), edges: new Set(graph.edges(id)), centre: id};
  }
  if (state.selected && graph.hasEdge(state.selected)) {
    return {nodes: new Set(graph.extremities(state.selected)), edges: new Set([state.selected]), centre: null};
  }
  return null;
}

function reducers() {
  let focus = null;
  return {
    refresh() { focus = focusSet(); },
    node(id, data) {
      const out = Object.assign({}, data);
      if (focus && !focus.nodes.has(id)) {
        out.color = "#e6e9ed"; out.label = ""; out.zIndex = 0;
      } else if (focus) {
        out.zIndex = 2;
        out.forceLabel = true;  // a candidate whatever its size; placeLabels still keeps names apart
        if (id === focus.centre) out.mustLabel = true;
      }
      if (id === state.selected || id === state.hovered) { out.highlighted = true; out.mustLabel = true; }
      return out;
    },
    edge(id, data) {
      const out = Object.assign({}, data);
      if (focus && !focus.edges.has(id)) out.hidden = true;
      else if (focus) { out.color = data.solid; out.zIndex = 1; }
      if (id === state.selected) out.size = data.size + 2;
      return out;
    },
  };
}

/* Labels only where they fit. Sigma proposes candidates (its label grid: the biggest node of each
 * cell, none for circles drawn smaller than labelRenderedSizeThreshold); instead of drawing them at
 * once, collectLabel notes them, and after the frame drawLabels places them biggest first, leaving
 * out any whose box would overlap one already placed or run off the canvas. The hovered or selected
 * node's own name is always drawn. The placed boxes are what the SVG and PNG exports draw too. */
const labelCandidates = new WeakMap();  // labels canvas -> candidates of the frame being drawn

function collectLabel(ctx, data) {  // sigma's defaultDrawNodeLabel; data is in viewport pixels
  if (!data.label) return;
  if (!labelCandidates.has(ctx.canvas)) labelCandidates.set(ctx.canvas, []);
  labelCandidates.get(ctx.canvas).push(data);
}

function labelFont(settings) { return `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`; }

function placeLabels(renderer) {
  const canvas = renderer.getCanvases().labels, ctx = canvas.getContext("2d");
  const settings = renderer.getSettings(), size = settings.labelSize, {width, height} = renderer.getDimensions();
  const candidates = (labelCandidates.get(canvas) || []).sort((a, b) =>
    (b.mustLabel ? 1 : 0) - (a.mustLabel ? 1 : 0) || b.size - a.size || (a.key < b.key ? -1 : 1));
  labelCandidates.set(canvas, []);
  ctx.font = labelFont(settings);
  // circles bigger than a name's own are obstacles too: a small actor's name never runs across a hub
  const circles = [];
  const graph = renderer.getGraph();
  graph.forEachNode(id => {
    const d = renderer.getNodeDisplayData(id);
    const rad = d && !d.hidden ? renderer.scaleSize(d.size) : 0;
    if (rad >= 6) circles.push(Object.assign({key: id, r: rad}, renderer.framedGraphToViewport(d)));
  });
  const placed = [];
  for (const d of candidates) {
    const box = {key: d.key, label: d.label, x: d.x + d.size + 3, y: d.y - size * 0.8, w: ctx.measureText(d.label).width,
      h: size * 1.25, baseline: d.y + size / 3};
    const fits = box.x >= 0 && box.y >= 0 && box.x + box.w <= width && box.y + box.h <= height &&
      !placed.some(b => box.x < b.x + b.w + 2 && b.x < box.x + box.w + 2 && box.y < b.y + b.h && b.y < box.y + box.h) &&
      !circles.some(c => c.r > d.size + 0.5 && c.x + c.r > box.x && c.x - c.r < box.x + box.w &&
        c.y + c.r > box.y && c.y - c.r < box.y + box.h);
    if (fits || d.mustLabel) placed.push(box);
  }
  paintLabels(ctx, placed, settings);
  return placed;
}

function paintLabels(ctx, boxes, settings) {
  ctx.font = labelFont(settings);
  ctx.lineJoin = "round";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255,255,255,0.9)";  // a halo keeps a name readable over lines
  ctx.fillStyle = settings.labelColor.color || "#1f2328";
  for (const b of boxes) {
    ctx.strokeText(b.label, b.x, b.baseline);
    ctx.fillText(b.label, b.x, b.baseline);
  }
}

function refreshFocus() {
  if (!state.renderer) return;
  state.reduce.refresh();
  state.renderer.refresh({skipIndexation: true});
}

function killNetwork() {
  if (state.layout) state.layout.kill();
  if (state.renderer) state.renderer.kill();
  if (state.layoutTimer) clearTimeout(state.layoutTimer);
  state.layout = state.renderer = state.g = state.layoutTimer = null;
  state.hovered = null;
  state.labels = [];
}

async function showNetwork(params) {
  const filters = pick(params, NETWORK_KEYS);
  const box = $("#graph");
  box.removeAttribute("data-ready");
  killNetwork();
  let g;
  try { g = await api("/api/graph", graphParams(filters)); } catch (err) { failed(err); return; }
  state.graph = g;
  state.filters = filters;
  drawGraph(g);
  if (!g.edges.length) showMessage("No events between two different actors match these filters.", "info");
  if (params.node) selectNode(params.node);
  else if (params.edge) selectEdge(params.edge);
  else clear($("#side")).append(networkSummary(g));
}

function networkSummary(g) {
  const more = g.total_nodes > g.nodes.length ? ` (of ${g.total_nodes}: the top and min-events controls ` +
    "above choose which)" : "";
  return el("p", {class: "muted"}, `${g.nodes.length} states and organisations${more}, ${g.edges.length} ` +
    `directed pairs${g.truncated ? " (the largest shown)" : ""}. Hover a circle to see its neighbours; ` +
    "click it to see its events, or click a line to see that pair's timeline and events.");
}

function graphInfo(g) {
  return `${g.nodes.length} of ${g.total_nodes} actors · ${g.edges.length} of ${g.total_edges} pairs`;
}

function drawGraph(g) {
  const box = $("#graph");
  const lib = window.DyadsGraphLib;
  $("#graph-info").textContent = graphInfo(g);
  fillNodeList(g);
  if (!g.nodes.length) { box.setAttribute("data-ready", "1"); box.setAttribute("data-nodes", "0"); return; }
  if (!lib) { showMessage("The graph library /static/vendor/graph.js did not load; the list below the graph " +
    "still leads to every actor's events."); return; }
  const graph = buildGraph(g);
  state.g = graph;
  state.reduce = reducers();
  let renderer;
  try {
    renderer = new lib.Sigma(graph, box, {
      renderEdgeLabels: false, enableEdgeEvents: true, zIndex: true, minEdgeThickness: 0.8,
      defaultEdgeType: "arrow", edgeProgramClasses: {arrow: lib.EdgeArrowProgram, curved: lib.EdgeCurvedArrowProgram},
      // label candidates: the biggest node of each 60-pixel cell, none for tiny circles (see placeLabels)
      labelDensity: 1, labelGridCellSize: 60, labelRenderedSizeThreshold: 4, defaultDrawNodeLabel: collectLabel,
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", labelSize: 12, labelColor: {color: "#1f2328"},
      minCameraRatio: 0.02, maxCameraRatio: 4, stagePadding: 40,
      allowInvalidContainer: true,  // the box has no size while another view shows; route() redraws on return
      nodeReducer: (id, d) => state.reduce.node(id, d), edgeReducer: (id, d) => state.reduce.edge(id, d),
    });
  } catch (err) {
    showMessage("This browser cannot draw the network (it needs WebGL): " + err.message +
      ". The list below the graph still leads to every actor's events.");
    return;
  }
  state.renderer = renderer;
  box.setAttribute("data-nodes", String(graph.order));
  box.setAttribute("data-edges", String(graph.size));
  renderer.on("beforeRender", () => labelCandidates.set(renderer.getCanvases().labels, []));
  renderer.on("afterRender", () => {
    state.labels = placeLabels(renderer);
    box.setAttribute("data-labels", String(state.labels.length));
  });
  renderer.on("enterNode", ({node}) => { state.hovered = node; box.setAttribute("data-hovered", node);
    box.classList.add("pointing"); refreshFocus(); });
  renderer.on("leaveNode", () => { state.hovered = null; box.removeAttribute("data-hovered");
    box.classList.remove("pointing"); refreshFocus(); });
  renderer.on("enterEdge", ({edge}) => { box.setAttribute("data-hovered-edge", edge); box.classList.add("pointing"); });
  renderer.on("leaveEdge", () => { box.removeAttribute("data-hovered-edge"); box.classList.remove("pointing"); });
  renderer.on("clickNode", ({node}) => navigateSelection({node}));
  renderer.on("clickEdge", ({edge}) => navigateSelection({edge}));
  renderer.on("clickStage", () => {
    if (state.selected) { state.selected = null; location.hash = hashFor("network", [], state.filters || {}); }
  });
  runLayout(graph, box);
}

/** ForceAtlas2 in the worker for a time that grows with the graph, then the positions stay put. */
function runLayout(graph, box) {
  const lib = window.DyadsGraphLib;
  box.setAttribute("data-layout", "running");
  const done = () => {
    if (state.layout) state.layout.kill();
    state.layout = null;
    separate(graph);
    box.setAttribute("data-layout", "done");
    box.setAttribute("data-ready", "1");
  };
  if (graph.order < 3) { done(); return; }
  // From a hundred actors on, LinLog attraction with strong gravity: the busiest settle in the middle,
  // pairs that share partners close together, actors with one partner on the rim (compared on real
  // stories: the plain and the hub-dissuading variants left knots in the middle with the labels piled
  // up in them). Smaller networks keep FA2's plain forces, which keep separate groups apart.
  const big = graph.order > 100;
  const settings = Object.assign(lib.inferSettings(graph), {linLogMode: big, gravity: big ? 1 : 0.5, scalingRatio: 8,
    outboundAttractionDistribution: !big, adjustSizes: graph.order <= 300, barnesHutOptimize: graph.order > 300,
    edgeWeightInfluence: 0.5, slowDown: 2});
  try {
    state.layout = lib.createLayout(graph, WORKER_URL, {settings, getEdgeWeight: "weight"});
    state.layout.start();
  } catch (err) {
    showMessage("The layout could not start: " + err.message);
    done();
    return;
  }
  state.layoutTimer = setTimeout(done, Math.min(6000, 1200 + 8 * graph.order));
}

/** After ForceAtlas2: push apart circles that overlap on screen at the whole-graph view (ratio 1,
 * whatever the camera shows now), in pixels, with graphology-layout-noverlap; the rim of actors
 * with one partner otherwise piles up. */
function separate(graph) {
  const r = state.renderer;
  if (!r || graph.order < 2) return;
  r.refresh();  // the frame (bounding box) of the positions as they are now
  const whole = {cameraState: {x: 0.5, y: 0.5, ratio: 1, angle: 0}};
  window.DyadsGraphLib.noverlap.assign(graph, {maxIterations: 60, settings: {margin: 2, ratio: 1, speed: 2},
    inputReducer: (key, attr) => Object.assign(r.graphToViewport(attr, whole), {size: r.scaleSize(attr.size, 1)}),
    outputReducer: (key, pos) => r.viewportToGraph(pos, whole)});
}

function fillNodeList(g) {
  const list = clear($("#graph-nodes"));
  const names = clear($("#graph-names"));
  $("#graph-list-count").textContent = String(g.nodes.length);
  for (const n of g.nodes) {
    const b = el("button", {type: "button", class: "linklike", "data-node": n.id}, n.name);
    b.addEventListener("click", () => { focusNode(String(n.id)); navigateSelection({node: String(n.id)}); });
    list.append(el("li", {}, b, ` ${n.kind}${n.country ? " · " + n.country : ""} · ${n.count} events`));
    names.append(el("option", {value: n.name}));
  }
}

function findNode(q) {
  const g = state.graph;
  if (!g || !q) return null;
  const s = q.trim().toLowerCase();
  return g.nodes.find(n => n.name.toLowerCase() === s || String(n.id).toLowerCase() === s)
    || g.nodes.find(n => n.name.toLowerCase().startsWith(s))
    || g.nodes.find(n => n.name.toLowerCase().includes(s)) || null;  // nodes are busiest first
}

/** Move the camera onto a node and zoom in far enough for its neighbours' labels to show. */
function focusNode(id) {
  const r = state.renderer;
  if (!r || !state.g || !state.g.hasNode(id)) return;
  const d = r.getNodeDisplayData(id);
  if (!d) return;
  const cam = r.getCamera();
  cam.animate({x: d.x, y: d.y, ratio: Math.min(cam.getState().ratio, 0.35)}, {duration: 400});
}

function searchNode(ev) {
  ev.preventDefault();
  const q = $("#graph-search").value;
  const n = findNode(q);
  if (!n) {
    showMessage(`No actor matching “${q}” in this network of ${state.graph ? state.graph.nodes.length : 0}; ` +
      "raise “top” or lower “min events” to draw more of them.", "info");
    return;
  }
  showMessage("");
  focusNode(String(n.id));
  navigateSelection({node: String(n.id)});
}

/* ---------------------------------------------------------------- export */

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", {href: url, download: name, hidden: true});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportPng() {
  if (!state.renderer) return;
  const labels = state.labels || [];
  // the copy sigma renders for the image draws no names of its own: the ones on screen are painted on it
  const blob = await window.DyadsGraphLib.toBlob(state.renderer, {format: "png", backgroundColor: "#ffffff",
    withTempRenderer: tmp => paintLabels(tmp.getCanvases().labels.getContext("2d"), labels, tmp.getSettings())});
  download(blob, "dyads-network.png");
}

/** "rgba(r,g,b,a)" as ["rgb(r,g,b)", "a"]: opacity as its own attribute, which every SVG reader knows. */
function svgColour(c) {
  const m = /^rgba\((\d+),(\d+),(\d+),([\d.]+)\)$/.exec(String(c).replace(/\s+/g, ""));
  return m ? [`rgb(${m[1]},${m[2]},${m[3]})`, m[4]] : [c, "1"];
}

/** The view as SVG: the nodes and lines on screen, the labels sigma shows, names as text nodes. */
function exportSvg() {
  const r = state.renderer, graph = state.g;
  if (!r || !graph) return;
  const {width, height} = r.getDimensions();
  const root = svg("svg", {xmlns: SVGNS, width, height, viewBox: `0 0 ${width} ${height}`,
    "font-family": "system-ui, sans-serif", "font-size": 12});
  root.append(svg("rect", {width, height, fill: "#ffffff"}));
  const pos = new Map();
  graph.forEachNode(id => {
    const d = r.getNodeDisplayData(id);
    if (!d || d.hidden) return;
    const p = r.framedGraphToViewport(d);
    pos.set(id, {x: p.x, y: p.y, r: r.scaleSize(d.size), d});
  });
  const inside = p => p.x > -50 && p.y > -50 && p.x < width + 50 && p.y < height + 50;
  const edges = svg("g", {class: "edges", fill: "none"});
  graph.forEachEdge((id, attrs, s, t) => {
    const d = r.getEdgeDisplayData(id), a = pos.get(s), b = pos.get(t);
    if (!d || d.hidden || !a || !b || (!inside(a) && !inside(b))) return;
    const dx = b.x - a.x, dy = b.y - a.y;
    const c = attrs.curvature || 0;
    const cx = (a.x + b.x) / 2 + dy * c, cy = (a.y + b.y) / 2 - dx * c;
    const w = Math.max(0.5, 0.6 * r.scaleSize(d.size));  // sigma's width, less what its antialiasing eats
    // the arrow head sits where the line meets the target's circle, as long as sigma draws it
    const [ex, ey] = c ? [b.x - cx, b.y - cy] : [dx, dy];
    const el_ = Math.hypot(ex, ey) || 1, ux = ex / el_, uy = ey / el_;
    const tipX = b.x - ux * b.r, tipY = b.y - uy * b.r, head = 2.5 * w + 1, half = w + 0.5;
    const [colour, opacity] = svgColour(d.color);
    const f = v => v.toFixed(1);
    const g = svg("g", {"data-edge": id, fill: colour, stroke: colour, "fill-opacity": opacity, "stroke-opacity": opacity},
      svg("title", {}, `${graph.getNodeAttribute(s, "name")} → ${graph.getNodeAttribute(t, "name")}: ${attrs.count} events`),
      svg("path", {fill: "none", "stroke-width": w.toFixed(2), d: c
        ? `M${f(a.x)},${f(a.y)} Q${f(cx)},${f(cy)} ${f(tipX - ux * head)},${f(tipY - uy * head)}`
        : `M${f(a.x)},${f(a.y)} L${f(tipX - ux * head)},${f(tipY - uy * head)}`}),
      svg("polygon", {stroke: "none", points: [[tipX, tipY], [tipX - ux * head - uy * half, tipY - uy * head + ux * half],
        [tipX - ux * head + uy * half, tipY - uy * head - ux * half]].map(q => q.map(f).join(",")).join(" ")}));
    edges.append(g);
  });
  const nodes = svg("g", {class: "nodes", stroke: "#ffffff", "stroke-width": 1});
  const labels = svg("g", {class: "labels", fill: "#1f2328", stroke: "#ffffff", "stroke-width": 3,
    "paint-order": "stroke", "stroke-linejoin": "round"});
  for (const [id, p] of pos) {
    if (!inside(p)) continue;
    nodes.append(svg("circle", {"data-node": id, cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1), fill: p.d.color},
      svg("title", {}, `${graph.getNodeAttribute(id, "name")}: ${graph.getNodeAttribute(id, "count")} events`)));
  }
  for (const b of state.labels || []) {  // the names on screen, where they are on screen
    labels.append(svg("text", {"data-node": b.key, x: b.x.toFixed(1), y: b.baseline.toFixed(1)}, b.label));
  }
  root.append(edges, nodes, labels);
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  download(new Blob([text], {type: "image/svg+xml"}), "dyads-network.svg");
}

/** For tests and scripts: where things are on screen (page pixels) and what is lit or labelled. */
window.dyadsNetwork = Object.freeze({
  nodes: () => (state.g ? state.g.nodes() : []),
  position(id) {
    const r = state.renderer;
    if (!r || !state.g || !state.g.hasNode(id)) return null;
    const d = r.getNodeDisplayData(id), p = r.framedGraphToViewport(d), box = $("#graph").getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y, r: r.scaleSize(d.size)};
  },
  edgePoint(id) {  // the middle of the drawn line or curve
    const r = state.renderer;
    if (!r || !state.g || !state.g.hasEdge(id)) return null;
    const [s, t] = state.g.extremities(id).map(n => this.position(n));
    const c = state.g.getEdgeAttribute(id, "curvature") || 0, dx = t.x - s.x, dy = t.y - s.y;
    return {x: (s.x + t.x) / 2 + 0.5 * dy * c, y: (s.y + t.y) / 2 - 0.5 * dx * c};
  },
  labels: () => (state.labels || []).map(b => ({key: b.key, label: b.label, x: b.x, y: b.y, w: b.w, h: b.h})),
  camera: () => (state.renderer ? Object.assign({}, state.renderer.getCamera().getState()) : null),
  lit() {  // nodes drawn in colour (not dimmed) under the current hover or selection
    const f = focusSet();
    return state.g ? state.g.nodes().filter(id => !f || f.nodes.has(id)) : [];
  },
});

function nameOf(id) {
  const n = state.graph && state.graph.nodes.find(x => String(x.id) === String(id));
  return n ? n.name : id;
}

function navigateSelection(sel) {
  location.hash = hashFor("network", [], Object.assign({}, state.filters || {}, sel));
}

function markSelected() {
  const box = $("#graph");
  if (state.selected) box.setAttribute("data-selected", state.selected); else box.removeAttribute("data-selected");
  for (const b of document.querySelectorAll("#graph-nodes [data-node]")) {
    b.classList.toggle("selected", b.getAttribute("data-node") === state.selected);
  }
  refreshFocus();
}

async function selectNode(id) {
  const g = state.graph;
  const n = g.nodes.find(x => String(x.id) === id);
  state.selected = id;
  markSelected();
  const edges = g.edges.filter(e => String(e.source) === id || String(e.target) === id);
  const f = pick(state.filters || {}, SHARED_KEYS);
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
      api("/api/timeline", Object.assign({actor: id, by: "month"}, f)),
      api("/api/events", Object.assign({actor: id, limit: 20}, f)),
      api("/api/events", Object.assign({recipient: id, limit: 20}, f))]);
    if (state.selected !== id) return;
    drawTimeline(tl, t.items);
    events.append(el("h3", {}, `Events as actor (${asActor.total})`), eventTable(asActor.items, true),
      el("h3", {}, `Events as recipient (${asRecipient.total})`), eventTable(asRecipient.items, true),
      el("p", {}, el("a", {href: hashFor("events", [], Object.assign({}, f, {actor: id}))},
        "All its events in the table →")));
  } catch (err) { failed(err); }
}

async function selectEdge(id) {
  const g = state.graph;
  const e = g.edges.find(x => x.id === id);
  if (!e) { showMessage(`The pair ${id} is not in this network under these filters.`, "info"); return; }
  state.selected = id;
  markSelected();
  const f = pick(state.filters || {}, SHARED_KEYS);
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
      api("/api/timeline", Object.assign({by: "month"}, f, pair)),
      api("/api/events", Object.assign({limit: 50}, f, pair))]);
    if (state.selected !== id) return;
    drawTimeline(tl, t.items);
    events.append(el("h3", {}, `Events (${list.total})`), eventTable(list.items, true),
      el("p", {}, el("a", {href: hashFor("events", [], Object.assign({}, f, pair))},
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
  const filters = pick(params, EVENT_KEYS);
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
      if (state.renderer) state.renderer.resize().refresh();  // its box had no size while another view showed
      if (params.node) selectNode(params.node);
      else if (params.edge) selectEdge(params.edge);
      else { state.selected = null; markSelected(); clear($("#side")).append(networkSummary(state.graph)); }
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
    location.hash = view === "events" ? hashFor("events", [], pick(f, EVENT_KEYS)) : hashFor("network", [], pick(f, NETWORK_KEYS));
  });
  $("#reset").addEventListener("click", () => {
    writeFilters({});
    const {view} = parseHash();
    location.hash = hashFor(view === "events" ? "events" : "network", [], {});
  });
  $("#extract-form").addEventListener("submit", submitExtract);
  $("#graph-find").addEventListener("submit", searchNode);
  $("#export-png").addEventListener("click", () => exportPng().catch(failed));
  $("#export-svg").addEventListener("click", () => { try { exportSvg(); } catch (err) { failed(err); } });
  $("#graph-fit").addEventListener("click", () => { if (state.renderer) state.renderer.getCamera().animatedReset({duration: 300}); });
  window.addEventListener("hashchange", route);
  api("/api/stats").then(s => {
    $("#stats").textContent = `${s.articles} articles · ${s.events} events · ${s.actors} actors · ${s.quotes} quotes`;
  }).catch(() => {});
  route();
}

document.addEventListener("DOMContentLoaded", init);
