"""Map-search benchmark: prints the figures the README quotes.

Usage:  make bench            (or: .venv/bin/python benchmarks/bench_map.py [--sizes 10000,200000,1000000])

Each size gets its own database (``<name>_bench_<size>`` next to the one set-up chose; the
demo data are untouched): migrate, load the regions, generate that many synthetic listings
(population-weighted points inside Ningxia, ``demo_scale --listings``), and start one
gunicorn per database (2 workers × 4 threads, as ``make run`` but with 2 workers).

The "raw SQL" is the statement the API itself sends for ``?near=…&sort=distance`` (the
nearest 20 instruments and services with the columns a popup needs), built by the API's own
code for each point, so the comparison cannot drift from what the endpoint does. Measured:

* its execution time (EXPLAIN ANALYZE, warm), median over 400 random points near county seats;
* the same statement with index scans disabled, and the ratio;
* its round trip from Python (psycopg2), and ``/api/map/search/?near=…&sort=distance``
  through HTTP, each in a loop of its own ("alone": hot caches, the best case for each).
  API alone ÷ raw alone is the ratio the README judges the ≤ 5× target by;
* rounds over the same 400 points: for each point and each size, the raw round trip and the
  API call, one after the other. This shared 2-core VM drifts in speed by ±30 % over minutes;
  alternating puts the figures compared (API ÷ raw, API at 1M ÷ API at 10k) under the same
  conditions. Alternating slows the raw round trip more than the API call (its server process
  has gone cold in between), so its API ÷ raw is the kinder figure and is shown beside;
* the clustered whole-Ningxia view: p50/p95 and number of features;
* throughput with wrk against gunicorn (at sizes of 200,000 and above, one server at a time).

Figures go to stdout and to ``artifacts/bench_map.json``.
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
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8765
WHOLE_NINGXIA = "104.2,35.2,107.7,39.4"


def near_query(lng: float, lat: float) -> str:
    return f"near={lng:.6f},{lat:.6f}&sort=distance"


def api_statement(lng: float, lat: float) -> tuple[str, list]:
    """The statement ``/api/map/search/?near=…&sort=distance`` runs for this point, built
    by the API's own code (``catalog.selectors.rows_statement``): the "raw SQL" of every
    figure below is exactly the query the API sends, with the columns its popups need."""
    import django

    if not getattr(api_statement, "ready", False):
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.settings")
        django.setup()
        api_statement.ready = True
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


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        # A fresh database each run: deleted rows from an earlier, larger run would leave
        # dead entries in the indexes and distort the small sizes.
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    conn = psycopg2.connect(urlunsplit(parts._replace(scheme="postgresql")))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.close()


def existing_listings(url: str) -> int | None:
    import psycopg2

    try:
        conn = psycopg2.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql")))
    except psycopg2.OperationalError:
        return None  # no such database
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM catalog_listing")
            return cur.fetchone()[0]
    except psycopg2.Error:
        return None
    finally:
        conn.close()


def manage(env: dict, *args: str) -> str:
    out = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def points(n: int, seed: int) -> list[tuple[float, float]]:
    """Query points where people are: around the county seats of Ningxia."""
    sys.path.insert(0, str(ROOT))
    from geodata.county_facts import COUNTY_FACTS

    rng = random.Random(seed)
    seats = [(lng, lat) for _, lng, lat, _ in COUNTY_FACTS.values()]
    return [(lng + rng.gauss(0, 0.05), lat + rng.gauss(0, 0.05)) for lng, lat in rng.choices(seats, k=n)]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Db:
    def __init__(self, url: str):
        import psycopg2

        parts = urlsplit(url)
        self.conn = psycopg2.connect(urlunsplit(parts._replace(scheme="postgresql")))
        self.conn.autocommit = True

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
        sql, params = statement
        with self.conn.cursor() as cur:
            start = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            return (time.perf_counter() - start) * 1000

    def count(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM catalog_listing")
            return cur.fetchone()[0]


class Server:
    def __init__(self, env: dict, port: int):
        self.port = port
        self.proc = subprocess.Popen(
            [
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
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                self.get("/api/regions/?level=province")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, *, retry: bool = True) -> tuple[int, bytes, float]:
        """One GET on a kept-alive connection; reconnects once if the server closed it."""
        conn = getattr(self, "_conn", None) or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self._conn = conn
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self._conn = None
            conn.close()
            if retry:
                return self.get(path, retry=False)
            raise
        return response.status, body, (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def measure(dbs: dict[int, Db], servers: dict[int, Server], n_points: int = 400) -> dict[int, dict]:
    pts = points(n_points, seed=7)
    statements = [api_statement(lng, lat) for lng, lat in pts]
    urls = [f"/api/map/search/?{near_query(lng, lat)}" for lng, lat in pts]
    sizes = list(dbs)
    for statement, url in zip(statements[:20], urls[:20], strict=True):  # warm caches and connections
        for size in sizes:
            dbs[size].explain_ms(statement)
            servers[size].get(url)
    rows = {}
    for size in sizes:
        db = dbs[size]
        rows[size] = {
            "listings": db.count(),
            "explain": [db.explain_ms(statement) for statement in statements],
            "no_index": [db.explain_ms(statement, index=False) for statement in statements[:15]],
            "raw_alone": [db.round_trip_ms(statement) for statement in statements],
            "api_alone": [servers[size].get(url)[2] for url in urls],
            "raw": [],
            "api": [],
        }
    for statement, url in zip(statements, urls, strict=True):  # the rounds
        for size in sizes:
            rows[size]["raw"].append(dbs[size].round_trip_ms(statement))
            status, body, ms = servers[size].get(url)
            assert status == 200, body[:200]
            rows[size]["api"].append(ms)
    out = {}
    med = statistics.median
    for size in sizes:
        r = rows[size]
        cluster, features = [], 0
        for _ in range(40):
            status, body, ms = servers[size].get(f"/api/map/search/?bbox={WHOLE_NINGXIA}")
            assert status == 200, body[:200]
            cluster.append(ms)
            features = len(json.loads(body)["features"])
        out[size] = {
            "listings": r["listings"],
            "knn_explain_ms_p50": round(med(r["explain"]), 3),
            "knn_no_index_ms_p50": round(med(r["no_index"]), 1),
            "index_speedup": round(med(r["no_index"]) / med(r["explain"])),
            "knn_round_trip_ms_p50": round(med(r["raw"]), 3),
            "knn_round_trip_alone_ms_p50": round(med(r["raw_alone"]), 3),
            "api_near_ms_p50": round(med(r["api"]), 2),
            "api_near_ms_p95": round(pct(r["api"], 0.95), 2),
            "api_over_raw": round(med(r["api"]) / med(r["raw"]), 2),
            "api_alone_ms_p50": round(med(r["api_alone"]), 2),
            "api_alone_over_raw_alone": round(med(r["api_alone"]) / med(r["raw_alone"]), 2),
            "api_alone_over_explain": round(med(r["api_alone"]) / med(r["explain"]), 2),
            "cluster_ms_p50": round(med(cluster), 1),
            "cluster_ms_p95": round(pct(cluster, 0.95), 1),
            "cluster_features": features,
        }
    return out


def wrk(port: int, seconds: int = 15) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk not installed"}
    script = ROOT / "benchmarks" / "near.lua"
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    return {
        "requests_per_s": rps,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "none",
        "latency_p50": p50.group(1) if p50 else "?",
    }


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
    print(manage(env, "demo_scale", "--listings", str(size), "--commit"))
    print(f"-- {size:,} listings ready in {time.perf_counter() - started:.0f} s")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,200000,1000000")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="keep databases of an earlier run that have the size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    urls = {size: prepare(size, reuse=args.reuse) for size in sizes}
    dbs = {size: Db(url) for size, url in urls.items()}
    servers: dict[int, Server] = {}
    try:
        for i, (size, url) in enumerate(urls.items()):
            servers[size] = Server({**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}, PORT + i)
        by_size = measure(dbs, servers)
        for size in sizes:
            if size >= 200_000:
                by_size[size]["wrk"] = wrk(servers[size].port, args.wrk_seconds)
    finally:
        for server in servers.values():
            server.stop()
    results = [by_size[size] for size in sizes]
    for row in results:
        print(json.dumps(row, ensure_ascii=False))

    print(
        "\n| listings | KNN exec p50 | no-index p50 | speed-up | raw round trip p50: alone (alternating) "
        "| API p50: alone (alternating, p95) | API ÷ raw: alone ÷ alone (alternating) | API ÷ exec "
        "| cluster view p50 / p95 (features) | wrk req/s (errors) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        w = r.get("wrk") or {}
        wrk_cell = f"{w['requests_per_s']:.0f} ({w['non_2xx']} non-2xx)" if "requests_per_s" in w else "–"
        print(
            f"| {r['listings']:,} | {r['knn_explain_ms_p50']} ms | {r['knn_no_index_ms_p50']} ms | "
            f"{r['index_speedup']}× | {r['knn_round_trip_alone_ms_p50']} ms ({r['knn_round_trip_ms_p50']} ms) | "
            f"{r['api_alone_ms_p50']} ms ({r['api_near_ms_p50']} ms, {r['api_near_ms_p95']} ms) | "
            f"{r['api_alone_over_raw_alone']}× ({r['api_over_raw']}×) | {r['api_alone_over_explain']}× | "
            f"{r['cluster_ms_p50']} / {r['cluster_ms_p95']} ms ({r['cluster_features']}) | {wrk_cell} |"
        )
    if len(results) >= 2:
        ratio = results[-1]["api_near_ms_p50"] / results[0]["api_near_ms_p50"]
        print(f"\nAPI p50 at {results[-1]['listings']:,} ÷ at {results[0]['listings']:,}: {ratio:.2f}×")
    out = ROOT / "artifacts" / "bench_map.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
