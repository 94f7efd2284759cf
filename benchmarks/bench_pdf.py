"""Contract PDF benchmark: serving the stored PDF, and rendering a new revision.

Usage:  .venv/bin/python benchmarks/bench_pdf.py [--requests 200] [--renders 15]

It works in a throw-away database of its own (``test_pdfbench``, or ``$DB_TEST_NAME``),
created and dropped by Django's test-database machinery (migrations, Ningxia's regions, one
enterprise, a listed institution and a ready contract made through the real services), with
files in a temporary MEDIA_ROOT. It measures, in this process with warm caches:

* **serve** — ``GET /vouchers/contracts/<id>/pdf/`` through the real view (Django's test
  client, a logged-in applicant, the whole middleware stack) when the current revision's file
  is stored: permission check, the revision (one template render, hashed), the row, the file
  streamed. Also the API (token) and a repeat with ``If-None-Match`` (304). Target p50 ≤ 50 ms.
* **first render** — a new revision (the contract's amount changed through the service),
  rendered and stored by the worker's task body (``renditions.render_current``: printed HTML,
  WeasyPrint, storage, superseded file removed), in a process whose fonts are set up.
  Target p50 ≤ 500 ms. Where the time goes: the HTML, WeasyPrint's layout, and the PDF
  writing (font subsetting with HarfBuzz and serialising).
* **new process** — the first render in a new Python process: importing WeasyPrint, then the
  first PDF, which registers the fonts (copies the Noto CJK collections into the process's
  font folder, fontconfig scans them). A worker does this as it starts (``warm_up``, in a
  thread, ``vouchers.tasks``), so its first job costs what any other does: measured too.

and counts the ``weasyprint-*`` folders in the system temp directory before and after.
Prints a table with the targets beside the figures (wall-clock p50/p95, and the CPU time the
process used, which other work on a shared machine disturbs less; the load average is
printed with them), and writes ``artifacts/bench_pdf.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.test_settings")
os.environ.setdefault("DB_TEST_NAME", "test_pdfbench")

SERVE_TARGET_MS = 50
RENDER_TARGET_MS = 500


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def weasyprint_temp_folders() -> int:
    return len(list(Path(tempfile.gettempdir()).glob("weasyprint-*")))


def cold(contract_id: int) -> None:
    """In a fresh process (``--cold``): time a first render's parts, print them as JSON."""
    import django

    django.setup()
    from vouchers.contracts import documents
    from vouchers.models import Contract

    contract = Contract.objects.get(pk=contract_id)
    html = documents.contract_printed(contract).final_html()
    timings = {}
    if os.environ.get("BENCH_WARM_UP"):
        # What a worker does as it starts (vouchers.tasks): then its first job.
        timings["warm_up_ms"] = documents.warm_up() * 1000
        t = time.perf_counter()
        documents.pdf_from_html(html)
        timings["first_pdf_after_warm_up_ms"] = ms(t)
    else:
        t = time.perf_counter()
        import weasyprint  # noqa: F401

        timings["import_weasyprint_ms"] = ms(t)
        t = time.perf_counter()
        documents.pdf_from_html(html)
        timings["first_pdf_ms"] = ms(t)  # registers the fonts
        t = time.perf_counter()
        documents.pdf_from_html(html)
        timings["second_pdf_ms"] = ms(t)
    print(json.dumps(timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument("--cold", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        cold(args.cold)
        return

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    media = tempfile.TemporaryDirectory(prefix="pdfbench-media-")
    settings.MEDIA_ROOT = media.name
    names = setup_databases(verbosity=0, interactive=False)
    try:
        results = run(args, Client, connection)
    finally:
        connection.close()
        teardown_databases(names, verbosity=0)
        media.cleanup()
    report(results)


def run(args, Client, connection) -> dict:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from geodata.importer import read_features, region_values
    from geodata.models import Region
    from tests import factories
    from vouchers.contracts import documents, renditions, services
    from vouchers.models import ContractRendition

    Region.objects.bulk_create([Region(adcode=a, **v) for a, v in (region_values(f) for f in read_features())])
    factories.staff_user(username="olivia", kind="operator")
    alice = factories.applicant_user(username="alice", adcode=640104)
    lab = factories.listed_institution(username="ivan_lab", name="贺兰山分析测试中心", lng=106.1325, lat=38.5004)
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, lab, price="20000", quantity="2")
    folders_before = weasyprint_temp_folders()

    # Cold: a new process renders this contract (the database is committed: no test transaction).
    env = {**os.environ, "DATABASE_URL": database_url(connection)}
    cold_timings = {}
    for extra in ({}, {"BENCH_WARM_UP": "1"}):
        out = subprocess.run(
            [sys.executable, __file__, "--cold", str(contract.pk)],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        cold_timings.update(json.loads(out.stdout.strip().splitlines()[-1]))

    # First render of a revision, in this (now warm) process.
    renditions.render_current(contract.pk)  # sets up the fonts here
    renders, render_cpu, html_ms, layout_ms, write_ms = [], [], [], [], []
    for i in range(args.renders):
        services.contract_update(contract=contract, by=alice, data={"amount": Decimal(30000 + i)})
        t, cpu = time.perf_counter(), time.process_time()
        result = renditions.render_current(contract.pk)
        renders.append(ms(t))
        render_cpu.append((time.process_time() - cpu) * 1000)
        assert result["rendered"], result
    from weasyprint import HTML

    for _ in range(5):
        t = time.perf_counter()
        html = documents.contract_printed(contract).final_html()
        html_ms.append(ms(t))
        with documents._font_lock:
            config = documents._font_config()
            t = time.perf_counter()
            document = HTML(string=html, url_fetcher=documents.offline_url_fetcher()).render(font_config=config)
            layout_ms.append(ms(t))
            t = time.perf_counter()
            document.write_pdf()
            write_ms.append(ms(t))

    # Serving the stored file through the real view.
    assert ContractRendition.objects.filter(contract=contract).count() == 1
    client = Client()
    client.force_login(alice)
    url = f"/vouchers/contracts/{contract.pk}/pdf/"

    serve_cpu = []

    def timed_get(c, path, **headers) -> tuple[float, object]:
        t, cpu = time.perf_counter(), time.process_time()
        response = c.get(path, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
        serve_cpu.append((time.process_time() - cpu) * 1000)
        return ms(t), response

    for _ in range(10):  # warm up
        timed_get(client, url)
    serve, etag = [], None
    for _ in range(args.requests):
        elapsed, response = timed_get(client, url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response
        serve.append(elapsed)
        etag = response["ETag"]
    page_cpu = serve_cpu[-args.requests :]
    not_modified = []
    for _ in range(args.requests):
        elapsed, response = timed_get(client, url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        not_modified.append(elapsed)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    api_serve = []
    for _ in range(args.requests):
        elapsed, response = timed_get(api, f"/api/contracts/{contract.pk}/pdf/", HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        api_serve.append(elapsed)
    revision = []
    for _ in range(args.requests):
        t = time.perf_counter()
        documents.contract_revision(contract)
        revision.append(ms(t))

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "pdf_bytes": ContractRendition.objects.get(contract=contract).size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "serve_page_ms": summary(serve),
        "serve_page_cpu_ms": summary(page_cpu),
        "first_render_cpu_ms": summary(render_cpu),
        "serve_api_ms": summary(api_serve),
        "serve_304_ms": summary(not_modified),
        "revision_check_ms": summary(revision),
        "first_render_ms": summary(renders),
        "html_ms": summary(html_ms),
        "layout_ms": summary(layout_ms),
        "write_pdf_ms": summary(write_ms),
        "cold_process": cold_timings,
        "weasyprint_temp_folders": {"before": folders_before, "after": weasyprint_temp_folders()},
    }


def database_url(connection) -> str:
    from urllib.parse import urlsplit

    base = os.environ.get("DATABASE_URL") or (ROOT / ".state" / "database_url").read_text().strip()
    return urlsplit(base)._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def summary(values: list[float]) -> dict:
    return {"p50": round(statistics.median(values), 1), "p95": round(pct(values, 0.95), 1), "n": len(values)}


def report(r: dict) -> None:
    def line(name: str, s: dict, target: int | None = None) -> str:
        verdict = "" if target is None else ("  ✓" if s["p50"] <= target else "  ✗")
        goal = f"≤ {target}" if target else ""
        return f"{name:<44} {s['p50']:>8.1f} {s['p95']:>8.1f} {goal:>8}{verdict}"

    load = ", ".join(str(x) for x in r["load_average"])
    print(f"Contract PDF benchmark, {r['date']} (PDF {r['pdf_bytes']:,} bytes; {r['cpus']} CPUs, load {load})")
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'target':>8}")
    print(line("serve stored PDF: page view (test client)", r["serve_page_ms"], SERVE_TARGET_MS))
    print(line("  CPU time of this process", r["serve_page_cpu_ms"]))
    print(line("serve stored PDF: API, Accept: application/pdf", r["serve_api_ms"], SERVE_TARGET_MS))
    print(line("repeat with If-None-Match (304)", r["serve_304_ms"]))
    print(line("  of which: current revision (HTML + hash)", r["revision_check_ms"]))
    print(line("first render of a revision (warm worker)", r["first_render_ms"], RENDER_TARGET_MS))
    print(line("  CPU time of this process", r["first_render_cpu_ms"]))
    print(line("  HTML (context, template, QR)", r["html_ms"]))
    print(line("  WeasyPrint layout", r["layout_ms"]))
    print(line("  write PDF (font subsetting, serialising)", r["write_pdf_ms"]))
    c = r["cold_process"]
    print(
        "new process: import WeasyPrint {import_weasyprint_ms:.0f} ms, first PDF (fonts registered) "
        "{first_pdf_ms:.0f} ms, second {second_pdf_ms:.0f} ms".format(**c)
    )
    print(
        "new worker (warm-up at start {warm_up_ms:.0f} ms): its first PDF {first_pdf_after_warm_up_ms:.0f} ms".format(
            **c
        )
    )
    f = r["weasyprint_temp_folders"]
    print(f"weasyprint-* folders in the temp directory: before {f['before']}, after {f['after']}")
    out = ROOT / "artifacts" / "bench_pdf.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(r, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
