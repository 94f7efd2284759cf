"""Read replicas (mapsite.db_router + mapsite.middleware_replicas) and the storage setting.

Two set-ups:

- the alias ``replica`` as Django's TEST MIRROR of the test database (a second connection to
  the same database): which requests read where, counted per connection;
- the alias pointed at a real hot standby that ``scripts/replica.sh start`` makes with
  pg_basebackup (port 5434): replay, lag, read-after-write and a stopped replica.

Routing tests are transactional (``transaction=True``): a replica connection cannot see a
test's uncommitted rows, exactly like a real replica.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mapsite import db_router
from mapsite.middleware_replicas import PIN_COOKIE, ReplicaRoutingMiddleware
from mapsite.wsgi import application
from tests import factories
from tests.catalog.test_map_search_fast_path import wsgi_get

REPO = Path(__file__).resolve().parent.parent
REPLICA_SCRIPT = REPO / "scripts" / "replica.sh"
REPLICA_PORT = 5434

routing = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replicas_on(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5
    settings.DATABASE_REPLICA_CHECK_SECONDS = 1
    db_router.forget_replica_health()
    yield
    db_router.forget_replica_health()


@pytest.fixture
def instrument(ningxia, olivia):
    lab = factories.listed_institution(username="lab", name="贺兰山分析测试中心")
    return factories.approved_item(lab, kind="instrument", name="扫描电子显微镜", operator=olivia)


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def tables(captured) -> str:
    return " ".join(q["sql"] for q in captured.captured_queries)


# --- Routing, with the replica as a mirror of the test database ---------------------------------
@routing
def test_a_public_catalogue_page_reads_the_catalogue_from_the_replica(client, replicas_on, instrument):
    with queries_on("replica") as on_replica, queries_on("default") as on_primary:
        response = client.get(f"/catalog/instruments/{instrument.pk}/")
    assert response.status_code == 200
    assert "扫描电子显微镜" in response.content.decode()
    assert "catalog_instrument" in tables(on_replica)
    assert "catalog_instrument" not in tables(on_primary)


@routing
def test_sessions_and_users_are_always_read_from_the_primary(client, replicas_on, instrument, alice):
    client.force_login(alice)
    with queries_on("replica") as on_replica, queries_on("default") as on_primary:
        assert client.get(f"/catalog/instruments/{instrument.pk}/").status_code == 200
    assert "django_session" in tables(on_primary) and "accounts_user" in tables(on_primary)
    assert "django_session" not in tables(on_replica) and "accounts_user" not in tables(on_replica)


@routing
def test_pages_not_on_the_list_read_only_from_the_primary(client, replicas_on, instrument, alice):
    client.force_login(alice)
    with queries_on("replica") as on_replica:
        assert client.get("/catalog/bookings/").status_code == 200
        assert client.get("/vouchers/contracts/").status_code == 200
    assert on_replica.captured_queries == []


@routing
def test_a_request_that_writes_reads_its_own_write_from_the_primary(replicas_on, instrument):
    from catalog.models import Instrument

    def view(request):
        Instrument.objects.filter(pk=instrument.pk).update(name="场发射扫描电子显微镜")  # a write
        return HttpResponse(Instrument.objects.get(pk=instrument.pk).name)  # then a read

    middleware = ReplicaRoutingMiddleware(
        lambda request: middleware.process_view(request, view, (), {}) or view(request)
    )
    request = RequestFactory().get("/catalog/instruments/1/")
    request.resolver_match = type("Match", (), {"view_name": "catalog:instrument"})()
    with queries_on("replica") as on_replica:
        response = middleware(request)
    assert response.content.decode() == "场发射扫描电子显微镜"
    assert on_replica.captured_queries == []
    # …and the client stays on the primary for its next pages (the pin cookie).
    assert response.cookies[PIN_COOKIE]["max-age"] > 0


@routing
def test_after_a_post_that_wrote_the_next_pages_read_from_the_primary(client, replicas_on, instrument, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.cookies[PIN_COOKIE].value
    with queries_on("replica") as on_replica:
        assert client.get(f"/catalog/instruments/{instrument.pk}/").status_code == 200
    assert on_replica.captured_queries == []


@routing
def test_a_replica_that_is_down_is_skipped_without_an_error(client, replicas_on, instrument):
    replica = connections["replica"]
    saved = dict(replica.settings_dict)
    replica.close()
    replica.settings_dict.update(HOST="127.0.0.1", PORT="9")  # nothing listens there
    try:
        response = client.get(f"/catalog/instruments/{instrument.pk}/")
        assert response.status_code == 200
        assert "扫描电子显微镜" in response.content.decode()
    finally:
        replica.close()
        replica.settings_dict.clear()
        replica.settings_dict.update(saved)


def test_migrations_and_writes_never_target_a_replica(settings):
    from catalog.models import Instrument

    settings.DATABASE_REPLICAS = ["replica"]
    assert router.allow_migrate("replica", "catalog") is False
    assert router.allow_migrate("default", "catalog") is True
    assert router.db_for_write(Instrument) == "default"
    # Outside a request (commands, the worker, a shell) reads go to the primary too.
    assert router.db_for_read(Instrument) == "default"


# --- A real streaming replica ----------------------------------------------------------------------
def _replica_script(action: str) -> None:
    subprocess.run(["bash", str(REPLICA_SCRIPT), action], check=True, timeout=300)  # noqa: S603, S607 — our script


@pytest.fixture(scope="module")
def standby():
    """The hot standby of `scripts/replica.sh`, started when it is not running (and then
    stopped again after these tests)."""
    if shutil.which("pg_basebackup") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")):
        pytest.skip("pg_basebackup is not installed (Debian package postgresql-client-15; `make setup` installs it)")
    was_running = subprocess.run(["bash", str(REPLICA_SCRIPT), "status"], capture_output=True).returncode == 0  # noqa: S603, S607
    _replica_script("start")
    yield REPLICA_PORT
    if not was_running:  # leave the machine as we found it
        _replica_script("stop")


@pytest.fixture
def real_replica(standby, replicas_on):
    """The alias ``replica`` pointed at the standby's copy of the test database."""
    replica = connections["replica"]
    saved = dict(replica.settings_dict)
    replica.close()
    replica.settings_dict.update(HOST="127.0.0.1", PORT=str(standby), NAME=connections["default"].settings_dict["NAME"])
    yield replica
    _sql(replica, "SELECT pg_wal_replay_resume()")
    replica.close()
    replica.settings_dict.clear()
    replica.settings_dict.update(saved)


