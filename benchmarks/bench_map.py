"""Map-search benchmark: the product beside its references, in one run (issue #15).

Usage:  make bench            (= .venv/bin/python benchmarks/bench_map.py $(BENCH_ARGS))
        BENCH_ARGS="--sizes 10000,200000,1000000 --reuse" for more sizes / an earlier database

Each size (default 200,000 listings, a few minutes on 2 cores) gets its own database
(``<name>_bench_<size>`` next to the one set-up chose; the demo data are untouched): migrate,
load the regions, generate that many synthetic listings (population-weighted points inside
Ningxia, ``demo_scale --listings``). Then, on that database, side by side:

* **the product**, ``GET /api/map/search/?near=…&sort=distance`` through ``mapsite.wsgi``
  (its fast path), under each HTTP server of ``--servers``: ``granian`` (2 workers × 4
  blocking threads, what ``make run`` serves with) and ``gunicorn`` (2 workers × 4 gthread
  threads, what it served with before);
* **the textbook reference**: the same search written with DRF, rest_framework_gis and
  django-filter over the same ``Listing`` model (``benchmarks/textbook_api.py``, mounted only
  by ``benchmarks.textbook_settings`` in its own gunicorn), checked to return the same
  listings in the same order;
* **the raw round trip**: the statement the API sends for that query, built for each point
  by the API's own code (``catalog.selectors.rows_statement``), executed from Python with
  psycopg 3 the way the API sends it (server-side binding, prepared once per connection,
  rows in binary: the API's own ``catalog.selectors.fetch_rows_on``);
* **pgbench** of that same statement, prepared as the API prepares it (``-M prepared``, 16
  clients, 2 threads, random points around the county seats as wrk uses): the database's own
  limit on this machine, which the issue's throughput target is judged against. For
  comparison with earlier runs, also pgbench in the simple protocol (parsed and planned per
  statement, as the API sent it until 2026-12-07).

Before/after in one run: ``--servers granian,granian@/tmp/before`` also serves the code
checked out in /tmp/before (``git worktree add /tmp/before <commit>``, with ``.venv`` and
``.state`` linked into it) under the same conditions.

Latency: medians over the same 400 random points near county seats; "alone" figures come
from a loop of their own, "alternating" from rounds that for each point run the raw
statement and then each API call, so the figures compared share the machine's conditions
(this shared 2-core VM drifts by ±30 % over minutes). Throughput: wrk (2 threads, 16
connections, ``benchmarks/near.lua``) and pgbench, one load at a time, ``--seconds`` each,
split into three rounds that take turns (so all share the machine's conditions).
CPU per request: while each load runs, the CPU time of the server's processes, of the
PostgreSQL backends serving it, of the load generator (wrk or pgbench itself) and of the whole
machine (everything, other users of the machine included), each divided by the requests
answered. Also: EXPLAIN ANALYZE execution time with and without index
scans, the clustered whole-Ningxia view, and a repeated public query answered from the
response cache (and with 304 to If-None-Match).

Figures go to stdout (with the issue's targets) and to ``artifacts/bench_map.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8765
WHOLE_NINGXIA = "104.2,35.2,107.7,39.4"
# A public query that repeats (the list panel's default view): served from the response cache.
REPEATED = "/api/map/search/?module=instrument&sort=popularity"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The targets (#15, item 1).
TARGET_TPS_SHARE = 0.50
TARGET_P50_RATIO = 2.5
# Growth (#15, item 7): search p50 at the largest size ÷ at 10⁶, and the clustered view's p95.
GROWTH_BASE = 1_000_000
TARGET_GROWTH_RATIO = 1.3
TARGET_CLUSTER_P95_MS = 100.0


def near_query(lng: float, lat: float) -> str:
    return f"near={lng:.6f},{lat:.6f}&sort=distance"


def django_ready() -> None:
    import django

    if not getattr(django_ready, "done", False):
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.settings")
        django.setup()
        django_ready.done = True


def api_statement(lng: float, lat: float) -> tuple[str, list]:
    """The statement ``/api/map/search/?near=…&sort=distance`` runs for this point, built
    by the API's own code (``catalog.selectors.rows_statement``): the "raw SQL" of every
    figure below is exactly the query the API sends, with the columns its popups need."""
    django_ready()
    from django.http import QueryDict

    from catalog.filters import MapSearchForm
    from catalog.selectors import rows_statement

    form = MapSearchForm(QueryDict(near_query(lng, lat)))
    assert form.is_valid(), form.errors
    sql, params = rows_statement(form.params)
    return sql, [str(v) if isinstance(v, str) else v for v in params]  # TextChoices → str


def bench_url(size: int) -> str:
    base = os.environ.get("DATABASE_URL") or (ROOT / ".state" / "database_url").read_text().strip()
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "ningxia"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{size}"))


def libpq_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(libpq_url(urlunsplit(parts._replace(path="/postgres"))), autocommit=True) as conn:
        # A fresh database each run: deleted rows from an earlier, larger run would leave
        # dead entries in the indexes and distort the small sizes.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(libpq_url(urlunsplit(parts._replace(path="/postgres"))), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def existing_listings(url: str) -> int | None:
    import psycopg

    try:
        conn = psycopg.connect(libpq_url(url), autocommit=True)
    except psycopg.OperationalError:
        return None  # no such database
    try:
        return conn.execute("SELECT count(*) FROM catalog_listing").fetchone()[0]
    except psycopg.Error:
        return None
    finally:
        conn.close()


def manage(env: dict, *args: str) -> str:
    out = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def seats() -> list[tuple[float, float]]:
    sys.path.insert(0, str(ROOT))
    from geodata.county_facts import COUNTY_FACTS

    return [(lng, lat) for _, lng, lat, _ in COUNTY_FACTS.values()]


def points(n: int, seed: int) -> list[tuple[float, float]]:
    """Query points where people are: around the county seats of Ningxia."""
    rng = random.Random(seed)
    return [(lng + rng.gauss(0, 0.05), lat + rng.gauss(0, 0.05)) for lng, lat in rng.choices(seats(), k=n)]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# --- CPU accounting -------------------------------------------------------------------------


def proc_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime of all the process's threads


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, frontier = {pid}, [pid]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, [])]
        found.update(frontier)
    return found


def load_generator_pids() -> set[int]:
    """This benchmark's wrk or pgbench process (children of this process by those names)."""
    found = set()
    for pid in descendants(os.getpid()) - {os.getpid()}:
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() in ("wrk", "pgbench"):
                found.add(pid)
        except OSError:
            continue
    return found


