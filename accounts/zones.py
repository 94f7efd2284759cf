"""High-tech zones that act as S&T authorities (科技主管部门), per province (SPEC §11: Jiangsu's
省级以上高新区 beside the city and county bureaus), and the service that makes their authority
organisations.

Each entry is (name, level, adcode of the county that hosts the zone's administration). The
list is Jiangsu's national high-tech zones from general knowledge (not checked against the
Ministry's register this time); where a zone spans several districts the host county is the
one its management committee sits in, a best guess for 连云港, 淮安 and 镇江. The centre adds
provincial zones (or another province's) as organisations of kind bureau with a zone level;
``accounts_zone_authorities`` creates the shipped ones (dry-run by default).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import CertStatus, Organisation, OrgKind, ZoneLevel
from geodata.models import Region

N = ZoneLevel.NATIONAL
ZONES: dict[int, list[tuple[str, str, int]]] = {
    320000: [
        ("南京高新技术产业开发区", N, 320111),
        ("无锡高新技术产业开发区", N, 320214),
        ("江阴高新技术产业开发区", N, 320281),
        ("徐州高新技术产业开发区", N, 320312),
        ("常州高新技术产业开发区", N, 320411),
        ("武进高新技术产业开发区", N, 320412),
        ("苏州高新技术产业开发区", N, 320505),
        ("常熟高新技术产业开发区", N, 320581),
        ("昆山高新技术产业开发区", N, 320583),
        ("南通高新技术产业开发区", N, 320612),
        ("连云港高新技术产业开发区", N, 320706),
        ("淮安高新技术产业开发区", N, 320812),
        ("盐城高新技术产业开发区", N, 320903),
        ("扬州高新技术产业开发区", N, 321003),
        ("镇江高新技术产业开发区", N, 321112),
        ("泰州医药高新技术产业开发区", N, 321203),
        ("宿迁高新技术产业开发区", N, 321302),
    ],
}


@dataclass
class ZoneReport:
    created: list[str]
    present: list[str]
    missing_region: list[str]

    def summary(self) -> str:
        return f"{len(self.created)} created, {len(self.present)} present, {len(self.missing_region)} without a region"


def zone_authorities_sync(*, province: int, commit: bool) -> ZoneReport:
    """Create the authority organisation of each shipped zone of ``province`` that is missing
    (matched by name); nothing is changed or removed. Dry run unless ``commit``."""
    report = ZoneReport([], [], [])
    existing = set(
        Organisation.objects.filter(kind=OrgKind.BUREAU).exclude(zone_level="").values_list("name", flat=True)
    )
    regions = {r.adcode: r for r in Region.objects.filter(adcode__in=[z[2] for z in ZONES.get(province, [])])}
    with transaction.atomic():
        for name, level, host in ZONES.get(province, []):
            if name in existing:
                report.present.append(name)
            elif host not in regions:
                report.missing_region.append(name)
            else:
                report.created.append(name)
                if commit:
                    Organisation.objects.create(
                        name=name,
                        kind=OrgKind.BUREAU,
                        zone_level=level,
                        region=regions[host],
                        status=CertStatus.CERTIFIED,
                    )
    return report
