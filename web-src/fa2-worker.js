/* The ForceAtlas2 web worker (src/dyads/serve/web/vendor/fa2-worker.js), built by `make web`.
 * The message protocol of graphology-layout-forceatlas2's own worker (webworker.js): node and edge
 * matrices in, one iteration of the library's iterate.js, the node matrix back. */
import iterate from "graphology-layout-forceatlas2/iterate.js";

let NODES, EDGES;
self.addEventListener("message", event => {
  const data = event.data;
  NODES = new Float32Array(data.nodes);
  if (data.edges) EDGES = new Float32Array(data.edges);
  iterate(data.settings, NODES, EDGES);
  self.postMessage({nodes: NODES.buffer}, [NODES.buffer]);
});
