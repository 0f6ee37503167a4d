"""The wheel as a supported install path (`make dist`, then `pipx install dist/dyads-*.whl`).

Builds the wheel as `make dist` does (or takes dist/'s when it is up to date), checks that it
holds every file under src/dyads, installs it with its dependencies (versions held to
requirements.lock) into a new virtual environment without system site packages, and runs
`dyads extract`, `dyads ingest` and `dyads serve` from there: current directory outside the
checkout, the checkout on no import path, so models, data tables and web assets can only come
from the installed package, and with HTTP(S) pointed at a proxy that is not there, so they
cannot download anything either.

Slow: 2.5 to 3 minutes on 2 cores (building the wheel 10-40 s, none when dist/ has a fresh one
from `make dist`; the venv and `pip install` about 2 minutes, more when pip has to download the
dependencies; the commands about 30 s). One venv for the whole module.
"""
from __future__ import annotations

import importlib.util
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src"
PKG = SRC / "dyads"
DIST = ROOT / "dist"

ARTICLE = """\
Chile and Argentina signed a fisheries agreement in Santiago on Monday, the two foreign ministries said.

Chilean Foreign Minister Alberto van Klaveren said the accord would end years of disputes over the \
southern fishing grounds. "This is a good day for both our peoples," he told reporters.

Separately, Argentine coast guard vessels seized a Chinese trawler off Patagonia on Sunday, Argentina's \
security ministry said. China protested the seizure and demanded the crew's release.
"""
ARTICLE_2 = """\
Kenya and Ethiopia agreed on Thursday to open a new border crossing at Moyale, officials in Nairobi said.

Ethiopian Prime Minister Abiy Ahmed welcomed the decision and invited Kenyan President William Ruto \
to Addis Ababa next month.
"""
PUBLISHED = "2026-03-10"


# --------------------------------------------------------------------------- the wheel


def _skipped_on_purpose(rel: Path) -> bool:
    """Files under src/dyads that are not shipped: bytecode, and hidden files (editor and OS
    litter; the package-data glob does not match them)."""
    return (rel.suffix in (".pyc", ".pyo") or "__pycache__" in rel.parts
            or any(part.startswith(".") for part in rel.parts))


def expected_files() -> set[str]:
    """Every file under src/dyads the wheel must hold, as wheel paths (dyads/...): modules, models,
    data tables, web assets, whatever folder they are in."""
    return {p.relative_to(SRC).as_posix() for p in PKG.rglob("*")
            if p.is_file() and not _skipped_on_purpose(p.relative_to(SRC))}


def package_files(whl: Path) -> set[str]:
    """The wheel's files less its .dist-info metadata."""
    with zipfile.ZipFile(whl) as z:
        return {n for n in z.namelist() if not n.split("/")[0].endswith(".dist-info")}


def _version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def _fresh_dist_wheel() -> Path | None:
    """dist/'s wheel from `make dist` when it is newer than every source and holds the same files."""
    whl = DIST / f"dyads-{_version()}-py3-none-any.whl"
    if not whl.is_file():
        return None
    sources = [ROOT / "pyproject.toml", ROOT / "README.md"] + [SRC / f for f in expected_files()]
    if whl.stat().st_mtime <= max(p.stat().st_mtime for p in sources):
        return None
    return whl if package_files(whl) == expected_files() else None


def build_wheel(out: Path) -> Path:
    """Build from a copy of the project files, so the checkout gets no build/ or egg-info and no
    stale build/ output can slip in. With python-build (pinned in requirements.lock) when this
    interpreter has it, exactly as `make dist`: sdist, then the wheel from the sdist; else pip."""
    proj = out / "project"
    proj.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):  # what the build reads
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, proj / name)
    shutil.copytree(SRC, proj / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    dist = out / "dist"
    if importlib.util.find_spec("build") is not None:
        cmd = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(proj)]
    else:
        cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
               "--wheel-dir", str(dist), str(proj)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    wheels = sorted(dist.glob("dyads-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return _fresh_dist_wheel() or build_wheel(tmp_path_factory.mktemp("wheel-build"))


def test_wheel_holds_every_package_file(wheel):
    """Models, data tables, web assets, modules: all of src/dyads, and nothing else."""
    files = package_files(wheel)
    expected = expected_files()
    assert not expected - files, f"missing from the wheel: {sorted(expected - files)}"
    assert not files - expected, f"in the wheel but not under src/dyads: {sorted(files - expected)}"
    # the run-time files by kind, so an empty folder or a glob that matches nothing cannot pass
    for suffix in (".onnx", ".json", ".csv", ".html", ".js", ".css"):
        assert any(f.endswith(suffix) for f in files), suffix
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(f"dyads-{_version()}.dist-info/entry_points.txt").decode()
    assert "dyads = dyads.cli:main" in meta


# --------------------------------------------------------------------------- the clean venv


class Venv:
    def __init__(self, root: Path, work: Path, wheel: Path):
        self.root, self.work, self.wheel = root, work, wheel
        self.python = root / "bin" / "python"
        self.dyads = root / "bin" / "dyads"
        # nothing from this session's environment points at the checkout or another venv
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV",
                            "PYTHONSAFEPATH") and not k.startswith("DYADS_")}
        env["PATH"] = f"{root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONNOUSERSITE"] = "1"
        self.online_env = env  # for pip
        # for dyads: HTTP(S) through a proxy that is not there, so a download at run time fails
        dead = "http://127.0.0.1:9"
        self.env = {**env, "http_proxy": dead, "https_proxy": dead, "HTTP_PROXY": dead, "HTTPS_PROXY": dead,
                    "no_proxy": "", "NO_PROXY": "", "HF_HUB_OFFLINE": "1"}

    def run(self, *args: str | Path, timeout: float = 600, check: bool = True, online: bool = False, **kw):
        r = subprocess.run([str(a) for a in args], cwd=self.work, env=self.online_env if online else self.env,
                           capture_output=True, text=True, timeout=timeout, **kw)
        if check:
            assert r.returncode == 0, f"{args} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        return r


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Venv:
    base = tmp_path_factory.mktemp("wheel-venv")
    work = base / "work"  # the current directory of every command: outside the checkout
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)
    root = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    assert "include-system-site-packages = false" in (root / "pyvenv.cfg").read_text()
    v = Venv(root, work, wheel)
    # the wheel with the dependencies it declares; the lock only holds their versions (a constraint,
    # not a requirement), so a dependency missing from the wheel's metadata still fails here
    v.run(v.python, "-m", "pip", "install", "-q", "-c", ROOT / "requirements.lock", wheel, timeout=1800,
          online=True)
    return v


