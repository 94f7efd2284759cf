"""Dashboard benchmark: the heatmap and choropleth data for the whole province over a year.

Usage:  .venv/bin/python benchmarks/bench_dashboard.py [--sizes 100000,1000000] [--requests 200]

It works in its own database (``<name>_dashbench`` next to the one set-up chose, created
afresh): migrate, load the regions, create a centre user, a county bureau (兴庆区) and a city
bureau (银川市), then grow the synthetic voucher uses (``dashboards_generate_usage``: each use
with its issue, redemption and payout events, in the twelve months ending this month) to each
size and measure, through HTTP against gunicorn on loopback (token auth for the API, a
session for the pages), with warm caches:

* ``/api/stats/heatmap/`` — the heatmap data: by enterprise and by institution location,
  filtered by kind, by category, by both; as the centre (whole province), the city and the
  county bureau;
* ``/api/stats/usage/?group=county`` and ``?group=city`` — the choropleth data;
* the two map documents (``/dashboard/heatmap/frame/``, ``/dashboard/choropleth/frame/``:
  folium HTML with the boundaries) and the statistics page ``/dashboard/``;
* the SQL alone of the province heatmap and choropleth (server-side execution time).

* the other dashboard pages a centre user opens: the heatmap and choropleth pages (the map
  frames are separate requests, above) and a county's detail page.

p50 and p95 of ``--requests`` sequential requests each (a quarter of them, at least 20, for
pages and documents); figures go to stdout, each beside its target, and to
``artifacts/bench_dashboard.json``. The targets: heatmap and choropleth data for the whole
province over a year ≤ 200 ms p95 at 1,000,000 records (issue #6); every dashboard page
≤ 200 ms p95 and each map document ≤ 100 ms p95 (issue #15 item 6).

``--reuse`` keeps the database of an earlier run that holds exactly the (single) size asked
for — generating 10⁶ uses takes minutes — and ``--only TEXT`` measures only the cases whose
name contains TEXT (e.g. ``--only document``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_map import PY, Db, ensure_database, libpq_url, manage, pct  # noqa: E402

PORT = 8766
TARGET_MS = 200  # p95: data endpoints (issue #6) and pages (issue #15 item 6)
DOCUMENT_TARGET_MS = 100  # p95: each map document (issue #15 item 6)


def target_of(name: str) -> int | None:
    """The p95 target (ms) of a measured case; None for the SQL-alone figures."""
    if name.startswith("SQL"):
        return None
    return DOCUMENT_TARGET_MS if "document" in name else TARGET_MS


USERS_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from accounts.models import Organisation, User
out = {}
PEOPLE = (("bench-centre", "centre", None), ("bench-640104", "bureau", 640104), ("bench-640100", "bureau", 640100))
for username, kind, region in PEOPLE:
    org, _ = Organisation.objects.get_or_create(
        name=username, kind=kind, defaults={"region_id": region, "status": "certified"}
    )
    user, _ = User.objects.get_or_create(username=username, defaults={"organisation": org})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out[username] = {"token": Token.objects.get_or_create(user=user)[0].key, "session": session.session_key}
print(json.dumps(out))
"""

HEAT_SQL = (
    "SELECT cx, cy, sum(sum_lng), sum(sum_lat), sum(total)::float8, sum(total)::bigint FROM dashboards_heatcell "
    "WHERE level = 0 AND basis = %s AND month BETWEEN %s AND %s GROUP BY cx, cy HAVING sum(total) > 0"
)
CHOROPLETH_SQL = (
    "SELECT county_id, sum(n), sum(amount) FROM dashboards_regionmonth "
    "WHERE stage = 'used' AND month BETWEEN %s AND %s GROUP BY county_id"
)


def bench_url() -> str:
    base = os.environ.get("DATABASE_URL") or (ROOT / ".state" / "database_url").read_text().strip()
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "ningxia"
    return urlunsplit(parts._replace(path="/" + name + "_dashbench"))


