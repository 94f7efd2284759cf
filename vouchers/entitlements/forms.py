"""Forms of the wallet and claims pages (entitlements, 额度)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from vouchers.entitlements.services import revenue_limit_text


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


APPLICATION_KINDS = [
    ("tech_sme", "科技型中小企业（科小）"),
    ("high_tech", "高新技术企业（高企）"),
    ("incubated", "在孵企业"),
    ("talent", "人才企业"),
]


class ApplicationForm(forms.Form):
    """Jiangsu: the yearly application (企业申领创新券信息表) with the type's evidence; the
    printed form comes back stamped in a second step (:class:`StampedFormForm`)."""

    founded_on = forms.DateField(
        label="注册成立时间",
        help_text="以营业执照为准；提交后记入单位信息，以后各年度的申请沿用。",
        # ISO: a date input takes no other (the zh-hans input format is 2015/06/18)
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label="所属企业类型", choices=APPLICATION_KINDS, widget=forms.RadioSelect)
    staff = forms.IntegerField(label="员工人数", min_value=0)
    industry = forms.CharField(label="所属行业", max_length=100)
    revenue = forms.DecimalField(
        label="上年度营业收入（万元）",
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    zone = forms.CharField(label="所在省级以上高新区（如有）", max_length=100, required=False)
    qualification_number = forms.CharField(
        label="资格编号",
        max_length=64,
        required=False,
        help_text="科小：本年度科技型中小企业入库编号；高企：高新技术企业证书编号。",
    )
    certificate_date = forms.DateField(
        label="高企证书发证日期",
        required=False,
        help_text="高企证书须在 3 年有效期内。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    incubator_name = forms.CharField(label="入驻的孵化器名称（在孵企业）", max_length=100, required=False)
    incubator_operator = forms.CharField(label="孵化器运营主体（在孵企业）", max_length=100, required=False)
    incubator_credit_code = forms.CharField(label="运营主体统一社会信用代码（在孵企业）", max_length=40, required=False)
    talent_name = forms.CharField(label="人才姓名（人才企业）", max_length=100, required=False)
    talent_programme = forms.CharField(label="人才计划/项目名称（人才企业）", max_length=100, required=False)
    talent_level = forms.CharField(label="人才计划/项目级别（人才企业）", max_length=40, required=False)
    financial_report = forms.FileField(label="上年度财务报表或财务审计报告（PDF 或图片）")
    evidence = forms.FileField(
        label="资格证明材料（在孵企业：盖章的入孵证明；人才企业：入选证明及关系证明）", required=False
    )

    def __init__(self, *args, revenue_limit: Decimal | None = None, founded_on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The year's policy sets the limit (万元; none: no limit); the service checks it.
        if revenue_limit is not None:
            self.fields["revenue"].help_text = f"上年度营业收入不超过 {revenue_limit_text(revenue_limit)}。"
        # The founding date the organisation's record holds is shown, not asked again: a
        # disabled field keeps it whatever is posted (the service checks it against the record).
        if founded_on is not None:
            field = self.fields["founded_on"]
            field.initial, field.disabled = founded_on, True
            field.help_text = "取自单位信息；如有误，请联系平台管理员更正。"


class StampedFormForm(forms.Form):
    """Jiangsu's second step: the printed 信息表, signed and stamped."""

    stamped_form = forms.FileField(
        label="盖章申领表（PDF 或图片）", help_text="下载申领表，打印、签字并加盖公章后扫描上传。"
    )


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
    """A bureau's claim caps; amounts are checked by ``entitlements.claim_caps_set``.
    ``above``: each cap of the higher levels as (figure, level name), shown beside its field."""

    claim_year_cap = forms.CharField(label="年度累计申领上限（元）", required=False, help_text="留空沿用上级上限")
    claim_each_cap = forms.CharField(label="单次申领上限（元）", required=False, help_text="留空沿用上级上限")
    holding_cap = forms.CharField(label="持有未用额度上限（元）", required=False, help_text="留空沿用上级上限")

    def __init__(self, *args, above: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (figure, level) in (above or {}).items():
            field = self.fields[name]
            field.widget.attrs.update(inputmode="decimal")
            if figure is None:
                field.help_text = f"留空则{level}不设此项上限。"
            else:
                field.help_text = f"留空沿用{level}上限 {figure:,.2f} 元；只能收紧，不能高于该上限。"
