"""Institutions' annual evaluation and subsidy (SPEC §5.5), its own app since issue #11.

Layer: above ``vouchers`` (it reads redemptions, uses and objections) and below
``dashboards`` (which only reads the results). It writes its own results and rules, and
suspends a poorly rated institution that did not rectify through
``accounts.services.listing_suspend`` — never by setting a status itself.

The subsidy is paid through the voucher services, never written here as money: the centre
grants a year's subsidies (each result's amount becomes a ``vouchers.Subsidy`` payable in the
ledger, linked as ``EvaluationResult.payable``), gathers them into a subsidy payout batch and
pays it from the province budget like any batch (see ``evaluation.services``).
"""
