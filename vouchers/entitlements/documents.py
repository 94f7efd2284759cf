"""Jiangsu's 企业申领创新券信息表 as a PDF: the filled application form the applicant prints,
stamps, signs and uploads (two-step application, ``services.application_form_pdf``).

Rendered by WeasyPrint from ``templates/vouchers/pdf/application.html`` exactly as the
contract is (``vouchers.contracts.documents``): the same offline URL fetcher and CJK fonts,
the province profile's names. Rendering only reads the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from accounts import province as province_profile
from accounts.models import BankAccount
from vouchers.contracts.documents import CJK_FONTS, pdf_from_html, yuan
from vouchers.models import EntitlementClaim

TYPE_LABELS = {
    "tech_sme": "科技型中小企业",
    "high_tech": "高新技术企业",
    "incubated": "入孵化器企业",
    "talent": "人才企业",
}


def application_rows(claim: EntitlementClaim) -> list[tuple[str, str]]:
    """The type's own rows of the form (label, value), as the guide lists them."""
    form = claim.form or {}
    kind = form.get("kind", "")
    rows: list[tuple[str, str]] = []
    if kind == "tech_sme":
        rows.append(("科小入库编号", form.get("qualification_number", "")))
    elif kind == "high_tech":
        rows += [("高企证书编号", form.get("qualification_number", "")), ("发证日期", form.get("certificate_date", ""))]
    elif kind == "incubated":
        rows += [
            ("入驻的孵化器名称", form.get("incubator_name", "")),
            ("孵化器运营主体", form.get("incubator_operator", "")),
            ("运营主体统一社会信用代码", form.get("incubator_credit_code", "")),
            ("入孵证明（盖章）", "已上传" if claim.evidence else "未上传"),
        ]
    elif kind == "talent":
        rows += [
            ("人才姓名", form.get("talent_name", "")),
            ("人才计划/项目名称", form.get("talent_programme", "")),
            ("人才计划/项目级别", form.get("talent_level", "") or "—"),
            ("人才相关证明材料", "已上传" if claim.evidence else "未上传"),
        ]
    return rows


def revenue_text(claim: EntitlementClaim) -> str:
    raw = (claim.form or {}).get("revenue", "")
    try:
        return f"{Decimal(raw):,.2f}"
    except ArithmeticError:
        return str(raw)


def render_application_html(claim: EntitlementClaim) -> str:
    org = claim.organisation
    form = claim.form or {}
    bank = BankAccount.objects.filter(organisation=org).first()
    region = org.region
    return render_to_string(
        "vouchers/pdf/application.html",
        {
            "claim": claim,
            "org": org,
            "form": form,
            "province": province_profile.current(),
            "type_label": TYPE_LABELS.get(form.get("kind", ""), form.get("kind", "")),
            "type_rows": application_rows(claim),
            "revenue": revenue_text(claim),
            "amount": yuan(claim.amount),
            "bank": bank,
            "region_name": " ".join(r.name for r in (region.parent, region) if r) if region else "",
            "fonts": {name: path.as_uri() for name, path in CJK_FONTS.items()},
            "generated_at": f"{timezone.localtime():%Y年%-m月%-d日 %H:%M}",
        },
    )


def render_application_pdf(claim: EntitlementClaim) -> bytes:
    return pdf_from_html(render_application_html(claim))