class Server:
    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "mapsite.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
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
        self.conn = None
        for _ in range(100):
            try:
                self.get("/api/regions/?level=province", {})
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, headers: dict) -> tuple[int, bytes, float]:
        conn = self.conn or http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.conn = conn
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip", **headers})
            response = conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.conn = None
            conn.close()
            raise
        return response.status, body, (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def window() -> tuple[str, str]:
    import datetime as dt

    today = dt.date.today()
    months = today.year * 12 + today.month - 1 - 11
    return f"{months // 12:04d}-{months % 12 + 1:02d}-01", f"{today.year:04d}-{today.month:02d}-01"


def timed(server: Server, path: str, headers: dict, n: int) -> dict:
    for _ in range(5):  # warm-up
        status, body, _ = server.get(path, headers)
        assert status == 200, (path, status, body[:300])
    times = []
    for _ in range(n):
        status, body, ms = server.get(path, headers)
        assert status == 200, (path, status, body[:300])
        times.append(ms)
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(pct(times, 0.95), 1),
        "max": round(max(times), 1),
        "bytes": len(body),
    }


def sql_ms(db: Db, sql: str, params: list, n: int = 30) -> dict:
    times = []
    with db.conn.cursor() as cur:
        for i in range(n + 3):
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            if i >= 3:
                times.append(cur.fetchone()[0][0]["Execution Time"])
            else:
                cur.fetchall()
    return {"p50": round(statistics.median(times), 2), "p95": round(pct(times, 0.95), 2)}


