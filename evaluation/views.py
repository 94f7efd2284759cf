"""The centre's evaluation page (a tab of the dashboards) and one small POST view per action:
run, rules, rectified, suspend, and the subsidy's payout — grant the year's subsidies,
gather the granted ones into a payout batch (then approved and paid on the batch page),
cancel one unpaid subsidy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.actors import only
from evaluation import exports as evaluation_exports
from evaluation import selectors, services
from evaluation.forms import EvaluationRuleForm, NoteForm
from evaluation.models import EvaluationResult, Grade, Rectification
from evaluation.tables import evaluation_table
from mapsite.tables import CONTENT_TYPES
from notifications.exports import export_response


def _year(request) -> int:
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": ["年度须在 2000–2100 之间。"]})
    return int(raw)


def _require_centre(user) -> None:
    if not selectors.can_evaluate(user):
        raise PermissionDenied(only("进行机构年度评价"))


def _page(year: int, *, anchor: str = "") -> str:
    return f"{reverse('evaluation:index')}?year={year}{anchor}"


def _render(request, year: int, form: EvaluationRuleForm | None = None):
    rule = selectors.rule_for(year)
    form = form or EvaluationRuleForm(instance=rule)
    results = list(selectors.results_of(year))
    today = timezone.localdate()
    for r in results:
        r.can_suspend = r.rectification == Rectification.PENDING and r.rectify_by and today > r.rectify_by
        r.payout = selectors.payout_state(r)
    to_grant = [r for r in results if r.payout.code in ("to_grant", "cancelled")]
    table = evaluation_table(year)
    table.exports = {fmt: reverse("evaluation:export", args=[fmt]) + f"?year={year}" for fmt in CONTENT_TYPES}
    context = {
        "tab": "evaluation",
        # The dashboards' own tabs carry their filters; from here one link leads back to them.
        "tabs": [
            ("stats", "数据看板", reverse("dashboards:index")),
            ("evaluation", "机构年度评价", reverse("evaluation:index")),
        ],
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "rule": rule,
        "form": form,
        "results": results,
        "table": table,
        "summary": {g.value: sum(1 for r in results if r.grade == g) for g in Grade},
        "total": sum((r.subsidy for r in results), start=0),
        "note_form": NoteForm(),
        "has_policy": selectors.has_policy(year),
        "granted": selectors.year_is_granted(year),
        "to_grant": to_grant,
        "to_grant_total": sum((r.subsidy for r in to_grant), start=0),
        "unbatched": selectors.subsidies_unbatched_count(),
        "budget_year": today.year,
    }
    return render(request, "evaluation/evaluation.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def index(request):
    _require_centre(request.user)
    try:
        year = _year(request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("evaluation:index")
    return _render(request, year)


def _posted_year(request) -> int | None:
    try:
        return _year(request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return None


@login_required
@require_POST
def rules_save(request):
    _require_centre(request.user)
    year = _posted_year(request)
    if year is None:
        return redirect("evaluation:index")
    form = EvaluationRuleForm(request.POST, instance=selectors.rule_for(year))
    if form.is_valid():
        try:
            services.rule_save(by=request.user, year=year, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{year} 年度评价规则已保存，请重新运行评价使其生效。")
            return redirect(_page(year))
    return _render(request, year, form)


@login_required
@require_POST
def run(request):
    _require_centre(request.user)
    year = _posted_year(request)
    if year is None:
        return redirect("evaluation:index")
    try:
        results = services.evaluation_run(year=year, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year} 年度评价已完成：{len(results)} 家机构。")
    return redirect(_page(year))


def _act(request, pk: int, action, done: str):
    _require_centre(request.user)
    result = get_object_or_404(EvaluationResult, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(_page(result.year))
    try:
        action(result=result, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(_page(result.year, anchor=f"#result-{result.pk}"))


@login_required
@require_POST
def rectified(request, pk: int):
    return _act(request, pk, services.evaluation_rectified, "已登记整改完成。")


@login_required
@require_POST
def suspend(request, pk: int):
    return _act(request, pk, services.evaluation_suspend, "已暂停该机构的入库资格。")


@login_required
@require_POST
def subsidies_grant(request):
    _require_centre(request.user)
    year = _posted_year(request)
    if year is None:
        return redirect("evaluation:index")
    try:
        granted = services.subsidies_grant(year=year, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if granted:
            total = sum((r.subsidy for r in granted), start=0)
            messages.success(request, f"已核定 {len(granted)} 家机构的补助，合计 {total:,.2f} 元，待纳入拨付批次。")
        else:
            messages.info(request, f"{year} 年度没有新的补助需要核定。")
    return redirect(_page(year, anchor="#subsidies"))


@login_required
@require_POST
def subsidies_batch(request):
    _require_centre(request.user)
    year = _posted_year(request)
    if year is None:
        return redirect("evaluation:index")
    raw = (request.POST.get("budget_year") or "").strip()
    if not raw.isdigit():
        messages.error(request, "请填写预算年度。")
        return redirect(_page(year, anchor="#subsidies"))
    try:
        batch = services.subsidies_batch(by=request.user, budget_year=int(raw))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(_page(year, anchor="#subsidies"))
    messages.success(request, f"已生成补助拨付批次 {batch.number}，批准后即可拨付。")
    return redirect("vouchers:batch", pk=batch.pk)


@login_required
@require_POST
def subsidy_cancel(request, pk: int):
    return _act(request, pk, services.subsidy_cancel, "已撤销该机构的补助。")


@login_required
@require_safe
@never_cache
def export(request, fmt: str):
    """The year's table as CSV/Excel: at once up to ``EXPORT_SYNC_MAX_ROWS`` rows, else built
    by the worker (redirect to the job's page)."""
    _require_centre(request.user)
    if fmt not in CONTENT_TYPES:
        raise Http404
    params = {"year": request.GET.get("year", "")}
    return export_response(request, kind=evaluation_exports.KIND, params=params, fmt=fmt)