def machine_busy_ticks() -> int:
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + irq + softirq + steal


class CpuMeter:
    """CPU time of groups of processes while a load runs, sampled every 0.2 s so processes
    that end before the load does (pgbench's backends) still count (minus < 0.2 s each)."""

    def __init__(self, groups: dict[str, callable]):
        self.groups = groups  # name → function returning the group's current pids
        self.first: dict[tuple[str, int], int] = {}
        self.last: dict[tuple[str, int], int] = {}
        self.stop = threading.Event()

    def _sample(self) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                ticks = proc_ticks(pid)
                if ticks is not None:
                    self.first.setdefault((name, pid), ticks)
                    self.last[(name, pid)] = ticks

    def __enter__(self):
        self._sample()
        self.machine0 = machine_busy_ticks()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def _loop(self) -> None:
        while not self.stop.wait(0.2):
            self._sample()

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        self.machine = machine_busy_ticks() - self.machine0

    def ms(self, name: str) -> float:
        ticks = sum(self.last[key] - self.first[key] for key in self.last if key[0] == name)
        return ticks * 1000 / CLK_TCK

    def per_request(self, requests: int) -> dict:
        out = {f"{name}_cpu_ms_per_req": round(self.ms(name) / requests, 3) for name in self.groups}
        out["machine_cpu_ms_per_req"] = round(self.machine * 1000 / CLK_TCK / requests, 3)
        return out


