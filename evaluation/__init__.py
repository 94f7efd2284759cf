"""Institutions' annual evaluation and subsidy (SPEC §5.5), its own app since issue #11.

Layer: above ``vouchers`` (it reads redemptions, uses and objections) and below
``dashboards`` (which only reads the results). It writes its own results and rules, and
suspends a poorly rated institution that did not rectify through
``accounts.services.listing_suspend`` — never by setting a status itself.

TODO(#11 item 5): the subsidy is computed, stored and exported, but not yet paid. It is to
become a payable paid through the voucher ledger and a payout batch from the centre's budget;
that waits for the ledger being rebuilt in ``vouchers`` (one ledger module, typed legs). Until
then ``EvaluationResult.subsidy`` is the approved amount and nothing moves money.
"""