def test_installed_package_lives_in_the_venv(venv):
    probe = ("import json, sys, importlib.resources as r, dyads, dyads.detector as d, dyads.relclf as c, "
             "dyads.gazetteer as g; print(json.dumps({'file': dyads.__file__, 'detector': str(d.DEFAULT_PATH), "
             "'relclf': str(c.DEFAULT_PATH), 'data': str(g.DATA), 'resources': str(r.files('dyads')), "
             "'path': sys.path}))")
    info = json.loads(venv.run(venv.python, "-c", probe).stdout)
    site = (venv.root / "lib").resolve()
    for key in ("file", "detector", "relclf", "data", "resources"):
        p = Path(info[key]).resolve()
        assert p.is_relative_to(site), (key, p)
        assert not p.is_relative_to(ROOT), (key, p)
    assert not [p for p in info["path"] if p and Path(p).resolve().is_relative_to(ROOT)], info["path"]
    assert venv.run(venv.dyads, "--version").stdout.strip() == f"dyads {_version()}"


def _events(doc: dict) -> list[tuple]:
    """Each event as (type, actor names, recipient names, status, date, evidence)."""
    names = {a["id"]: a["name"] for a in doc["actors"]}
    return [(e["type"], tuple(names[i] for i in e["actor"]), tuple(names[i] for i in e["recipient"]),
             e["status"], e["date"], e["evidence"]["text"]) for e in doc["events"]]


def test_extract_from_the_wheel(venv):
    """The installed command finds the events the checkout finds, in an article written here."""
    import dyads

    (venv.work / "story.txt").write_text(ARTICLE)
    doc = json.loads(venv.run(venv.dyads, "extract", "story.txt", "--published", PUBLISHED,
                              "--source", "Harbour Wire", "--compact").stdout)
    got = _events(doc)
    assert any(t[1] == ("Chile",) and t[2] == ("Argentina",) for t in got), got
    assert any(t[1] == ("Argentina",) and t[2] == ("China",) for t in got), got
    assert {a["country"] for a in doc["actors"]} >= {"CHL", "ARG", "CHN"}
    assert got == _events(dyads.extract(ARTICLE, published=PUBLISHED, source="Harbour Wire").to_dict())


def test_extract_seed_from_the_wheel(venv, seed_result):
    """The seed article (read where it lies in ../shared; skipped when absent) gives the wheel the
    same events as the checkout."""
    from conftest import shared_or_skip

    result, gold = seed_result
    path = shared_or_skip("articles", "seed.txt")
    doc = json.loads(venv.run(venv.dyads, "extract", path, "--published", gold["published"],
                              "--source", gold["source"], "--compact").stdout)
    assert len(doc["events"]) >= 5
    assert _events(doc) == _events(result.to_dict())


@pytest.fixture(scope="module")
def store(venv) -> Path:
    folder = venv.work / "articles"
    folder.mkdir()
    (folder / "fisheries.txt").write_text(ARTICLE)
    (folder / "border.txt").write_text(ARTICLE_2)
    db = venv.work / "corpus.db"
    venv.run(venv.dyads, "ingest", "articles", "--db", "corpus.db", "--workers", "1", "--quiet")
    return db


def test_ingest_from_the_wheel(venv, store):
    stats = json.loads(venv.run(venv.dyads, "stats", "--db", store, "--format", "json").stdout)
    text = json.dumps(stats)
    assert store.is_file() and stats, stats
    assert re.search(r'"articles": 2\b', text), stats
    events = json.loads(venv.run(venv.dyads, "events", "--db", store, "--format", "json").stdout)
    assert events, events


def _get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.status, r.headers, r.read()  # names case-insensitive, as in HTTP


def test_serve_from_the_wheel(venv, store, wheel):
    """The dashboard, one of its assets (the wheel's bytes) and the API, from the installed package."""
    proc = subprocess.Popen([str(venv.dyads), "serve", "--db", str(store), "--port", "0", "--workers", "1"],
                            cwd=venv.work, env=venv.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    try:
        base, seen, deadline = None, [], time.monotonic() + 120
        while base is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            m = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
            base = m and m.group(1)
        assert base, f"dyads serve did not start: {''.join(seen)}"

        status, headers, page = _get(base + "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="(/[^"#]+\.(?:js|css|svg))"', page.decode())
        assert assets, page[:500]
        script = next(a for a in assets if a.endswith(".js"))
        status, headers, body = _get(base + script)
        assert status == 200 and "javascript" in headers["Content-Type"]
        with zipfile.ZipFile(wheel) as z:  # the very file the wheel ships, wherever its folder is
            shipped = [z.read(n) for n in z.namelist() if n.endswith("/" + script.rsplit("/", 1)[1])]
        assert body in shipped

        status, headers, body = _get(base + "/api/events")
        data = json.loads(body)
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert data["total"] > 0 and data["items"]
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C does: a clean stop
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0
