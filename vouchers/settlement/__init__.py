"""Settlement: what happens to an issued voucher (SPEC §5.3–5.5), in four modules —
``use`` (pay, proofs, rating), ``redemption`` (兑付 and its review), ``payouts`` (subsidies,
batches, notice, objections, budgets) and ``expiry`` (expiry, default ratings, clawback) —
plus the pages (``views``, ``forms``), the API (``api``) and the reads (``selectors``).

Statuses move only through the workflows of ``vouchers.transitions`` (one audit row per
move); money only through ``vouchers.ledger.post``, after the rows involved are locked in
the order ``vouchers.ledger`` documents. The services of the four modules are importable from
here by name (``settlement.batch_pay``), so callers need not know which module holds one.
"""

from vouchers.settlement.expiry import *  # noqa: F403
from vouchers.settlement.payouts import *  # noqa: F403
from vouchers.settlement.redemption import *  # noqa: F403
from vouchers.settlement.use import *  # noqa: F403
