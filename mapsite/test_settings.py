"""Settings for the test suite: the real settings, with a throw-away secret key.

mapsite.settings refuses to start without DJANGO_SECRET_KEY when DEBUG is off (as in every
test run); a test run is not a deployment, so it gets a fixed key unless one is given."""

import copy
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-never-used-outside-the-test-suite-0123456789")

from mapsite.settings import *  # noqa: E402, F403

# Replica routing (mapsite.db_router) is off in tests unless a test turns it on with
# `settings.DATABASE_REPLICAS = ["replica"]` (tests/test_replica.py). The alias "replica"
# reads the test database through a second connection (Django's TEST MIRROR); the real
# standby test points it at `scripts/replica.sh`'s cluster instead.
DATABASES.setdefault("replica", {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}})  # noqa: F405
DATABASE_REPLICAS = []