# --- The database side ----------------------------------------------------------------------


class Db:
    """psycopg 3 with client-side binding, as Django's connections use it; the search
    statement itself is sent as the API sends it (``round_trip_ms``)."""

    def __init__(self, url: str):
        import psycopg

        self.url = url
        self.conn = psycopg.connect(libpq_url(url), autocommit=True, cursor_factory=psycopg.ClientCursor)
        self.conn.prepare_threshold = None  # as Django leaves it: only explicit prepare=True prepares
        self.pid = self.conn.info.backend_pid

    def explain_ms(self, statement: tuple[str, list], *, index: bool = True) -> float:
        sql, params = statement
        with self.conn.cursor() as cur:
            if not index:
                cur.execute("SET enable_indexscan = off; SET enable_bitmapscan = off")
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cur.fetchone()[0][0]
            if not index:
                cur.execute("RESET enable_indexscan; RESET enable_bitmapscan")
        return plan["Execution Time"]

    def round_trip_ms(self, statement: tuple[str, list]) -> float:
        """The statement sent and its rows read exactly as the API does it (the API's own
        function on this connection: server-side binding, prepared once)."""
        from catalog.selectors import fetch_rows_on

        start = time.perf_counter()
        fetch_rows_on(self.conn, statement, prepare=True)
        return (time.perf_counter() - start) * 1000

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM catalog_listing").fetchone()[0]

    def backend_pids(self) -> set[int]:
        """Backends of this database other than the benchmark's own connection."""
        name = urlsplit(self.url).path.lstrip("/")
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        )
        return {pid for (pid,) in rows}


# --- HTTP servers ---------------------------------------------------------------------------

