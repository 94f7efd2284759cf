# The evaluation is computed on the dashboards' small world of real vouchers (made through the
# voucher services); see tests/dashboards/conftest.py for its table.
from tests.dashboards.conftest import world  # noqa: F401