def _sql(connection, statement, params=()):
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


def wait_for_replay(replica, timeout: float = 30) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    lsn = _sql(connections["default"], "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _sql(replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, "the standby did not replay in time"
        time.sleep(0.05)


def paused(replica):
    _sql(replica, "SELECT pg_wal_replay_pause()")
    # Replay stops between records; make sure it has stopped before writing.
    while _sql(replica, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.02)


@routing
def test_a_new_listing_reaches_the_replica_after_replay_and_pages_read_it_there(
    client, real_replica, instrument, olivia, settings
):
    assert _sql(real_replica, "SELECT pg_is_in_recovery()") is True  # a standby, not the primary
    wait_for_replay(real_replica)
    page = f"/catalog/instruments/{instrument.pk}/"
    assert client.get(page).status_code == 200

    # While replay is paused, a listing published on the primary is missing from the replica
    # — and the public page, read from the replica, does not know it yet.
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    paused(real_replica)
    lab = instrument.institution.organisation.users.first()
    newer = factories.approved_item(lab, kind="instrument", name="X射线衍射仪", operator=olivia)
    db_router.forget_replica_health()
    assert client.get(f"/catalog/instruments/{newer.pk}/").status_code == 404

    # Once replayed, the replica serves it.
    _sql(real_replica, "SELECT pg_wal_replay_resume()")
    wait_for_replay(real_replica)
    with queries_on("replica") as on_replica:
        response = client.get(f"/catalog/instruments/{newer.pk}/")
    assert response.status_code == 200 and "X射线衍射仪" in response.content.decode()
    assert "catalog_instrument" in tables(on_replica)


@routing
def test_the_map_search_reads_from_the_replica_through_django_and_the_fast_path(
    client, real_replica, instrument, olivia, settings
):
    def found(name):
        params = {"module": "instrument", "q": name}
        response = client.get("/api/map/search/", params)  # middleware + DRF view
        status, _headers, body = wsgi_get(application, "/api/map/search/", params)  # gunicorn's way in
        assert response.status_code == status == 200
        assert response.content == body
        return name in body.decode()

    wait_for_replay(real_replica)
    assert found("扫描电子显微镜")
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    paused(real_replica)
    lab = instrument.institution.organisation.users.first()
    factories.approved_item(lab, kind="instrument", name="X射线衍射仪", operator=olivia)
    db_router.forget_replica_health()
    assert not found("X射线衍射仪")  # the replica is behind: proof the search ran there
    _sql(real_replica, "SELECT pg_wal_replay_resume()")
    wait_for_replay(real_replica)
    assert found("X射线衍射仪")  # replayed (and the cached answer keyed by the older version is not used)


@routing
def test_a_write_then_a_read_in_one_request_sees_the_write_while_the_replica_is_behind(
    real_replica, instrument, settings
):
    from catalog.models import Instrument

    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    wait_for_replay(real_replica)
    paused(real_replica)

    def view(request):
        before = Instrument.objects.get(pk=instrument.pk).name  # read: the replica
        Instrument.objects.filter(pk=instrument.pk).update(name="场发射扫描电子显微镜")
        after = Instrument.objects.get(pk=instrument.pk).name  # after the write: the primary
        return HttpResponse(f"{before}|{after}")

    middleware = ReplicaRoutingMiddleware(
        lambda request: middleware.process_view(request, view, (), {}) or view(request)
    )
    request = RequestFactory().get(f"/catalog/instruments/{instrument.pk}/")
    request.resolver_match = type("Match", (), {"view_name": "catalog:instrument"})()
    assert middleware(request).content.decode() == "扫描电子显微镜|场发射扫描电子显微镜"


@routing
def test_a_replica_lagging_beyond_the_bound_is_not_read(client, real_replica, instrument, olivia, settings):
    wait_for_replay(real_replica)
    paused(real_replica)
    lab = instrument.institution.organisation.users.first()
    newer = factories.approved_item(lab, kind="instrument", name="X射线衍射仪", operator=olivia)
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0
    time.sleep(0.1)
    db_router.forget_replica_health()
    with queries_on("replica") as on_replica:
        response = client.get(f"/catalog/instruments/{newer.pk}/")
    assert response.status_code == 200 and "X射线衍射仪" in response.content.decode()
    assert "catalog_instrument" not in tables(on_replica)


@routing
def test_a_stopped_replica_falls_back_to_the_primary_without_an_error(client, real_replica, instrument):
    wait_for_replay(real_replica)
    real_replica.close()
    _replica_script("stop")
    try:
        db_router.forget_replica_health()
        response = client.get(f"/catalog/instruments/{instrument.pk}/")
        assert response.status_code == 200 and "扫描电子显微镜" in response.content.decode()
        status, _headers, body = wsgi_get(application, "/api/map/search/", {"module": "instrument"})
        assert status == 200 and "扫描电子显微镜" in body.decode()
    finally:
        _replica_script("start")


# --- Storage as a setting -------------------------------------------------------------------------
def test_without_storage_url_files_stay_on_the_local_disk_under_media_root():
    from mapsite.storage_url import FILESYSTEM, default_storage_from_url

    assert default_storage_from_url("") == {"BACKEND": FILESYSTEM}


def test_a_storage_url_selects_a_private_s3_compatible_bucket():
    from mapsite.storage_url import S3, default_storage_from_url

    config = default_storage_from_url(
        "s3://AKID:se%2Fcret@kjcxq-files/media?endpoint_url=https://oss.example:9000&region=cn-northwest-1"
        "&addressing_style=path"
    )
    assert config["BACKEND"] == S3
    assert config["OPTIONS"] == {
        "bucket_name": "kjcxq-files",
        "location": "media",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "endpoint_url": "https://oss.example:9000",
        "region_name": "cn-northwest-1",
        "addressing_style": "path",
        "access_key": "AKID",
        "secret_key": "se/cret",
    }


@pytest.mark.parametrize("url", ["ftp://host/files", "s3:///no-bucket", "s3://bucket/?colour=blue"])
def test_a_malformed_storage_url_stops_start_up(url):
    from django.core.exceptions import ImproperlyConfigured

    from mapsite.storage_url import default_storage_from_url

    with pytest.raises(ImproperlyConfigured):
        default_storage_from_url(url)


def test_every_file_field_uses_the_configured_storage():
    """STORAGE_URL reaches the models' file fields (mapsite.storage.private_storage) in a
    process started with it, as a deployment would."""
    import os
    import sys

    env = {**os.environ, "STORAGE_URL": "s3://kjcxq-files/media?endpoint_url=http://127.0.0.1:9"}
    code = (
        "from vouchers.models import Proof; from catalog.models import Booking; "
        "print(type(Proof._meta.get_field('file').storage).__name__, "
        "type(Booking._meta.get_field('result').storage).__name__)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["S3Storage", "S3Storage"]


def test_two_web_machines_share_files_through_an_s3_compatible_store():
    """Two storage instances built from one STORAGE_URL (two machines) against a real
    S3-protocol server (moto's, in a thread): one stores an upload, the other reads it."""
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is a dev dependency (make setup)")
    import boto3
    from django.core.files.base import ContentFile
    from django.utils.module_loading import import_string

    from mapsite.storage_url import default_storage_from_url

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
        ).create_bucket(Bucket="kjcxq-files")
        config = default_storage_from_url(
            f"s3://k:s@kjcxq-files/media?endpoint_url={endpoint}&region=us-east-1&addressing_style=path"
        )
        web1, web2 = (import_string(config["BACKEND"])(**config["OPTIONS"]) for _ in range(2))
        name = web1.save("proofs/2026/scan.pdf", ContentFile(b"%PDF-1.4 proof\n%%EOF"))
        assert web2.exists(name)
        with web2.open(name, "rb") as handle:
            assert handle.read() == b"%PDF-1.4 proof\n%%EOF"
        # A second file of the same name never replaces the first.
        assert web2.save("proofs/2026/scan.pdf", ContentFile(b"other")) != name
        web2.delete(name)
        assert not web1.exists(name)
    finally:
        server.stop()
