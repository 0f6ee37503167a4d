/* Entry of the dashboard's vendored graph bundle (src/dyads/serve/web/vendor/graph.js), built by
 * `make web` (build.mjs). Everything the dashboard needs from npm, on one global: `DyadsGraphLib`.
 *
 * ForceAtlas2 runs in a web worker. The library's own supervisor builds its worker from a blob: URL,
 * which the dashboard's Content-Security-Policy (script-src 'self', no worker-src) refuses; this
 * supervisor is the library's, with only the worker's origin changed: the same iteration code,
 * shipped as its own same-origin file (vendor/fa2-worker.js, from fa2-worker.js here).
 */
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowProgram } from "sigma/rendering";
import { EdgeCurvedArrowProgram } from "@sigma/edge-curve";
import { toBlob } from "@sigma/export-image";
import FA2LayoutSupervisor from "graphology-layout-forceatlas2/worker";
import { inferSettings } from "graphology-layout-forceatlas2";
import noverlap from "graphology-layout-noverlap";

/** The FA2 supervisor with its worker loaded from `workerUrl` (same origin) instead of a blob: URL. */
function createLayout(graph, workerUrl, params) {
  class SameOriginFA2 extends FA2LayoutSupervisor {
    spawnWorker() {
      if (this.worker) this.worker.terminate();
      this.worker = new Worker(workerUrl);
      this.worker.addEventListener("message", this.handleMessage);
      if (this.running) {
        this.running = false;
        this.start();
      }
    }
  }
  return new SameOriginFA2(graph, params);
}

export { Graph, Sigma, EdgeArrowProgram, EdgeCurvedArrowProgram, toBlob, createLayout, inferSettings, noverlap };
