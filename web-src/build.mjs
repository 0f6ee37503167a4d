// `make web`: bundles the dashboard's graph libraries (installed by `npm ci` from package-lock.json)
// into src/dyads/serve/web/vendor/: graph.js (the libraries, one global DyadsGraphLib), fa2-worker.js
// (the ForceAtlas2 web worker, a same-origin file because the CSP refuses blob: workers) and
// THIRD_PARTY_LICENSES.txt (name, version, licence and licence text of every package inside them).
// The output depends only on the lock file and this script: no dates, no absolute paths.
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(HERE, "..", "src", "dyads", "serve", "web", "vendor");
mkdirSync(OUT, { recursive: true });

const common = {
  bundle: true, minify: true, legalComments: "none", target: ["es2020"], platform: "browser",
  metafile: true, write: false, logLevel: "warning", absWorkingDir: HERE,
};

/** The npm packages (name -> package dir) whose files went into a bundle, from esbuild's metafile. */
function packagesOf(metafile) {
  const found = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) found.set(m[1], join(HERE, "node_modules", m[1]));
  }
  return found;
}

function licenceText(dir) {
  const name = readdirSync(dir).find(f => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!name) throw new Error(`no licence file in ${relative(HERE, dir)}: refusing to ship it without one`);
  return readFileSync(join(dir, name), "utf8").trim();
}

const outputs = [
  { entry: "graph-lib.js", file: "graph.js", format: "iife", globalName: "DyadsGraphLib" },
  { entry: "fa2-worker.js", file: "fa2-worker.js", format: "iife" },
];
const packages = new Map();
const built = [];
for (const o of outputs) {
  const res = await build({ ...common, entryPoints: [o.entry], format: o.format, globalName: o.globalName });
  const pkgs = packagesOf(res.metafile);
  for (const [k, v] of pkgs) packages.set(k, v);
  const list = [...pkgs.keys()].sort().map(p => {
    const meta = JSON.parse(readFileSync(join(pkgs.get(p), "package.json"), "utf8"));
    return `${meta.name} ${meta.version} (${meta.license})`;
  });
  const banner = `/* dyads dashboard vendor bundle, built by \`make web\` (web-src/build.mjs) from web-src/package-lock.json.\n` +
    ` * Contains: ${list.join(", ")}.\n * Licences: THIRD_PARTY_LICENSES.txt beside this file. */\n`;
  built.push([o.file, banner + res.outputFiles[0].text]);
}

const notice = ["Third-party software in src/dyads/serve/web/vendor/ (graph.js, fa2-worker.js).",
  "Installed from the npm registry at build time by `make web` (web-src/package-lock.json) and bundled",
  "with esbuild; nothing is fetched at run time. Each package's licence follows.", ""];
for (const name of [...packages.keys()].sort()) {
  const dir = packages.get(name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const repo = typeof meta.repository === "string" ? meta.repository : (meta.repository || {}).url || "";
  notice.push("=".repeat(78), `${meta.name} ${meta.version} - ${meta.license}` + (repo ? ` - ${repo}` : ""),
    "=".repeat(78), "", licenceText(dir), "");
}
for (const [file, text] of built) writeFileSync(join(OUT, file), text);
writeFileSync(join(OUT, "THIRD_PARTY_LICENSES.txt"), notice.join("\n"));
for (const [file, text] of built) console.log(`vendor/${file}: ${text.length} bytes`);
console.log(`vendor/THIRD_PARTY_LICENSES.txt: ${packages.size} packages: ${[...packages.keys()].sort().join(", ")}`);
