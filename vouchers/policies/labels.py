"""The names a scheme gives the voucher states (``Policy.voucher_labels``).

Henan's applicants know their vouchers as 未支付 / 已支付 / 兑付成功 / 兑付失败 / 已过期 (the guide's
我的电子券); other provinces keep the default names of :class:`~vouchers.models.VoucherStatus`.
The codes never change: the label is a second field beside them (``status_label``).

兑付失败 is not a status of its own: a voucher whose latest redemption was returned (or then
withdrawn) is back in ``used`` (``transitions.VOUCHER`` "return"); the label key
``redemption_failed`` names that case, and falls back to the status's own name where the
scheme does not name it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery

from vouchers.models import RedemptionItem, RedemptionStatus, Voucher, VoucherStatus
from vouchers.policies.records import province_policy

REDEMPTION_FAILED = "redemption_failed"
FAILED_REDEMPTIONS = (RedemptionStatus.RETURNED, RedemptionStatus.WITHDRAWN)
LABEL_KEYS = (*VoucherStatus.values, REDEMPTION_FAILED)
LABEL_MAX = 20


def validate_labels(labels) -> list[str]:
    """The errors of a policy's ``voucher_labels`` (an object of known keys to short names)."""
    if not isinstance(labels, dict):
        return ["创新券状态名称须是“状态代码: 名称”的对象。"]
    errors = []
    unknown = sorted(set(labels) - set(LABEL_KEYS))
    if unknown:
        errors.append(f"未知的创新券状态：{'、'.join(map(str, unknown))}（可用 {'、'.join(LABEL_KEYS)}）。")
    for key, value in labels.items():
        if not isinstance(value, str) or not value.strip() or len(value) > LABEL_MAX:
            errors.append(f"状态 {key} 的名称须为 1–{LABEL_MAX} 个字。")
    return errors


# How the centre's page names each key on the left of "状态=名称" (the codes are read too).
KEY_NAMES = {**dict(VoucherStatus.choices), REDEMPTION_FAILED: "兑付退回"}
_KEY_OF_NAME = {name: key for key, name in KEY_NAMES.items()} | {key: key for key in LABEL_KEYS}


def labels_text(labels: dict | None) -> str:
    """``{"issued": "未支付"}`` → ``"已生效=未支付"``, one state a line, in the states' order."""
    labels = labels or {}
    return "\n".join(f"{KEY_NAMES[key]}={labels[key]}" for key in LABEL_KEYS if key in labels)


def parse_labels(text: str) -> dict:
    """The centre's "状态=名称" lines → ``voucher_labels``; the state is its default name (已生效,
    兑付退回 …) or its code. Refuses unknown states, repeated states and bad names in Chinese."""
    labels: dict[str, str] = {}
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        state, sep, name = line.replace("＝", "=").partition("=")
        state, name = state.strip(), name.strip()
        if not sep:
            errors.append(f"第 {number} 行须写成“状态=名称”，如 已生效=未支付。")
            continue
        key = _KEY_OF_NAME.get(state)
        if key is None:
            errors.append(f"第 {number} 行：未知的创新券状态“{state}”（可用 {'、'.join(KEY_NAMES.values())}）。")
        elif key in labels:
            errors.append(f"第 {number} 行：状态“{state}”重复。")
        elif not name or len(name) > LABEL_MAX:
            errors.append(f"第 {number} 行：状态“{state}”的名称须为 1–{LABEL_MAX} 个字。")
        else:
            labels[key] = name
    if errors:
        raise ValidationError(errors)
    return labels


def with_last_redemption(vouchers: QuerySet[Voucher]) -> QuerySet[Voucher]:
    """Annotate each voucher with its latest redemption's status (one query for a list)."""
    latest = RedemptionItem.objects.filter(voucher=OuterRef("pk")).order_by("-redemption__submitted_at", "-pk")
    return vouchers.annotate(last_redemption_status=Subquery(latest.values("redemption__status")[:1]))


def _last_redemption_status(voucher: Voucher) -> str | None:
    if hasattr(voucher, "last_redemption_status"):
        return voucher.last_redemption_status
    item = (
        RedemptionItem.objects.filter(voucher=voucher)
        .order_by("-redemption__submitted_at", "-pk")
        .values_list("redemption__status", flat=True)
        .first()
    )
    return item


def state_key(voucher: Voucher) -> str:
    """The voucher's status code, or ``redemption_failed`` for a used voucher whose latest
    redemption was returned or withdrawn."""
    if voucher.status == VoucherStatus.USED and _last_redemption_status(voucher) in FAILED_REDEMPTIONS:
        return REDEMPTION_FAILED
    return voucher.status


class Labeller:
    """Labels vouchers by their year's scheme, reading each year's policy once."""

    def __init__(self) -> None:
        self._labels: dict[int, dict] = {}

    def labels(self, year: int) -> dict:
        if year not in self._labels:
            self._labels[year] = province_policy(year).voucher_labels or {}
        return self._labels[year]

    def __call__(self, voucher: Voucher) -> str:
        labels = self.labels(voucher.year)
        key = state_key(voucher)
        if key in labels:
            return labels[key]
        if key != voucher.status and voucher.status in labels:
            return labels[voucher.status]
        return VoucherStatus(voucher.status).label


def status_label(voucher: Voucher) -> str:
    return Labeller()(voucher)


def label_all(vouchers: Iterable[Voucher]) -> list[Voucher]:
    """The vouchers as a list, each with ``status_label`` set."""
    labeller = Labeller()
    rows = list(vouchers)
    for v in rows:
        v.status_label = labeller(v)
    return rows


def status_choices(year: int) -> list[tuple[str, str]]:
    """The list filter's entries, named as ``year``'s scheme names them: one entry per name
    (Henan's 已支付 is ``used,redeeming``), with 兑付失败 where the scheme names it. The value
    is what :func:`filter_by` reads."""
    labels = Labeller().labels(year)
    keys = [*VoucherStatus.values[:2], REDEMPTION_FAILED, *VoucherStatus.values[2:]]
    grouped: dict[str, list[str]] = {}
    for key in keys:
        if key == REDEMPTION_FAILED and key not in labels:
            continue  # not a state of its own where the scheme does not name it
        name = labels.get(key) or VoucherStatus(key).label
        grouped.setdefault(name, []).append(key)
    return [(",".join(group), name) for name, group in grouped.items()]


def filter_by(vouchers: QuerySet[Voucher], value: str, year: int) -> tuple[QuerySet[Voucher], str]:
    """``vouchers`` (annotated by :func:`with_last_redemption`) in the filter entry ``value``
    of :func:`status_choices`, returned with the entry to show as selected.

    A single state code (``used``, as the home tiles link) is understood under every scheme:
    it filters that state alone, and the entry holding it is shown (Henan's 已支付 for
    ``used``). Any other unknown value filters nothing and is returned empty."""
    choices = dict(status_choices(year))
    if value in choices:
        keys, selected = set(value.split(",")), value
    elif value in LABEL_KEYS:
        keys = {value}
        selected = next((entry for entry in choices if value in entry.split(",")), "")
    else:
        return vouchers, ""
    failed = Q(status=VoucherStatus.USED, last_redemption_status__in=FAILED_REDEMPTIONS)
    wanted = Q(status__in=keys & set(VoucherStatus.values))
    if REDEMPTION_FAILED in keys:
        wanted |= failed
    elif REDEMPTION_FAILED in Labeller().labels(year):  # 兑付失败 is its own entry: not "used"
        wanted &= ~failed | Q(last_redemption_status__isnull=True)
    return vouchers.filter(wanted), selected
