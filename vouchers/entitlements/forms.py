"""Forms of the wallet and claims pages (entitlements, 额度)."""

from __future__ import annotations

from decimal import Decimal

from django import forms


class QuotaClaimForm(forms.Form):
    """Henan: claim the fixed quota with the user integrity pledge."""

    pledge = forms.BooleanField(
        label="本单位已阅读并签署《用户诚信承诺书》，承诺所填信息真实、创新券仅用于本单位研发活动",
        required=False,
    )


class AmountClaimForm(forms.Form):
    """Zhejiang: claim any amount within the caps."""

    amount = forms.DecimalField(
        label="申领金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class ApplicationForm(forms.Form):
    """Jiangsu: the yearly application with its stamped form."""

    staff = forms.IntegerField(label="职工人数", min_value=0)
    industry = forms.CharField(label="所属行业", max_length=100)
    revenue = forms.DecimalField(
        label="上年度营业收入（元）",
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text="上年度营业收入不超过 4 亿元。",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    zone = forms.CharField(label="所在高新区（如有）", max_length=100, required=False)
    stamped_form = forms.FileField(label="盖章申请表（PDF 或图片）", help_text="下载申请表、加盖公章后扫描上传。")


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label="审核意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectForm(forms.Form):
    """Henan: the R&D project registered before ordering (项目登记)."""

    title = forms.CharField(label="项目名称", max_length=200)
    summary = forms.CharField(label="研究内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(
        label="项目预算（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))


class ClaimCapsForm(forms.Form):
    """A bureau's claim caps; amounts are checked by ``entitlements.claim_caps_set``."""

    claim_year_cap = forms.CharField(label="年度累计申领上限（元）", required=False, help_text="留空沿用全省上限")
    claim_each_cap = forms.CharField(label="单次申领上限（元）", required=False, help_text="留空沿用全省上限")
    holding_cap = forms.CharField(label="持有未用额度上限（元）", required=False, help_text="留空沿用全省上限")
