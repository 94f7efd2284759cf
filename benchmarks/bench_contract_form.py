"""Offline-contract form benchmark: what ``/vouchers/contracts/new/`` costs on the demo data
(issue 13 item 5: one select of every institution's services made the page slow and wide).

Usage:  .venv/bin/python benchmarks/bench_contract_form.py [--repeat 7]

Reads only: the database of ``DATABASE_URL`` (``make setup`` + ``make demo`` load the demo
province, ~900 services of ~80 institutions). Signs a certified demo enterprise in through
Django's test client and times the form without a chosen institution and with one (the
first listed), median and best of ``--repeat`` requests, with the page's size and its
number of queries. Prints one line per page and writes ``artifacts/bench_contract_form.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapsite.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import APPLICANT_KINDS, User  # noqa: E402
from catalog import selectors  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    user = User.objects.filter(organisation__kind__in=APPLICANT_KINDS, organisation__status="certified").first()
    institution = selectors.public_institutions().order_by("organisation__name").first()
    if user is None or institution is None:
        sys.exit("No demo data: run `make demo` first.")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    services = selectors.public_services().count()
    results = []
    for url in ("/vouchers/contracts/new/", f"/vouchers/contracts/new/?institution={institution.pk}"):
        client.get(url)  # warm templates and connections
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
        row = {
            "url": url,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(queries),
            "median_ms": round(statistics.median(times), 1),
            "best_ms": round(min(times), 1),
        }
        results.append(row)
        print(
            f"{url:45} {row['status']}  {row['bytes']:>7} bytes  {row['queries']:>2} queries  "
            f"median {row['median_ms']:6.1f} ms  best {row['best_ms']:6.1f} ms"
        )
    out = ROOT / "artifacts" / "bench_contract_form.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"public_services": services, "pages": results}, ensure_ascii=False, indent=2))
    print(f"{services} public services; written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
