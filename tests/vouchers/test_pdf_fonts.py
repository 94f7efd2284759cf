"""The PDF fonts are set up once per process, in our own folder, not copied per thread."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from vouchers.contracts.documents import render_contract_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def weasyprint_temp_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("weasyprint-*")}


def test_three_pdfs_from_three_threads_leave_no_weasyprint_temp_folders(ningxia, alice, ivan_lab):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    before = weasyprint_temp_folders()
    pdfs, errors = [], []

    def render():
        try:
            pdfs.append(render_contract_pdf(contract))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(pdfs) == 3 and all(p.startswith(b"%PDF-") for p in pdfs)
    assert weasyprint_temp_folders() - before == set()
    # One folder for this process, holding the font copies, reused by every render.
    ours = Path(settings.PDF_FONT_CACHE_DIR) / str(os.getpid())
    assert ours.is_dir() and any(ours.iterdir())
    copies = len(list(ours.iterdir()))
    render_contract_pdf(contract)
    assert len(list(ours.iterdir())) == copies
