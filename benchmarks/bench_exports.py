"""Export writers benchmark: what a table export costs to write, in the request and in the
worker, to choose ``EXPORT_SYNC_MAX_ROWS`` (README "Exports").

Usage:  .venv/bin/python benchmarks/bench_exports.py [--sizes 2000,20000,100000] [--repeat 3]

No database: a synthetic table with the columns of the dashboards' widest large table (仪器
共享指标（按仪器）: 4 text, 4 numbers, 2 percentages; Chinese names) is written

* as the request writes it (``mapsite.tables.to_csv`` / ``to_xlsx``), and
* as the worker writes it (``notifications.exports.write_table`` into a temporary file, with
  a progress call every ``PROGRESS_EVERY`` rows — here a no-op; in the worker each is one
  ``UPDATE`` of the job's row, ≈ 1 ms),

best of ``--repeat`` runs per size and format. The CSV bytes of the two are compared (they
must be equal). Building the rows from the database is not included (it depends on the data;
the dashboards benchmark measures the pages). Prints a table; writes
``artifacts/bench_exports.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.settings")

import django  # noqa: E402

django.setup()

from mapsite.tables import Column, Table, to_csv, to_xlsx  # noqa: E402
from notifications import exports  # noqa: E402


def table(rows: int) -> Table:
    t = Table(
        "sharing_instruments",
        "仪器共享指标（按仪器）",
        [
            Column("仪器"),
            Column("类别"),
            Column("服务机构"),
            Column("地区"),
            Column("有效机时", "number"),
            Column("对外服务机时", "number"),
            Column("共享率", "percent"),
            Column("开放机时", "number"),
            Column("利用率", "percent"),
            Column("送样次数", "int"),
        ],
    )
    for i in range(rows):
        t.rows.append(
            [
                f"扫描电子显微镜 SU{i}",
                "电子光学仪器",
                f"宁夏第{i % 500}检测研究院",
                "兴庆区",
                round(i % 977 * 1.5, 1),
                round(i % 311 * 1.1, 1),
                round(i % 100 * 0.9, 1),
                2000.0,
                round(i % 97 * 1.0, 1),
                i % 13,
            ]
        )
    return t


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def worker_write(t: Table, fmt: str) -> bytes:
    calls = []
    with tempfile.TemporaryFile() as out:
        exports.write_table(t, fmt, out, calls.append)
        out.seek(0)
        return out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    print(f"{'rows':>8} {'fmt':>5} {'request ms':>11} {'worker ms':>10} {'rows/s (worker)':>16} {'size KB':>8}")
    for n in (int(s) for s in args.sizes.split(",")):
        t = table(n)
        assert worker_write(t, "csv") == to_csv(t), "the worker's CSV differs from the request's"
        for fmt, request_fn in (("csv", to_csv), ("xlsx", to_xlsx)):
            request_ms = best(lambda fn=request_fn, t=t: fn(t), args.repeat)
            worker_ms = best(lambda fmt=fmt, t=t: worker_write(t, fmt), args.repeat)
            size = len(worker_write(t, fmt)) / 1024
            results.append(
                {"rows": n, "format": fmt, "request_ms": round(request_ms, 1), "worker_ms": round(worker_ms, 1)}
            )
            print(f"{n:>8} {fmt:>5} {request_ms:>11.1f} {worker_ms:>10.1f} {n / worker_ms * 1000:>16,.0f} {size:>8.0f}")
    out = ROOT / "artifacts" / "bench_exports.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
