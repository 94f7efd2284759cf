"""The voucher service contract as PDF, QR codes, and amounts in Chinese capital numerals.

The PDF is rendered by WeasyPrint from ``templates/vouchers/pdf/contract.html``. Rendering
reads the database (the subsidy is re-computed to show its steps) but never writes it, and
fetches nothing from the network: the only URLs WeasyPrint may open are the CJK font files
below and ``data:`` URLs, so neither a template change nor text typed by a user can make
the server read other local files or call out.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import province as province_profile
from vouchers.contracts.services import subsidy_for
from vouchers.models import Contract, ContractStatus, PayeeRule, ProofBy, ScopeUse
from vouchers.names import contract_status_label
from vouchers.policies.schemes import chain_text
from vouchers.policies.words import REGISTRATION, contract_words, is_order

# Debian's fonts-noto-cjk (``fc-list :lang=zh``). Each .ttc collection holds the JP, KR, SC,
# TC and HK faces over one shared glyph set; fontconfig hands WeasyPrint the first (JP) face,
# and because the template says ``lang="zh-CN"`` HarfBuzz applies the font's ``locl``
# feature, so the glyphs drawn are the Simplified Chinese forms (令, 骨, 海 differ visibly).
CJK_FONT_DIR = Path(getattr(settings, "CJK_FONT_DIR", "/usr/share/fonts/opentype/noto"))
CJK_FONTS = {
    "body": CJK_FONT_DIR / "NotoSerifCJK-Regular.ttc",  # 宋体-like text
    "heading": CJK_FONT_DIR / "NotoSansCJK-Bold.ttc",  # 黑体-like headings
}

# --- Amounts in words (大写金额) ----------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")
_SECTIONS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals: inner zeros read as one 零, trailing zeros as nothing."""
    out, zero = "", False
    for digit, place in zip(f"{n:04d}", _PLACES, strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out, zero = out + "零", False
        out += _DIGITS[int(digit)] + place
    return out


def _yuan_in_words(n: int) -> str:
    sections = []
    while n:
        n, rest = divmod(n, 10000)
        sections.append(rest)
    words, gap = "", False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            gap = bool(words)
            continue
        # 壹拾万零伍佰: a zero between sections, or a section with fewer than four digits
        # after a higher one, is read as 零.
        if words and (gap or section < 1000):
            words += "零"
        words += _four_digits(section) + _SECTIONS[index]
        gap = False
    return words


def amount_in_words(amount) -> str:
    """人民币大写 as banks and contracts write it (《支付结算办法》 conventions).

    40000 → 肆万元整; 110000.50 → 壹拾壹万元伍角; 1.05 → 壹元零伍分; 0.01 → 壹分.
    Ten is 壹拾 (never bare 拾); 整 follows 元 when there are no jiao and fen, and no 整
    follows 角. Accepts Decimal, int or str; floats are refused (money is never float)."""
    if isinstance(amount, float):
        raise TypeError("amount_in_words takes Decimal, int or str, not float")
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("amount must not be negative")
    if value >= Decimal(10) ** 16:
        raise ValueError("amount too large")
    cents = int(value * 100)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    words = _yuan_in_words(whole) + "元" if whole else ""
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif whole:
        words += "零"  # 壹元零伍分: a zero jiao between yuan and fen must be written
    if fen:
        words += _DIGITS[fen] + "分"
    return words


# --- QR codes -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def qr_svg(url: str, *, css_class: str = "qr") -> str:
    """An inline ``<svg>`` QR code of ``url`` (no size attributes: CSS sets the size).

    Cached: the code of a URL never changes, and making it is half the cost of working out a
    contract's revision on every download (segno is pure Python, ≈ 4 ms a code)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, svgclass=css_class, lineclass=None, dark="#000")


def yuan(value) -> str:
    """40000 → "40,000.00" (figures as the contract prints them)."""
    return f"{Decimal(value):,.2f}"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- The contract PDF ---------------------------------------------------------------------------


def _allowed_files() -> set[Path]:
    return {path.resolve() for path in CJK_FONTS.values()}


def offline_url_fetcher():
    """WeasyPrint's fetcher restricted to ``data:`` URLs and our font files.

    A subclass (not a plain function) because WeasyPrint 70 reads attributes of the
    fetcher it is given."""
    # why: WeasyPrint is slow to import and only PDF rendering needs it.
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file" and Path(unquote(urlsplit(url).path)).resolve() not in _allowed_files():
                raise ValueError(f"not an allowed local file: {url}")
            if scheme not in ("file", "data"):
                raise ValueError(f"no network access while rendering: {url}")
            return super().fetch(url, headers)

    return OfflineFetcher()


def _party(org) -> dict:
    if org.credit_code:
        id_label, id_value = "统一社会信用代码", org.credit_code
    elif org.resident_id:
        id_label, id_value = "身份证号码", org.resident_id
    else:
        id_label, id_value = "统一社会信用代码", ""
    return {
        "name": org.name,
        "id_label": id_label,
        "id_value": id_value,
        "address": org.registered_address,
        "representative": org.legal_representative,
        "contact": org.contact_name,
        "phone": org.contact_phone,
        "email": org.contact_email,
    }


CHINESE_NUMERALS = "一二三四五六七八九十"


def _numbered(items: list[str]) -> list[tuple[str, str]]:
    """一、二、… as a Chinese document numbers its points (十一 onwards as digits)."""
    return [(CHINESE_NUMERALS[i] if i < len(CHINESE_NUMERALS) else str(i + 1), text) for i, text in enumerate(items)]


def payment_clause(contract: Contract) -> str | None:
    """How the voucher is paid and redeemed, in the scheme's words (``Policy.payee_rule``);
    ``None`` for Ningxia's in-region/out-of-region rule, whose two texts the template holds."""
    rule = contract.policy.payee_rule
    if rule == PayeeRule.INSTITUTION:  # Henan
        return (
            "乙方上传订单结果、甲方确认无误后，甲方按订单金额扣除创新券抵扣金额后的余额向乙方支付；"
            "创新券抵扣部分在支付时转入乙方，由乙方凭检测报告和发票向平台申请兑付。"
        )
    if rule == PayeeRule.ENTERPRISE:  # Jiangsu
        return (
            "甲方按合同金额全额向乙方支付。服务完成后，甲方凭合同、发票、银行回单和服务成果向科技主管部门"
            "申请兑付，经审核认定后，创新券资金拨付至甲方的银行账户。"
        )
    if rule == PayeeRule.CHOSEN:  # Zhejiang
        return (
            "甲方在使用登记时选择兑付方式：选择载体兑付的，甲方按合同金额扣除创新券抵扣金额后的余额向乙方支付，"
            "由乙方申请兑付创新券；选择企业兑付的，甲方全额支付，经乙方确认用券后由甲方申请兑付。"
        )
    return None


def proof_clause(contract: Contract) -> str | None:
    """Who proves the service and when the applicant rates it, where the scheme differs
    from Ningxia's (the enterprise uploads its payment proofs within the working days and
    rates; the template holds that text): Henan's institution uploads the order result, the
    applicant confirms it and pays, then rates the institution and the platform (seed 002:
    创新券订单支付完成后…进行评价), and the institution redeems with its report and invoice."""
    policy = contract.policy
    if policy.proof_by != ProofBy.INSTITUTION:
        return None
    confirm = "甲方确认订单结果无误后在平台支付" if policy.result_confirmation else "甲方在平台支付"
    rated = "乙方和平台" if policy.platform_rating else "乙方"
    return (
        f"服务完成后，乙方在平台上传服务成果，{confirm}；支付完成后，甲方对{rated}本次服务进行评价。"
        "乙方凭检测报告和发票向平台申请兑付。"
    )


def payment_summary(contract: Contract) -> str:
    """One sentence for the contract page: who deducts, who pays in full, who redeems."""
    rule = contract.policy.payee_rule
    if rule == PayeeRule.ENTERPRISE:
        return "甲方全额支付服务费，服务完成后凭材料申请兑付，创新券资金拨付至甲方银行账户"
    if rule == PayeeRule.CHOSEN:
        return "使用登记时选择载体兑付（抵扣服务费，乙方兑付）或企业兑付（全额支付，甲方兑付）"
    if rule == PayeeRule.INSTITUTION:
        return "甲方确认订单结果后支付时抵扣，乙方凭券向平台申请兑付"
    if not contract.institution.organisation.in_region:
        return "甲方全额支付服务费，服务完成后由甲方凭券向平台申请兑付"
    return "由甲方在支付服务费时抵扣，乙方凭券向平台申请兑付"


def contract_context(contract: Contract, *, generated_at: str | None = None) -> dict:
    subsidy = subsidy_for(contract)
    province = province_profile.current()
    voucher = getattr(contract, "voucher", None)
    total = subsidy.amount + subsidy.county_topup
    institution = contract.institution
    item = contract.service or contract.instrument
    words = contract_words(contract.policy)
    order = is_order(contract.policy)
    # Zhejiang's registered use: the platform's copy of the enterprise's own contract, titled
    # as its users know the record (科技创新券使用登记).
    kind = "使用登记" if words == REGISTRATION else "订单" if order else "服务合同"
    return {
        "contract": contract,
        # The scheme's words (Henan's 科技创新券订单; Ningxia's 科技创新券服务合同): title,
        # number, status and pledge lines, and the terms (本订单, 订单金额 …).
        "words": words,
        "doc_title": f"{province.voucher_name}{kind}",
        "applies": "使用" if order or words == REGISTRATION else "申领",
        "applicant_word": "下单方" if order else "申领方",
        "province": province,
        "pledges": _numbered(province.pledges(proof_workdays=contract.policy.proof_workdays)),
        "status_label": contract_status_label(contract.status, contract.policy),
        # The year's actual review chain (推荐部门→运营单位→创业中心, 服务机构→运营单位, none).
        "review_chain": chain_text(contract.policy.contract_review),
        "region_full": "自治区" if province.region_word == "区" else province.region_word,
        "is_final": contract.status == ContractStatus.APPROVED,
        "policy": contract.policy,
        "enterprise": _party(contract.enterprise),
        "institution": _party(institution.organisation),
        "institution_in_region": institution.organisation.in_region,
        "payment_clause": payment_clause(contract),
        "proof_clause": proof_clause(contract),
        "item_name": item.name if item else "",
        "scope_label": ScopeUse(contract.scope).label if contract.scope in ScopeUse.values else contract.scope,
        "amount_words": amount_in_words(contract.amount),
        "subsidy": subsidy,
        "voucher_words": amount_in_words(subsidy.amount),
        "topup_words": amount_in_words(subsidy.county_topup),
        "voucher_total": total,
        "voucher_total_words": amount_in_words(total),
        "money": {
            "amount": yuan(contract.amount),
            "voucher": yuan(subsidy.amount),
            "topup": yuan(subsidy.county_topup),
            "total": yuan(total),
            "self_pay": yuan(max(Decimal("0"), contract.amount - total)),
            "cap": yuan(subsidy.cap),
            "cap_left": yuan(subsidy.cap_left),
        },
        "voucher": voucher,
        "qr_url": (qr_url := absolute_url(reverse("vouchers:contract", args=[contract.pk]))),
        "qr": qr_svg(qr_url),
        "fonts": {name: path.as_uri() for name, path in CJK_FONTS.items()},
        "generated_at": generated_at if generated_at is not None else _now_text(),
    }


# --- Revisions ----------------------------------------------------------------------------------
# A contract's revision is the SHA-256 of the HTML its PDF is made from, rendered with a
# placeholder where the generation time goes. Everything printed — amounts and their
# capitals, parties, item, status and the final stamp, the voucher, the province profile's
# names, the cap left this year — is in that HTML, so the revision changes exactly when the
# printed contract would, wherever the change was made (an organisation renamed, another
# voucher of the applicant issued), and a stored PDF can be checked against it with one
# template render (≈ 13 ms) instead of trusting hooks to catch every change.

GENERATED_AT = "\u2063GENERATED-AT\u2063"  # invisible separators: never in user text


def _now_text() -> str:
    return f"{timezone.localtime():%Y年%-m月%-d日 %H:%M}"


class Printed:
    """The printed content of a contract at one moment: its revision and its HTML."""

    __slots__ = ("html", "revision")

    def __init__(self, html: str):
        self.html = html
        self.revision = hashlib.sha256(html.encode()).hexdigest()

    def final_html(self) -> str:
        return self.html.replace(GENERATED_AT, _now_text())


def contract_printed(contract: Contract) -> Printed:
    return Printed(
        render_to_string("vouchers/pdf/contract.html", contract_context(contract, generated_at=GENERATED_AT))
    )


def contract_revision(contract: Contract) -> str:
    return contract_printed(contract).revision


def render_contract_html(contract: Contract) -> str:
    return contract_printed(contract).final_html()


# --- Fonts: configured once per process -------------------------------------------------------
# Registering an @font-face copies the 20–26 MB font collection into the configuration's
# folder and has fontconfig scan it (about 0.3 s). WeasyPrint makes that folder with
# mkdtemp("weasyprint-") and removes it only in FontConfiguration.__del__, which never runs
# for a per-thread configuration of a long-lived process: one leaked 45 MB folder per
# thread. So there is one configuration per process, its folder a fixed one of our own
# (PDF_FONT_CACHE_DIR/<pid>, removed at exit; folders of processes that are gone are removed
# when the next one starts), and renders take turns on it, because fontconfig and Pango
# objects must not be used by two threads at once. A PDF is rare and the GIL serialises
# most of the layout work anyway.
_font_lock = threading.Lock()
_font_state: dict = {}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _font_folder() -> Path:
    base = Path(settings.PDF_FONT_CACHE_DIR)
    base.mkdir(parents=True, exist_ok=True)
    for old in base.iterdir():
        if old.name.isdigit() and int(old.name) != os.getpid() and not _pid_alive(int(old.name)):
            shutil.rmtree(old, ignore_errors=True)
    folder = base / str(os.getpid())
    shutil.rmtree(folder, ignore_errors=True)  # a recycled pid's leftovers
    folder.mkdir()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _font_config():
    """The process's WeasyPrint font configuration (call with ``_font_lock`` held)."""
    # why: WeasyPrint is slow to import and only PDF rendering needs it.
    from weasyprint.text.fonts import FontConfiguration

    if _font_state.get("pid") != os.getpid():  # first use, or a forked child
        config = FontConfiguration()
        config._folder = _font_folder()  # WeasyPrint uses a preset folder instead of mkdtemp
        _font_state.update(pid=os.getpid(), config=config)
    return _font_state["config"]


_WARM_UP_HTML = """<html lang="zh-CN"><head><style>
@font-face {{ font-family: "Noto Serif CJK"; src: url("{body}"); font-weight: normal; }}
@font-face {{ font-family: "Noto Sans CJK"; src: url("{heading}"); font-weight: bold; }}
body {{ font-family: "Noto Serif CJK"; }} h1 {{ font-family: "Noto Sans CJK"; font-weight: bold; }}
</style></head><body><h1>科技创新券服务合同</h1><p>甲方 乙方 壹万元整 ¥1,000.00</p></body></html>"""


def warm_up() -> float:
    """Import WeasyPrint and register the fonts now (≈ 1–2.5 s, once per process), so that a
    just-started worker's first contract PDF takes as long as any other. Returns seconds."""
    started = time.perf_counter()
    fonts = {name: path.as_uri() for name, path in CJK_FONTS.items()}
    pdf_from_html(_WARM_UP_HTML.format(**fonts))
    return time.perf_counter() - started


def pdf_from_html(html: str) -> bytes:
    """An A4 PDF with embedded CJK font subsets from the contract's HTML."""
    # why: WeasyPrint is slow to import and only PDF rendering needs it.
    from weasyprint import HTML

    document = HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher())
    with _font_lock:
        return document.write_pdf(font_config=_font_config())


def render_contract_pdf(contract: Contract) -> bytes:
    """The 科技创新券服务合同 (Henan: 科技创新券订单) of ``contract`` as an A4 PDF (rendered now; the download views
    serve the stored rendition instead, ``vouchers.contracts.renditions``)."""
    return pdf_from_html(render_contract_html(contract))
