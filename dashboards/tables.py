"""Every dashboard table as one ``mapsite.tables.Table``, rendered on screen and exported
from the same rows and the same filters, so an export is the table the user saw."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from catalog.models import InstitutionKind, ServiceCategory
from dashboards import selectors as sel
from dashboards.filters import Filters
from dashboards.models import CATEGORIES, KINDS, Side, Stage
from geodata.selectors import region_directory
from mapsite.tables import Column, Table

STAGES = list(Stage)


# --- builders ---------------------------------------------------------------------------------

STAGE_COLUMNS = [
    col for s in STAGES for col in (Column(f"{s.label}笔数", "int"), Column(f"{s.label}金额（元）", "money"))
]


def _stage_cells(values: dict) -> list:
    cells = []
    for s in STAGES:
        n, amount = values.get(s.value, (0, Decimal("0")))
        cells += [n, amount]
    return cells


def region_link(adcode: int, f: Filters) -> str:
    return reverse("dashboards:region", args=[adcode]) + "?" + urlencode(f.query(region=None))


def choropleth_table(scope: sel.Scope, f: Filters, rows: list[dict] | None = None) -> Table:
    rows = rows if rows is not None else sel.region_totals(scope, f)
    stage = Stage(f.stage).label
    first = Column("区县" if f.level == "county" else "地级市")
    columns = (
        [first]
        + ([Column("所属市")] if f.level == "county" else [])
        + [
            Column(f"{stage}笔数", "int"),
            Column(f"{stage}金额（元）", "money"),
        ]
    )
    table = Table("choropleth", f"各{'区县' if f.level == 'county' else '市'}创新券{stage}情况", columns)
    for r in rows:
        table.rows.append([r["name"]] + ([r["city"]] if f.level == "county" else []) + [r["n"], r["amount"]])
        table.links.append(region_link(r["adcode"], f))
    n, amount = sum(r["n"] for r in rows), sum((r["amount"] for r in rows), Decimal("0"))
    table.footer = ["合计"] + ([""] if f.level == "county" else []) + [n, amount]
    unknown = sel.unknown_county_totals(scope, f)
    if unknown[0]:
        table.note = f"另有 {unknown[0]} 笔（{unknown[1]:,.2f} 元）申领企业未登记所在区县，未计入上表。"
    return table


def _breakdown_table(key: str, title: str, first: list[Column], keyed: list[tuple[list, dict, str | None]]) -> Table:
    table = Table(key, title, first + STAGE_COLUMNS)
    totals: dict[str, list] = {s.value: [0, Decimal("0")] for s in STAGES}
    for head, values, link in keyed:
        table.rows.append(head + _stage_cells(values))
        table.links.append(link)
        for stage, (n, amount) in values.items():
            totals[stage][0] += n
            totals[stage][1] += amount
    table.footer = ["合计"] + [""] * (len(first) - 1) + _stage_cells({k: tuple(v) for k, v in totals.items()})
    return table


def by_region_table(scope: sel.Scope, f: Filters, data: sel.Breakdown | None = None) -> Table:
    data = data or sel.breakdown(scope, f)
    names = region_directory()
    cities = sel.county_cities(names)
    counties = sorted(c for c in cities if scope.covers(c))
    keyed = [
        ([names[c].name, names[cities[c]].name if cities[c] != c else ""], data.by_county.get(c, {}), region_link(c, f))
        for c in counties
    ]
    if scope.is_province and data.by_county.get(0):
        keyed.append((["（未登记区县）", ""], data.by_county[0], None))
    return _breakdown_table("by_region", "分地区统计", [Column("区县"), Column("所属市")], keyed)


def by_kind_table(scope: sel.Scope, f: Filters, data: sel.Breakdown | None = None) -> Table:
    data = data or sel.breakdown(scope, f)
    labels = dict(InstitutionKind.choices)
    keyed = [([labels[k]], data.by_kind.get(k, {}), None) for k in KINDS]
    return _breakdown_table("by_kind", "分机构类型统计", [Column("机构类型")], keyed)


def by_category_table(scope: sel.Scope, f: Filters, data: sel.Breakdown | None = None) -> Table:
    data = data or sel.breakdown(scope, f)
    labels = dict(ServiceCategory.choices)
    keyed = [([labels[c]], data.by_category.get(c, {}), None) for c in CATEGORIES]
    return _breakdown_table("by_category", "分服务类别统计", [Column("服务类别")], keyed)


def by_month_table(scope: sel.Scope, f: Filters, data: sel.Breakdown | None = None) -> Table:
    data = data or sel.breakdown(scope, f)
    keyed = [([f"{m:%Y-%m}"], data.by_month.get(m, {}), None) for m in sel.months_of(f)]
    return _breakdown_table("by_month", "分月统计（趋势）", [Column("月份")], keyed)


def _top_table(scope: sel.Scope, f: Filters, side: str) -> Table:
    rows = sel.top_organisations(scope, f, side)
    stage = Stage(f.stage).label
    if side == Side.INSTITUTION:
        columns = [Column("排名", "int"), Column("服务机构"), Column("所在地区"), Column("机构类型")]
        title = f"服务机构排行（按{stage}金额）"
    else:
        columns = [Column("排名", "int"), Column("创新主体"), Column("所在地区")]
        title = f"创新主体排行（按{stage}金额）"
    columns += [Column(f"{stage}笔数", "int"), Column(f"{stage}金额（元）", "money")]
    table = Table(
        f"top_{side}s",
        title,
        columns,
        note="排行榜按所选月份、地区和环节统计；服务类别筛选不适用"
        + ("。" if side == Side.INSTITUTION else "，机构类型筛选也不适用。"),
    )
    for r in rows:
        head = [r["rank"], r["name"], r["county"]] + ([r["kind"]] if side == Side.INSTITUTION else [])
        table.rows.append(head + [r["n"], r["amount"]])
    return table


def top_institutions_table(scope: sel.Scope, f: Filters) -> Table:
    return _top_table(scope, f, Side.INSTITUTION)


def top_enterprises_table(scope: sel.Scope, f: Filters) -> Table:
    return _top_table(scope, f, Side.ENTERPRISE)


def review_times_table(scope: sel.Scope, f: Filters) -> Table:
    table = Table(
        "review_times",
        "各环节审核用时与时限",
        [
            Column("审核环节"),
            Column("完成件数", "int"),
            Column("平均用时（工作日）", "days"),
            Column("最长（工作日）", "int"),
            Column("时限（工作日）", "int"),
            Column("超期件数", "int"),
            Column("超期比例", "percent"),
            Column("当前待审", "int"),
            Column("其中已超期", "int"),
        ],
        note="用时按工作日计（法定节假日与调休以日历表为准）；完成件数按审核完成时间落在所选月份统计，待审为当前状态。",
    )
    for r in sel.review_times(scope, f):
        table.rows.append(
            [
                r["label"],
                r["count"],
                r["average"],
                r["longest"],
                r["deadline"],
                r["late"],
                r["late_share"],
                r["waiting"],
                r["waiting_late"],
            ]
        )
    return table


SHARING_NOTE = (
    "有效机时：已开展（服务中、已完成、已评价）的机时预约时长；对外服务机时：其中由其他单位预约的时长；"
    "共享率 = 对外服务机时 ÷ 有效机时；开放机时：按开放日与开放时段（非全周开放的仪器法定节假日不开放）计至今日；"
    "利用率 = 有效机时 ÷ 开放机时。平台只记录经平台预约的使用，本单位自用机时未在平台登记。"
)


def sharing_instruments_table(scope: sel.Scope, f: Filters, rows: list[dict] | None = None) -> Table:
    rows = rows if rows is not None else sel.sharing_by_instrument(scope, f)
    table = Table(
        "sharing_instruments",
        "仪器共享指标（按仪器）",
        [
            Column("仪器"),
            Column("类别"),
            Column("服务机构"),
            Column("地区"),
            Column("有效机时", "number"),
            Column("对外服务机时", "number"),
            Column("共享率", "percent"),
            Column("开放机时", "number"),
            Column("利用率", "percent"),
            Column("送样次数", "int"),
        ],
        note=SHARING_NOTE,
    )
    for r in rows:
        table.rows.append(
            [
                r["name"],
                r["category"],
                r["institution"],
                r["county"],
                r["hours"],
                r["outside_hours"],
                r["sharing_rate"],
                r["open_hours"],
                r["utilisation"],
                r["samples"],
            ]
        )
        table.links.append(reverse("catalog:instrument", args=[r["instrument_id"]]))
    return table


def sharing_institutions_table(scope: sel.Scope, f: Filters, instruments: list[dict] | None = None) -> Table:
    instruments = instruments if instruments is not None else sel.sharing_by_instrument(scope, f)
    table = Table(
        "sharing_institutions",
        "仪器共享指标（按机构）",
        [
            Column("服务机构"),
            Column("地区"),
            Column("仪器数", "int"),
            Column("有效机时", "number"),
            Column("对外服务机时", "number"),
            Column("共享率", "percent"),
            Column("开放机时", "number"),
            Column("利用率", "percent"),
            Column("送样次数", "int"),
        ],
        note=SHARING_NOTE,
    )
    for r in sel.sharing_by_institution(instruments):
        table.rows.append(
            [
                r["institution"],
                r["county"],
                r["instruments"],
                r["hours"],
                r["outside_hours"],
                r["sharing_rate"],
                r["open_hours"],
                r["utilisation"],
                r["samples"],
            ]
        )
        table.links.append(reverse("catalog:institution", args=[r["institution_id"]]))
    return table


#: Exportable tables of the scoped dashboards: key → builder(scope, filters).
TABLES: dict[str, Callable[[sel.Scope, Filters], Table]] = {
    "choropleth": choropleth_table,
    "by_region": by_region_table,
    "by_kind": by_kind_table,
    "by_category": by_category_table,
    "by_month": by_month_table,
    "top_institutions": top_institutions_table,
    "top_enterprises": top_enterprises_table,
    "review_times": review_times_table,
    "sharing_instruments": sharing_instruments_table,
    "sharing_institutions": sharing_institutions_table,
}
