"""Dashboard parameters: parsed and checked once, for pages, exports and the API alike.

Every dashboard aggregates by calendar month, so a date range is a range of whole months:
``from=2025-01`` (a full date such as ``2025-01-15`` means its month) ``to=2025-12``, both
included. Without them the range is the twelve months ending with the current one.

Bad input raises ``django.core.exceptions.ValidationError`` with the field named; the API
turns it into HTTP 400 JSON and the pages show it above the filters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils import timezone

from dashboards.models import CATEGORIES, KINDS, Basis, Stage
from geodata.points import BBox, CoordinateError, parse_bbox

MEASURES = ("amount", "count")
REGION_LEVELS = ("county", "city")
MAX_MONTHS = 120
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")

LABELS = {
    "from": "起始月份",
    "to": "截止月份",
    "stage": "环节",
    "measure": "指标",
    "kind": "机构类型",
    "category": "服务类别",
    "region": "地区",
    "basis": "位置",
    "level": "区划级别",
    "bbox": "地图范围",
    "group": "分组",
    "year": "年度",
}


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def default_months(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    last = today.replace(day=1)
    return month_from_index(month_index(last) - 11), last


def parse_month(raw: str) -> dt.date:
    match = _MONTH.match(raw.strip())
    if not match:
        raise ValueError("须为 YYYY-MM 格式的月份。")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 2000 <= year <= 2100:
        raise ValueError("年份须在 2000–2100 之间。")
    try:
        dt.date(year, month, int(day) if day else 1)
    except ValueError as exc:
        raise ValueError("不是有效的日期。") from exc
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class Filters:
    month_from: dt.date
    month_to: dt.date
    stage: str = Stage.USED
    measure: str = "amount"
    kind: str = ""
    category: str = ""
    region: int | None = None
    basis: str = Basis.ENTERPRISE
    level: str = "county"
    bbox: BBox | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def months(self) -> int:
        return month_index(self.month_to) - month_index(self.month_from) + 1

    def query(self, **override) -> dict[str, str]:
        """The filters as GET parameters (for links and export URLs)."""
        f = replace(self, **override) if override else self
        out = {
            "from": f"{f.month_from:%Y-%m}",
            "to": f"{f.month_to:%Y-%m}",
            "stage": f.stage,
            "measure": f.measure,
            "basis": f.basis,
            "level": f.level,
        }
        if f.kind:
            out["kind"] = f.kind
        if f.category:
            out["category"] = f.category
        if f.region:
            out["region"] = str(f.region)
        return out


def _choice(value: str, choices, name: str, errors: dict, default: str) -> str:
    if value == "":
        return default
    if value not in choices:
        errors[name] = [f"无效的选项：{value[:40]}"]
        return default
    return value


def parse_filters(params, *, today: dt.date | None = None) -> Filters:
    """``params``: a QueryDict or dict of strings. Raises ValidationError naming each bad field."""

    def get(name: str) -> str:
        value = params.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    errors: dict[str, list[str]] = {}
    first, last = default_months(today)
    month_from, month_to = first, last
    for name in ("from", "to"):
        raw = get(name)
        if raw:
            try:
                value = parse_month(raw)
            except ValueError as exc:
                errors[name] = [str(exc)]
                continue
            if name == "from":
                month_from = value
            else:
                month_to = value
    if "from" not in errors and "to" not in errors:
        if get("from") and not get("to"):
            month_to = max(month_from, min(last, month_from_index(month_index(month_from) + 11)))
        elif get("to") and not get("from"):
            month_from = month_from_index(month_index(month_to) - 11)
        if month_to < month_from:
            errors["to"] = ["截止月份不能早于起始月份。"]
        elif month_index(month_to) - month_index(month_from) + 1 > MAX_MONTHS:
            errors["to"] = [f"时间范围最长 {MAX_MONTHS} 个月。"]
    stage = _choice(get("stage"), Stage.values, "stage", errors, Stage.USED)
    measure = _choice(get("measure"), MEASURES, "measure", errors, "amount")
    kind = _choice(get("kind"), KINDS, "kind", errors, "")
    category = _choice(get("category"), CATEGORIES, "category", errors, "")
    basis = _choice(get("basis"), Basis.values, "basis", errors, Basis.ENTERPRISE)
    level = _choice(get("level"), REGION_LEVELS, "level", errors, "county")
    region = None
    raw_region = get("region")
    if raw_region:
        if not raw_region.isdigit() or not 100000 <= int(raw_region) <= 999999:
            errors["region"] = ["须为 6 位行政区划代码。"]
        else:
            region = int(raw_region)
    bbox = None
    if get("bbox"):
        try:
            bbox = parse_bbox(get("bbox"))
        except CoordinateError as exc:
            errors["bbox"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return Filters(
        month_from=month_from,
        month_to=month_to,
        stage=stage,
        measure=measure,
        kind=kind,
        category=category,
        region=region,
        basis=basis,
        level=level,
        bbox=bbox,
    )


def error_lines(exc: ValidationError) -> list[str]:
    lines = []
    for name, messages in exc.message_dict.items():
        label = LABELS.get(name, "")
        lines += [f"{label}：{m}" if label else m for m in messages]
    return lines