def measure(db: Db, server: Server, users: dict, n: int, only: str = "") -> dict:
    centre = {"Authorization": f"Token {users['bench-centre']['token']}"}
    city = {"Authorization": f"Token {users['bench-640100']['token']}"}
    county = {"Authorization": f"Token {users['bench-640104']['token']}"}
    page = {"Cookie": f"sessionid={users['bench-centre']['session']}"}
    cases = {
        "heatmap · province · enterprise": ("/api/stats/heatmap/", centre),
        "heatmap · province · institution": ("/api/stats/heatmap/?basis=institution", centre),
        "heatmap · province · kind": ("/api/stats/heatmap/?kind=university", centre),
        "heatmap · province · category": ("/api/stats/heatmap/?category=检验检测", centre),
        "heatmap · province · kind+category+institution": (
            "/api/stats/heatmap/?basis=institution&kind=public_test_agency&category=实验分析",
            centre,
        ),
        "heatmap · city bureau": ("/api/stats/heatmap/", city),
        "heatmap · county bureau": ("/api/stats/heatmap/", county),
        "heatmap · zoomed (1 km grid, bbox)": ("/api/stats/heatmap/?bbox=106.0,38.3,106.6,38.7", centre),
        "choropleth · province · counties": ("/api/stats/usage/?group=county&stage=used", centre),
        "choropleth · province · cities": ("/api/stats/usage/?group=city&stage=issued", centre),
        "choropleth · province · kind filter": ("/api/stats/usage/?group=county&kind=university", centre),
        "choropleth · city bureau": ("/api/stats/usage/?group=county", city),
        "heatmap document (folium, boundaries)": ("/dashboard/heatmap/frame/", page),
        "choropleth document (folium, boundaries)": ("/dashboard/choropleth/frame/", page),
        "statistics page (all tables)": ("/dashboard/", page),
        "heatmap page": ("/dashboard/heatmap/", page),
        "choropleth page (map beside its table)": ("/dashboard/choropleth/", page),
        "region detail page (兴庆区)": ("/dashboard/region/640104/", page),
    }
    out = {}
    for name, (path, headers) in cases.items():
        if only and not any(word in name for word in only.split(",")):
            continue
        heavy = "page" in name or "document" in name
        out[name] = timed(server, quote(path, safe="/?&=,"), headers, max(20, n // 4) if heavy else n)
        print(f"  {name}: {out[name]}", flush=True)
    if only and "SQL" not in only.split(","):
        return out
    first, last = window()
    out["SQL · province heatmap (enterprise)"] = sql_ms(db, HEAT_SQL, ["enterprise", first, last])
    out["SQL · province heatmap (institution)"] = sql_ms(db, HEAT_SQL, ["institution", first, last])
    out["SQL · province choropleth"] = sql_ms(db, CHOROPLETH_SQL, [first, last])
    return out


def table_sizes(db: Db) -> dict:
    with db.conn.cursor() as cur:
        cur.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname IN "
            "('dashboards_voucherevent', 'dashboards_regionmonth', 'dashboards_heatcell', 'dashboards_orgmonth')"
        )
        counts = dict(cur.fetchall())
        cur.execute("SELECT count(*) FROM dashboards_voucherevent WHERE stage = 'used'")
        counts["uses"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM dashboards_heatcell WHERE level = 0")
        counts["heatcell_level0"] = cur.fetchone()[0]
    return counts


def existing_uses(url: str) -> int | None:
    """Synthetic uses already in the benchmark database (None: no usable database)."""
    import psycopg

    try:
        conn = psycopg.connect(libpq_url(url), autocommit=True)
    except psycopg.OperationalError:
        return None
    try:
        sql = "SELECT count(*) FROM dashboards_voucherevent WHERE stage = 'used' AND synthetic"
        return conn.execute(sql).fetchone()[0]
    except psycopg.Error:
        return None
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000", help="voucher uses, comma-separated, ascending")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run when it holds exactly the first size (one size only)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="measure only the cases whose name contains one of these comma-separated words (SQL: the SQL alone)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    url = bench_url()
    have = 0
    if args.reuse and len(sizes) == 1 and existing_uses(url) == sizes[0]:
        have = sizes[0]
        print(f"reusing {urlsplit(url).path.lstrip('/')} ({have:,} uses)", flush=True)
    else:
        ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "MAP_TILES_URL": ""}
    manage(env, "migrate", "--noinput")
    print(manage(env, "geodata_import_regions", "--commit"))
    users = json.loads(
        subprocess.run(
            [PY, "manage.py", "shell", "-c", "import json\n" + USERS_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    db = Db(url)
    results = []
    for size in sizes:
        if size > have:
            print(manage(env, "dashboards_generate_usage", "--count", str(size - have), "--commit"), flush=True)
            have = size
        with db.conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        server = Server(env)
        try:
            print(f"-- {size:,} uses: measuring", flush=True)
            timings = measure(db, server, users, args.requests, args.only)
            row = {"uses": size, "tables": table_sizes(db), "timings": timings}
        finally:
            server.stop()
        results.append(row)

    for r in results:
        print(f"\n{r['uses']:,} voucher uses · rows: {r['tables']}")
        print("| query | p50 | p95 | target (p95) | max | response (gzip for documents) |")
        print("|---|---|---|---|---|---|")
        missed = []
        for name, t in r["timings"].items():
            size = f"{t['bytes'] / 1024:.0f} KB" if "bytes" in t else "–"
            target = target_of(name)
            if target is None:
                verdict = "–"
            elif t["p95"] <= target:
                verdict = f"≤ {target} ms: met"
            else:
                verdict = f"≤ {target} ms: **MISSED**"
                missed.append(name)
            print(f"| {name} | {t['p50']} ms | {t['p95']} ms | {verdict} | {t.get('max', '–')} ms | {size} |")
        worst = max(
            (t["p95"] for name, t in r["timings"].items() if name.startswith(("heatmap ·", "choropleth ·"))), default=0
        )
        verdict = "meets" if worst <= TARGET_MS else "MISSES"
        print(f"\nworst p95 of the heatmap/choropleth data endpoints: {worst} ms — {verdict} the {TARGET_MS} ms target")
        print("targets missed: " + (", ".join(missed) if missed else "none"))
    out = ROOT / "artifacts" / "bench_dashboard.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