SERVERS = {
    # What `make run` serves with (README "Benchmarks" says why).
    "granian": lambda port: [
        str(ROOT / ".venv/bin/granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--blocking-threads",
        "4",
        "--no-ws",
        "--http",
        "1",
        "--log-level",
        "warning",
        "mapsite.wsgi:application",
    ],
    "gunicorn": lambda port: [
        str(ROOT / ".venv/bin/gunicorn"),
        "mapsite.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ],
    # The reference: the textbook DRF endpoint under the same gunicorn settings.
    "textbook": lambda port: [
        str(ROOT / ".venv/bin/gunicorn"),
        "benchmarks.textbook_wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ],
}


def server_command(kind: str, port: int) -> list[str]:
    """``SERVERS[kind]``, or a variant named ``<server>-<workers>x<threads>`` (e.g.
    ``granian-3x2``, ``gunicorn-2x8``) for trying other settings: ``--servers granian-3x2``.
    A suffix ``@DIR`` serves the code in DIR instead (see ``Server``)."""
    kind = kind.partition("@")[0]
    if kind in SERVERS:
        return SERVERS[kind](port)
    base, _, shape = kind.partition("-")
    workers, threads = shape.split("x")
    argv = SERVERS[base](port)
    for flag, value in (
        ("--workers", workers),
        ("-w", workers),
        ("--blocking-threads", threads),
        ("--threads", threads),
    ):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
    return argv


class Server:
    def __init__(self, kind: str, env: dict, port: int):
        self.kind = kind
        self.port = port
        # ``granian@/tmp/before``: the same server on another checkout of the code (e.g. a
        # `git worktree` of an earlier commit), for before/after figures in one run.
        code = kind.partition("@")[2] or ROOT
        self.proc = subprocess.Popen(server_command(kind, port), cwd=code, env=env)
        for _ in range(150):
            try:
                self.get("/api/map/search/?module=institution&page_size=1")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{kind} did not start")

    def get(self, path: str, *, retry: bool = True, headers: dict | None = None) -> tuple[int, bytes, float]:
        """One GET on a kept-alive connection; reconnects once if the server closed it."""
        conn = getattr(self, "_conn", None) or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self._conn = conn
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self._conn = None
            conn.close()
            if retry:
                return self.get(path, retry=False, headers=headers)
            raise
        self.last_headers = dict(response.getheaders())
        return response.status, body, (time.perf_counter() - start) * 1000

    def pids(self) -> set[int]:
        return descendants(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def feature_ids(body: bytes) -> list[tuple[str, int]]:
    """(kind, item id) of each feature, whichever serializer wrote it."""
    out = []
    for f in json.loads(body)["features"]:
        props = f["properties"]
        out.append((props["kind"], props.get("item_id", props.get("id"))))
    return out


# --- Latency --------------------------------------------------------------------------------


def measure(db: Db, servers: dict[str, Server], n_points: int = 400) -> dict:
    pts = points(n_points, seed=7)
    statements = [api_statement(lng, lat) for lng, lat in pts]
    urls = [f"/api/map/search/?{near_query(lng, lat)}" for lng, lat in pts]
    products = [kind for kind in servers if kind != "textbook"]
    for statement, url in zip(statements[:20], urls[:20], strict=True):  # warm caches and connections
        db.explain_ms(statement)
        for server in servers.values():
            server.get(url)
    r = {
        "explain": [db.explain_ms(st) for st in statements],
        "no_index": [db.explain_ms(st, index=False) for st in statements[:15]],
        "raw_alone": [db.round_trip_ms(st) for st in statements],
        "raw": [],
    }
    for kind in products:
        r[f"{kind}_alone"] = [servers[kind].get(url)[2] for url in urls]
        r[kind] = []
    for statement, url in zip(statements, urls, strict=True):  # the alternating rounds
        r["raw"].append(db.round_trip_ms(statement))
        for kind in products:
            status, body, ms = servers[kind].get(url)
            assert status == 200, body[:200]
            r[kind].append(ms)
    med = statistics.median
    out = {
        "knn_explain_ms_p50": round(med(r["explain"]), 3),
        "knn_no_index_ms_p50": round(med(r["no_index"]), 1),
        "index_speedup": round(med(r["no_index"]) / med(r["explain"])),
        "raw_ms_p50_alone": round(med(r["raw_alone"]), 3),
        "raw_ms_p50_alternating": round(med(r["raw"]), 3),
    }
    for kind in products:
        out[kind] = {
            "ms_p50_alone": round(med(r[f"{kind}_alone"]), 3),
            "ms_p50_alternating": round(med(r[kind]), 3),
            "ms_p95_alternating": round(pct(r[kind], 0.95), 3),
            "p50_over_raw_alternating": round(med(r[kind]) / med(r["raw"]), 2),
            "p50_over_raw_alone": round(med(r[f"{kind}_alone"]) / med(r["raw_alone"]), 2),
            "p50_over_explain": round(med(r[f"{kind}_alone"]) / med(r["explain"]), 2),
        }
    if "textbook" in servers:
        # Fewer points (≈ 100 ms each); the same listings in the same order as the product.
        main = servers[products[0]]
        same, times = 0, []
        for url in urls[:40]:
            status, body, ms = servers["textbook"].get(url)
            assert status == 200, body[:300]
            times.append(ms)
            same += feature_ids(body) == feature_ids(main.get(url)[1])
        out["textbook"] = {"ms_p50_alone": round(med(times), 3), "same_results": f"{same}/40"}
    main = servers[products[0]]
    cluster, features = [], 0
    west, south, east, north = (float(v) for v in WHOLE_NINGXIA.split(","))
    for i in range(40):  # each view a little different: answers computed, not cached
        bbox = f"{west - i * 0.001:.3f},{south},{east},{north}"
        status, body, ms = main.get(f"/api/map/search/?bbox={bbox}")
        assert status == 200, body[:200]
        cluster.append(ms)
        features = len(json.loads(body)["features"])
    out.update(
        cluster_ms_p50=round(med(cluster), 1), cluster_ms_p95=round(pct(cluster, 0.95), 1), cluster_features=features
    )
    # A repeated public query: the first answer fills each worker's cache, the rest are hits.
    hits = [main.get(REPEATED)[2] for _ in range(60)][10:]
    etag = main.last_headers.get("etag")
    not_modified = [main.get(REPEATED, headers={"If-None-Match": etag}) for _ in range(50)]
    assert all(status == 304 for status, _, _ in not_modified), "no 304 for a repeated view"
    out.update(
        repeated_cached_ms_p50=round(med(hits), 3),
        repeated_304_ms_p50=round(med([ms for _, _, ms in not_modified]), 3),
    )
    return out


# --- Throughput -----------------------------------------------------------------------------


def wrk(port: int, seconds: int) -> dict:
    script = ROOT / "benchmarks" / "near.lua"
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    return {
        "requests": requests,
        "per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "none",
        "latency_p50": p50.group(1) if p50 else "?",
    }


def pgbench_scripts(folder: Path, db: Db) -> list[str]:
    """One pgbench script per county seat (equal weights): the API's statement for a point
    drawn uniformly within ±0.1° of the seat, as near.lua draws wrk's."""
    import psycopg

    sentinel = (123.456789, 87.654321)
    sql, params = api_statement(*sentinel)
    literal = psycopg.ClientCursor(db.conn).mogrify(sql, params)
    literal = " ".join(literal.split())
    assert literal.count("123.456789") == 1 and literal.count("87.654321") == 1, literal
    literal = literal.replace("123.456789", ":lng").replace("87.654321", ":lat")
    args = []
    for i, (lng, lat) in enumerate(seats()):
        path = folder / f"seat{i}.sql"
        path.write_text(
            "\\set dx random(-100000, 100000)\n"
            "\\set dy random(-100000, 100000)\n"
            f"\\set lng {lng} + :dx / 1000000.0\n"
            f"\\set lat {lat} + :dy / 1000000.0\n"
            f"{literal};\n"
        )
        args += ["-f", f"{path}@1"]
    return args


def pgbench(url: str, seconds: int, scripts: list[str], mode: str = "prepared") -> dict:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    conn = ["-U", parts.username or "postgres"]
    if query.get("host") or parts.hostname:
        conn += ["-h", (query.get("host") or [parts.hostname])[0]]
    if parts.port:
        conn += ["-p", str(parts.port)]
    out = subprocess.run(
        ["pgbench", "-n", "-c16", "-j2", "-M", mode, f"-T{seconds}", *conn, *scripts, parts.path.lstrip("/")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        "requests": int(re.search(r"number of transactions actually processed: (\d+)", out).group(1)),
        "per_s": float(re.search(r"tps = ([\d.]+)", out).group(1)),
        "latency_avg": re.search(r"latency average = ([\d.]+ ms)", out).group(1),
    }


def load_runs(db: Db, servers: dict[str, Server], url: str, seconds: int, rounds: int = 3) -> dict:
    """Throughput and CPU per request of each server and of pgbench, in ``rounds`` rounds
    that each give every one of them ``seconds / rounds``: all share the machine's
    conditions (other work on a shared VM comes and goes over minutes)."""
    slice_s = max(2, round(seconds / rounds))
    totals: dict[str, dict] = {}

    def add(kind: str, run: dict, meter: CpuMeter) -> None:
        t = totals.setdefault(kind, {"requests": 0, "seconds": 0.0, "non_2xx": 0, "cpu": {}, "machine": 0})
        t["requests"] += run["requests"]
        t["seconds"] += run["seconds"]
        t["non_2xx"] += run.get("non_2xx", 0)
        for name in meter.groups:
            t["cpu"][name] = t["cpu"].get(name, 0.0) + meter.ms(name)
        t["machine"] += meter.machine

    with tempfile.TemporaryDirectory() as folder:
        scripts = pgbench_scripts(Path(folder), db)
        for server in servers.values():
            wrk(server.port, 2)  # warm every worker's connection and caches
        pgbench(url, 2, scripts)
        for _ in range(rounds):
            for kind, server in servers.items():
                groups = {"server": server.pids, "postgres": db.backend_pids, "client": load_generator_pids}
                with CpuMeter(groups) as meter:
                    run = wrk(server.port, slice_s)
                add(kind, {**run, "seconds": slice_s}, meter)
            # The reference (prepared, as the API sends it) and, for comparison with runs
            # before 2026-12-07, the simple protocol (the statement parsed and planned anew).
            for kind, mode in (("pgbench", "prepared"), ("pgbench-simple", "simple")):
                with CpuMeter({"postgres": db.backend_pids, "client": load_generator_pids}) as meter:
                    run = pgbench(url, slice_s, scripts, mode)
                add(kind, {**run, "seconds": slice_s}, meter)
    out = {}
    for kind, t in totals.items():
        n = t["requests"]
        out[kind] = {
            "requests": n,
            "per_s": round(n / t["seconds"], 1),
            "non_2xx": t["non_2xx"],
            **{f"{name}_cpu_ms_per_req": round(ms / n, 3) for name, ms in t["cpu"].items()},
            "machine_cpu_ms_per_req": round(t["machine"] * 1000 / CLK_TCK / n, 3),
        }
    # The raw round trip, one connection in a loop: this process and its backend.
    statements = [api_statement(lng, lat) for lng, lat in points(2000, seed=11)]
    me = os.getpid()
    with CpuMeter({"server": lambda: {me}, "postgres": lambda: {db.pid}}) as meter:
        started = time.perf_counter()
        for statement in statements:
            db.round_trip_ms(statement)
        elapsed = time.perf_counter() - started
    out["raw"] = {
        "requests": len(statements),
        "per_s": round(len(statements) / elapsed, 1),
        **meter.per_request(len(statements)),
    }
    return out


def prepare(size: int, *, reuse: bool = False) -> str:
    """A fresh database holding ``size`` synthetic listings (with ``reuse``, one left by an
    earlier run that holds exactly that many); returns its URL."""
    url = bench_url(size)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    if reuse and existing_listings(url) == size:
        manage(env, "migrate", "--noinput")
        print(f"-- {size:,} listings: reusing {urlsplit(url).path.lstrip('/')}")
        return url
    ensure_database(url)
    started = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "geodata_import_regions", "--commit")
    print(manage(env, "demo_scale", "--listings", str(size), "--commit"), flush=True)
    # Hint bits and the visibility map set now, not by autovacuum in the middle of a timing.
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) catalog_listing")
    print(f"-- {size:,} listings ready in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def storage(db: Db) -> dict:
    """The search table's size on disk: heap (with TOAST), indexes, and per listing."""
    heap, indexes, database = db.conn.execute(
        "SELECT pg_table_size('catalog_listing'), pg_indexes_size('catalog_listing'), "
        "pg_database_size(current_database())"
    ).fetchone()
    n = max(1, db.count())
    return {
        "table_bytes": heap,
        "index_bytes": indexes,
        "database_bytes": database,
        "bytes_per_listing": round((heap + indexes) / n),
    }


def growth_lines(results: list[dict], product: str) -> list[str]:
    """The growth verdicts of a run over several sizes (issue #15, item 7): the product's
    search p50 at the largest size ÷ at 1,000,000 (else, e.g. when 1,000,000 is the largest,
    ÷ at the smallest size), and the
    clustered whole-province view's p95 at each size."""
    by_size = sorted(results, key=lambda r: r["listings"])
    if len(by_size) < 2:
        return []
    top = by_size[-1]
    base = next((r for r in by_size[:-1] if r["listings"] == GROWTH_BASE), by_size[0])
    lines = []
    if top["listings"] > base["listings"]:
        ratio = top[product]["ms_p50_alone"] / base[product]["ms_p50_alone"]
        met = "met" if ratio <= TARGET_GROWTH_RATIO else "NOT met"
        lines.append(
            f"search p50 at {top['listings']:,} ÷ at {base['listings']:,} = {ratio:.2f}× "
            f"(target ≤ {TARGET_GROWTH_RATIO}×): {met} "
            f"({top[product]['ms_p50_alone']:.2f} / {base[product]['ms_p50_alone']:.2f} ms; "
            f"raw round trip {top['raw_ms_p50_alone'] / base['raw_ms_p50_alone']:.2f}×, "
            f"EXPLAIN exec {top['knn_explain_ms_p50'] / base['knn_explain_ms_p50']:.2f}×)"
        )
    worst = max(r["cluster_ms_p95"] for r in by_size)
    met = "met" if worst <= TARGET_CLUSTER_P95_MS else "NOT met"
    per_size = ", ".join(f"{r['listings']:,}: {r['cluster_ms_p95']:.1f} ms" for r in by_size)
    lines.append(f"clustered view p95 at each size (target ≤ {TARGET_CLUSTER_P95_MS:.0f} ms): {met} — {per_size}")
    return lines


# --- Report ---------------------------------------------------------------------------------


def report(size: int, listings: int, m: dict, load: dict) -> None:
    products = [k for k in load if k not in ("textbook", "pgbench", "pgbench-simple", "raw")]
    pg = load["pgbench"]["per_s"]
    print(f"\n### {listings:,} listings — nearest 20 to a point (`?near=…&sort=distance`)\n")
    print(
        "| what | p50 latency (alone) | p50 alternating (p95) | p50 ÷ raw round trip, alternating (alone) "
        "| throughput, 16 connections | ÷ pgbench "
        "| CPU per request: server / PostgreSQL / load generator / whole machine |"
    )
    print("|---|---|---|---|---|---|---|")

    def cpu(row: dict) -> str:
        def ms(name: str) -> str:
            value = row.get(f"{name}_cpu_ms_per_req")
            return "–" if value is None else f"{value:.2f}"

        return f"{ms('server')} / {ms('postgres')} / {ms('client')} / {ms('machine')} ms"

    for kind in products:
        lat, run = m[kind], load[kind]
        print(
            f"| product on {kind} | {lat['ms_p50_alone']:.2f} ms | {lat['ms_p50_alternating']:.2f} ms "
            f"({lat['ms_p95_alternating']:.2f}) | {lat['p50_over_raw_alternating']:.2f}× "
            f"({lat['p50_over_raw_alone']:.2f}×) "
            f"| {run['per_s']:,.0f} req/s ({run['non_2xx']} non-2xx) | {run['per_s'] / pg:.0%} | {cpu(run)} |"
        )
    if "textbook" in load:
        lat, run = m["textbook"], load["textbook"]
        print(
            f"| textbook DRF + rest_framework_gis + django-filter (same results: {lat['same_results']}) "
            f"| {lat['ms_p50_alone']:.1f} ms | – | {lat['ms_p50_alone'] / m['raw_ms_p50_alone']:.0f}× (alone) "
            f"| {run['per_s']:,.1f} req/s ({run['non_2xx']} non-2xx) | {run['per_s'] / pg:.1%} | {cpu(run)} |"
        )
    raw = load["raw"]
    print(
        f"| raw round trip (psycopg 3, one connection) | {m['raw_ms_p50_alone']:.3f} ms "
        f"| {m['raw_ms_p50_alternating']:.3f} ms "
        f"| 1× | {raw['per_s']:,.0f} /s (1 connection) | – | {cpu(raw)} (server: the Python client) |"
    )
    run = load["pgbench"]
    print(f"| pgbench, same statement prepared, 16 clients | – | – | – | {run['per_s']:,.0f} tps | 100% | {cpu(run)} |")
    run = load["pgbench-simple"]
    print(
        f"| pgbench, simple protocol (the reference before 2026-12-07) | – | – | – | {run['per_s']:,.0f} tps "
        f"| {run['per_s'] / pg:.0%} | {cpu(run)} |"
    )
    print(
        f"\nKNN exec p50 (EXPLAIN ANALYZE) {m['knn_explain_ms_p50']} ms; index scans off "
        f"{m['knn_no_index_ms_p50']} ms ({m['index_speedup']}×). Clustered whole-Ningxia view, 40 distinct views "
        f"(cache misses) p50 / p95 {m['cluster_ms_p50']} / {m['cluster_ms_p95']} ms "
        f"({m['cluster_features']} features). Repeated public query ({REPEATED}) from the response cache: "
        f"p50 {m['repeated_cached_ms_p50']} ms; with If-None-Match: 304 in p50 {m['repeated_304_ms_p50']} ms."
    )
    best = products[0]  # the server `make run` uses
    print(f"\nAgainst the targets of issue #15 (product on {best}, as `make run` serves it):\n")
    print("| figure | target | this run |")
    print("|---|---|---|")
    share = load[best]["per_s"] / pg
    ratio = m[best]["p50_over_raw_alternating"]
    verdict = {True: "met", False: "NOT met"}
    print(f"| throughput ÷ pgbench tps | ≥ {TARGET_TPS_SHARE:.0%} | {share:.0%} {verdict[share >= TARGET_TPS_SHARE]} |")
    simple = load[best]["per_s"] / load["pgbench-simple"]["per_s"]
    print(f"| (÷ pgbench in simple protocol, the reference before 2026-12-07) | – | {simple:.0%} |")
    print(
        f"| API p50 ÷ raw round trip (alternating) | ≤ {TARGET_P50_RATIO}× | {ratio:.2f}× "
        f"{verdict[ratio <= TARGET_P50_RATIO]} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200000", help="listing counts, comma-separated (default 200000)")
    parser.add_argument("--seconds", type=int, default=15, help="length of each throughput run")
    parser.add_argument(
        "--servers",
        default="granian,gunicorn",
        help="HTTP servers for the product; SERVER@DIR serves the code checked out in DIR (before/after runs)",
    )
    parser.add_argument("--no-textbook", action="store_true", help="leave out the DRF reference")
    parser.add_argument("--reuse", action="store_true", help="keep databases of an earlier run that have the size")
    parser.add_argument(
        "--growth",
        action="store_true",
        help="growth run (issue #15, item 7): the product on granian only, no gunicorn or DRF reference",
    )
    parser.add_argument("--drop", action="store_true", help="drop each size's database once it is measured")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.growth:
        args.servers, args.no_textbook = "granian", True
    kinds = [k for k in args.servers.split(",") if k]
    for tool in ("wrk", "pgbench"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed: run `make setup` (Debian packages wrk and postgresql-15).")
    if not args.no_textbook:
        kinds.append("textbook")

    results = []
    for size in sizes:
        url = prepare(size, reuse=args.reuse)
        db = Db(url)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
        servers: dict[str, Server] = {}
        try:
            for i, kind in enumerate(kinds):
                servers[kind] = Server(kind, env, PORT + i)
            m = measure(db, servers)
            load = load_runs(db, servers, url, args.seconds)
        finally:
            for server in servers.values():
                server.stop()
        listings = db.count()
        disk = storage(db)
        db.conn.close()
        report(size, listings, m, load)
        print(
            f"\nOn disk: table {disk['table_bytes'] / 2**30:.2f} GiB + indexes {disk['index_bytes'] / 2**30:.2f} GiB "
            f"= {disk['bytes_per_listing']:,} bytes per listing; database {disk['database_bytes'] / 2**30:.2f} GiB.",
            flush=True,
        )
        results.append(
            {
                "listings": listings,
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                **m,
                "load": load,
                **disk,
            }
        )
        if args.drop:
            drop_database(url)
    lines = growth_lines(results, kinds[0])
    if lines:
        print("\nGrowth (issue #15, item 7):\n")
        for line in lines:
            print(f"- {line}")
    out = ROOT / "artifacts" / "bench_map.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
