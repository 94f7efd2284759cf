"""The evaluation's table, shown and exported from the same rows (``mapsite.tables``)."""

from __future__ import annotations

from decimal import Decimal

from evaluation.models import Grade
from evaluation.selectors import payout_state, results_of
from mapsite.tables import Column, Table


def evaluation_table(year: int) -> Table:
    """The year's results as stored (the page's table and its CSV/Excel export)."""
    grades = dict(Grade.choices)
    table = Table(
        "evaluation",
        f"{year}年度服务机构评价与补助",
        [
            Column("服务机构"),
            Column("事业单位"),
            Column("区内机构"),
            Column("兑付券数", "int"),
            Column("兑付金额（元）", "money"),
            Column("服务收入（元）", "money"),
            Column("平均评分", "number"),
            Column("评价数", "int"),
            Column("投诉", "int"),
            Column("评价结果"),
            Column("评价理由"),
            Column("公益服务合同", "int"),
            Column("补助比例", "percent"),
            Column("按兑付额补助（元）", "money"),
            Column("公益服务补助（元）", "money"),
            Column("封顶前合计（元）", "money"),
            Column("核定补助（元）", "money"),
            Column("说明"),
            Column("整改"),
            Column("补助拨付"),
        ],
    )
    for r in results_of(year):
        table.rows.append(
            [
                r.institution.organisation.name,
                "是" if r.is_public else "否",
                "是" if r.in_region else "否",
                r.redeemed_count,
                r.redeemed_amount,
                r.service_income,
                float(r.rating_mean) if r.rating_mean is not None else None,
                r.rating_count,
                r.complaints,
                grades[r.grade],
                "；".join(r.reasons),
                r.public_benefit_contracts,
                float(r.subsidy_rate * 100),
                r.subsidy_base,
                r.subsidy_public_benefit,
                r.subsidy_uncapped,
                r.subsidy,
                r.subsidy_note,
                r.get_rectification_display() if r.rectification else "",
                payout_state(r).label,
            ]
        )
    if table.rows:
        total = sum((r[16] for r in table.rows), Decimal("0"))
        table.footer = ["合计"] + [""] * 15 + [total, "", "", ""]
    return table
