"""Pages for registration, the applicant's own file, and reviewers' queues."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import province, services
from accounts.forms import (
    DecisionForm,
    FoundedOnForm,
    LicenceForm,
    NameChangeForm,
    OrganisationForm,
    RegistrationForm,
    ScoreForm,
)
from accounts.models import CertStatus, Role
from accounts.permissions import can_review_certification
from accounts.selectors import certification_history, organisations_visible_to, review_queue
from accounts.throttling import (
    LoginRateThrottle,
    PasswordResetRateThrottle,
    RegistrationRateThrottle,
    page_throttled,
)
from accounts.tokens import tokens_revoke_all
from mapsite import uploads
from mapsite.forms import apply_service_errors


class _PostThrottled:
    """A POST over the per-address rate of ``throttle`` gets the 429 page."""

    throttle = LoginRateThrottle

    def post(self, request, *args, **kwargs):
        return page_throttled(request, self.throttle) or super().post(request, *args, **kwargs)


class LoginView(_PostThrottled, auth_views.LoginView):
    """Django's login; failed attempts are counted and locked out by django-axes."""


class PasswordChangeView(_PostThrottled, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(user=form.user)  # API clients must log in with the new password
        return response


class PasswordResetView(_PostThrottled, auth_views.PasswordResetView):
    throttle = PasswordResetRateThrottle
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_extra_email_context(self):
        # The link is built from SITE_URL, never from the request's Host header.
        return {
            "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "site_url": settings.SITE_URL,
            "province": province.current(),  # e-mails are rendered without context processors
        }

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(user=form.user)
        return response


@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "POST" and (throttled := page_throttled(request, RegistrationRateThrottle)):
        return throttled
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = data.pop("region")
        data["region_adcode"] = region.adcode if region else None
        zone = data.pop("zone", None)
        data["zone"] = zone.pk if zone else None
        try:
            user = services.register(data=services.Registration(**data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功。请补全资料、上传证明文件后提交认证。")
            return redirect("accounts:me")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_safe
def me(request):
    return _me_page(request)


def _me_page(request, action: str | None = None):
    """The user's own organisation; with ``action`` (save, licence, submit or name_change, each
    its own POST view) the change is made first, and a refusal shows the page with errors (4xx)."""
    org = request.user.organisation
    if org is None:
        raise Http404("该账号不属于任何单位。")
    editable = org.status in services.EDITABLE_STATUSES
    form = OrganisationForm(instance=org) if editable else None
    licence_form = LicenceForm() if editable else None
    name_form = NameChangeForm() if org.status == CertStatus.CERTIFIED and org.kind != "individual" else None
    # A certified record without a founding date may have it added (once); a draft or
    # returned one edits it in the form above.
    founded_form = FoundedOnForm() if not editable and org.founded_on is None and org.is_legal_entity else None
    if action is not None:
        try:
            if action == "save" and editable:
                form = OrganisationForm(request.POST, instance=org)
                if form.is_valid():
                    fields = {f: form.cleaned_data[f] for f in form.changed_data}
                    services.organisation_update(org=org, by=request.user, fields=fields)
                    messages.success(request, "资料已保存。")
                    return redirect("accounts:me")
            elif action == "licence" and editable:
                licence_form = LicenceForm(request.POST, request.FILES)
                if licence_form.is_valid():
                    services.licence_upload(org=org, by=request.user, upload=licence_form.cleaned_data["licence"])
                    messages.success(request, "证明文件已上传。")
                    return redirect("accounts:me")
            elif action == "submit":
                services.certification_submit(org=org, by=request.user)
                messages.success(request, "已提交认证，请等待审核。")
                return redirect("accounts:me")
            elif action == "name_change" and name_form is not None:
                name_form = NameChangeForm(request.POST)
                if name_form.is_valid():
                    services.name_change_request(org=org, by=request.user, new_name=name_form.cleaned_data["new_name"])
                    messages.success(request, "名称变更申请已提交。")
                    return redirect("accounts:me")
            elif action == "founded_on" and founded_form is not None:
                founded_form = FoundedOnForm(request.POST)
                if founded_form.is_valid():
                    services.founding_date_record(
                        org=org, by=request.user, founded_on=founded_form.cleaned_data["founded_on"]
                    )
                    messages.success(request, "注册成立时间已记入单位信息。")
                    return redirect("accounts:me")
            else:
                messages.error(request, "当前状态下不能执行该操作。")
        except ValidationError as exc:
            target = {"save": form, "licence": licence_form, "name_change": name_form, "founded_on": founded_form}.get(
                action
            )
            if target is not None:
                apply_service_errors(target, exc)
            else:
                messages.error(request, "；".join(exc.messages))
        org.refresh_from_db()
    return render(
        request,
        "accounts/me.html",
        {
            "org": org,
            "form": form,
            "licence_form": licence_form,
            "name_form": name_form,
            "founded_form": founded_form,
            "history": certification_history(org),
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if action else 200,
    )


def _me_post(action: str):
    """One small POST view per action of the own-organisation page; the URL names follow it."""

    @login_required
    @require_POST
    def view(request):
        return _me_page(request, action)

    view.__name__ = view.__qualname__ = f"me_{action}"
    return view


me_save = _me_post("save")
me_licence = _me_post("licence")
me_submit = _me_post("submit")
me_name_change = _me_post("name_change")
me_founded_on = _me_post("founded_on")


@login_required
def review_list(request):
    if request.user.role not in (Role.BUREAU, Role.OPERATOR, Role.EXPERT):
        raise PermissionDenied
    return render(request, "accounts/review_list.html", {"queue": review_queue(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int):
    org = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    is_expert = request.user.role == Role.EXPERT
    can_review = can_review_certification(request.user, org)
    if not (can_review or is_expert or request.user.role in (Role.CENTRE, Role.OPERATOR, Role.BUREAU)):
        raise PermissionDenied
    form = DecisionForm(request.POST or None) if can_review else None
    score_form = ScoreForm(request.POST or None) if is_expert else None
    if request.method == "POST":
        try:
            if form is not None and form.is_valid():
                decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
                if decision == "approve":
                    services.certification_approve(org=org, by=request.user, note=note)
                elif decision == "return":
                    services.certification_return(org=org, by=request.user, reason=note)
                else:
                    services.certification_send_to_experts(org=org, by=request.user, note=note)
                messages.success(request, "审核意见已保存。")
                return redirect("accounts:review")
            if score_form is not None and score_form.is_valid():
                services.expert_score(org=org, by=request.user, **score_form.cleaned_data)
                messages.success(request, "评分已保存。")
                return redirect("accounts:review")
            if form is None and score_form is None:
                raise PermissionDenied
        except ValidationError as exc:
            apply_service_errors(form or score_form, exc)
    return render(
        request,
        "accounts/review_detail.html",
        {
            "org": org,
            "form": form,
            "score_form": score_form,
            "history": certification_history(org),
            "scores": org.expert_scores.select_related("expert"),
        },
    )


@login_required
def licence_download(request, pk: int):
    org = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    return uploads.serve(org.licence, download_name=f"证明文件-{org.pk}")


@login_required
@require_POST
def suspend(request, pk: int):
    org = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    try:
        services.listing_suspend(org=org, by=request.user, reason=request.POST.get("note", ""))
        messages.success(request, "已暂停该机构入库资格。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("accounts:review_detail", pk=pk)
