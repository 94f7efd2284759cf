"""Settings for the test suite: the real settings, with a throw-away secret key.

mapsite.settings refuses to start without DJANGO_SECRET_KEY when DEBUG is off (as in every
test run); a test run is not a deployment, so it gets a fixed key unless one is given."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-never-used-outside-the-test-suite-0123456789")

from mapsite.settings import *  # noqa: E402, F403
