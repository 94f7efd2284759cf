"""Text for substring search in Chinese, full pinyin and pinyin initials.

Users type 扫描电镜, saomiao or smdj and expect 扫描电子显微镜. Substring matching alone
cannot get there: 扫描电镜 is an abbreviation, not a substring. So each item's searchable
text holds its name, its own aliases, the standard abbreviations of any instrument term its
name contains (``SYNONYMS``, the usual names on Chinese instrument-sharing platforms), and
for every one of those the full pinyin and the pinyin initials. The query is then a plain
case-insensitive substring match, which a trigram index serves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

# Full term → common abbreviations and English acronyms.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "扫描电子显微镜": ("扫描电镜", "SEM"),
    "透射电子显微镜": ("透射电镜", "TEM"),
    "场发射": ("场发射电镜", "FESEM"),
    "原子力显微镜": ("AFM",),
    "激光共聚焦显微镜": ("共聚焦", "激光共聚焦", "CLSM"),
    "X射线衍射仪": ("XRD", "衍射仪"),
    "X射线荧光光谱仪": ("XRF", "荧光光谱"),
    "X射线光电子能谱": ("XPS", "光电子能谱"),
    "核磁共振": ("核磁", "NMR"),
    "电感耦合等离子体质谱": ("ICP-MS", "ICPMS", "等离子体质谱"),
    "电感耦合等离子体发射光谱": ("ICP-OES", "ICP-AES", "等离子体光谱"),
    "液相色谱-质谱联用": ("液质联用", "液质", "LC-MS", "LCMS"),
    "液相色谱质谱联用": ("液质联用", "液质", "LC-MS", "LCMS"),
    "气相色谱-质谱联用": ("气质联用", "气质", "GC-MS", "GCMS"),
    "气相色谱质谱联用": ("气质联用", "气质", "GC-MS", "GCMS"),
    "高效液相色谱": ("液相", "HPLC"),
    "气相色谱": ("气相", "GC"),
    "超高效液相": ("UPLC",),
    "实时荧光定量PCR": ("定量PCR", "qPCR", "荧光定量"),
    "PCR": ("聚合酶链式反应",),
    "流式细胞仪": ("流式", "FCM"),
    "原子吸收光谱": ("原子吸收", "AAS"),
    "原子荧光": ("AFS",),
    "傅里叶变换红外光谱": ("红外", "FTIR"),
    "红外光谱": ("红外", "FTIR", "IR"),
    "拉曼光谱": ("拉曼", "Raman"),
    "紫外可见分光光度计": ("紫外", "UV-Vis"),
    "热重分析": ("热重", "TGA", "TG"),
    "差示扫描量热": ("差热", "DSC"),
    "比表面积": ("BET", "比表面"),
    "激光粒度": ("粒度", "粒径"),
    "万能材料试验机": ("万能试验机", "拉力机"),
    "电子万能试验机": ("万能试验机", "拉力机"),
    "三坐标测量": ("三坐标", "CMM"),
    "基因测序": ("测序", "高通量测序", "NGS"),
    "测序仪": ("测序", "NGS"),
    "离子色谱": ("IC",),
    "元素分析": ("元素分析仪", "EA"),
    "CT": ("计算机断层扫描",),
}

_SPACES = re.compile(r"\s+")


def _pinyin_forms(text: str) -> tuple[str, str]:
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.strip()]
    full = "".join(syllables)
    initials = "".join(s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if s.strip())
    return full, initials


_ALIAS_SEPARATORS = re.compile(r"[,，;；、]")


def split_aliases(aliases: str) -> list[str]:
    """The keywords of a stored ``aliases`` value ("扫描电镜,SEM" → ["扫描电镜", "SEM"])."""
    return [a.strip() for a in _ALIAS_SEPARATORS.split(aliases or "") if a.strip()]


def join_aliases(keywords: str | Iterable[str] | None) -> str:
    """The stored form of keywords given as a list or as one string separated by spaces or
    commas. A string is split, never iterated: ``",".join("扫描电镜 台式")`` is what once
    stored "扫,描,电,镜, ,台,式"."""
    if not keywords:
        return ""
    if isinstance(keywords, str):
        keywords = re.split(r"[\s,，;；、]+", keywords)
    return ",".join(dict.fromkeys(k.strip() for k in keywords if k and k.strip()))


def expand_terms(name: str, aliases: str = "") -> list[str]:
    """The name, its aliases and the abbreviations of any known term it contains."""
    terms = [name]
    terms += split_aliases(aliases)
    upper = name.upper()
    for term, abbreviations in SYNONYMS.items():
        if term.upper() in upper:
            terms.extend(abbreviations)
    seen: dict[str, None] = {}
    for term in terms:
        seen.setdefault(term, None)
    return list(seen)


def build_search_text(name: str, aliases: str = "", *extra: str) -> str:
    """Lower-cased text: every term, then its full pinyin and initials; extras (institution
    name, model, category) as plain text."""
    parts: list[str] = []
    for term in expand_terms(name, aliases):
        parts.append(term)
        full, initials = _pinyin_forms(term)
        if full and full != term.lower():
            parts.extend([full, initials])
    parts.extend(e for e in extra if e)
    return _SPACES.sub(" ", " | ".join(parts)).lower()


def normalise_query(q: str) -> str:
    """The query as matched: trimmed, lower-cased, inner spaces removed for pinyin
    ("sao miao" finds "saomiao")."""
    q = q.strip().lower()
    if q.isascii():
        q = _SPACES.sub("", q)
    return q
