"""Two settings pages: an organisation's payee bank account (收款账户) and the centre's
platform settings (the deployment's province profile). Each page has one form, so its POST
goes to the page's own URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import province, services
from accounts.actors import only
from accounts.forms import BankAccountForm, ProvinceProfileForm
from accounts.models import BankAccount, Role
from mapsite.forms import apply_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def bank_account(request):
    org = request.user.organisation
    if org is None or request.user.role not in (Role.APPLICANT, Role.INSTITUTION):
        raise PermissionDenied("只有创新主体和服务机构设置收款账户。")
    account = BankAccount.objects.filter(organisation=org).first()
    initial = {"account_name": org.name}
    if account:
        initial = {name: getattr(account, name) for name in services.BANK_FIELDS}
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_save(org=org, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "收款账户已保存。")
            return redirect("accounts:bank_account")
    return render(
        request,
        "accounts/bank_account.html",
        {"form": form, "account": account, "org": org},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def province_settings(request):
    if request.user.role != Role.CENTRE:
        raise PermissionDenied(only("修改平台信息"))
    profile = province.current()
    form = ProvinceProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            province.profile_save(by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "平台信息已保存，新的名称和编号前缀即时生效。")
            return redirect("accounts:province")
    profile.refresh_from_db()
    return render(
        request,
        "accounts/province.html",
        {"form": form, "profile": profile},
        status=400 if request.method == "POST" else 200,
    )
