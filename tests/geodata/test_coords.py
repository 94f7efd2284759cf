"""GCJ-02 <-> WGS-84 converter. Pure functions: no database, no Django settings needed."""

import copy
import math

import pytest

from geodata.coords import (
    gcj02_to_wgs84,
    gcj02_to_wgs84_coordinates,
    out_of_china,
    wgs84_to_gcj02,
    wgs84_to_gcj02_coordinates,
)

YINCHUAN = (106.23, 38.49)
GUYUAN = (106.24, 36.0)
ZHONGWEI = (105.19, 37.5)


def haversine_m(a, b):
    """Great-circle distance in metres between two (lng, lat) points."""
    r = 6_371_008.8
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def round_trip_error_m(point):
    return haversine_m(point, gcj02_to_wgs84(*wgs84_to_gcj02(*point)))


def test_round_trip_is_within_half_a_metre_in_yinchuan():
    assert round_trip_error_m(YINCHUAN) < 0.5


def test_round_trip_is_within_half_a_metre_in_guyuan():
    assert round_trip_error_m(GUYUAN) < 0.5


def test_round_trip_is_within_half_a_metre_in_zhongwei():
    assert round_trip_error_m(ZHONGWEI) < 0.5


def test_round_trip_is_within_a_millimetre_everywhere_in_ningxia():
    # a 0.05-degree grid over Ningxia's bounding box (~6,000 points)
    worst = max(round_trip_error_m((104.2 + i * 0.05, 35.2 + j * 0.05)) for i in range(71) for j in range(85))
    assert worst < 0.001


def test_inverse_is_far_better_than_the_one_step_approximation():
    # The one-step inverse evaluates the offset at the GCJ point; it is metres off.
    wgs = (106.2, 38.4)
    gcj = wgs84_to_gcj02(*wgs)
    lng, lat = gcj
    fwd_lng, fwd_lat = wgs84_to_gcj02(lng, lat)
    one_step = (2 * lng - fwd_lng, 2 * lat - fwd_lat)
    assert haversine_m(wgs, one_step) > 0.1
    assert haversine_m(wgs, gcj02_to_wgs84(*gcj)) < 0.001


@pytest.mark.parametrize("point", [YINCHUAN, GUYUAN, ZHONGWEI], ids=["yinchuan", "guyuan", "zhongwei"])
def test_gcj_shift_in_ningxia_is_a_few_hundred_metres(point):
    shift = haversine_m(point, wgs84_to_gcj02(*point))
    assert 200 < shift < 600


def test_gcj_shift_in_yinchuan_matches_the_reference_formula():
    # Value of the widely reproduced reference implementation (Krasovsky 1940 constants).
    lng, lat = wgs84_to_gcj02(*YINCHUAN)
    assert lng == pytest.approx(106.23439973526891, abs=1e-9)
    assert lat == pytest.approx(38.49046058111842, abs=1e-9)


def test_gcj_coordinates_lie_east_of_wgs_in_ningxia():
    for point in (YINCHUAN, GUYUAN, ZHONGWEI):
        assert wgs84_to_gcj02(*point)[0] > point[0]


@pytest.mark.parametrize(
    "point",
    [(139.69, 35.69), (-0.1276, 51.5072), (151.21, -33.87), (37.62, 55.75), (-74.0, 40.7)],
    ids=["tokyo", "london", "sydney", "moscow", "new-york"],
)
def test_points_outside_china_are_unchanged_both_ways(point):
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


def test_ningxia_points_are_inside_china():
    assert not any(out_of_china(*p) for p in (YINCHUAN, GUYUAN, ZHONGWEI))


def test_converters_return_tuples_of_floats():
    result = gcj02_to_wgs84(106.2344, 38.4905)
    assert isinstance(result, tuple)
    assert len(result) == 2
    assert all(isinstance(v, float) for v in result)


def _square(lng, lat, size=0.1):
    return [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]


def test_multipolygon_conversion_keeps_structure():
    multipolygon = [
        [_square(106.1, 38.4, 0.3), _square(106.2, 38.5, 0.05)],  # exterior with one hole
        [_square(105.5, 37.4)],
    ]
    original = copy.deepcopy(multipolygon)

    converted = gcj02_to_wgs84_coordinates(multipolygon)

    assert multipolygon == original, "input must not be modified"
    assert len(converted) == 2
    assert [len(polygon) for polygon in converted] == [2, 1]
    for polygon, source in zip(converted, multipolygon, strict=True):
        for ring, source_ring in zip(polygon, source, strict=True):
            assert len(ring) == len(source_ring)
            assert ring[0] == ring[-1], "rings stay closed"
            for vertex, source_vertex in zip(ring, source_ring, strict=True):
                assert tuple(vertex) == gcj02_to_wgs84(*source_vertex)


def test_multipolygon_conversion_round_trips_within_half_a_metre():
    multipolygon = [[_square(106.1, 38.4)], [_square(106.2, 35.9)]]
    back = gcj02_to_wgs84_coordinates(wgs84_to_gcj02_coordinates(multipolygon))
    for polygon, source in zip(back, multipolygon, strict=True):
        for vertex, source_vertex in zip(polygon[0], source[0], strict=True):
            assert haversine_m(vertex, source_vertex) < 0.5


def test_coordinate_conversion_can_round_and_handles_a_single_position():
    assert gcj02_to_wgs84_coordinates([106.2344, 38.4905], ndigits=6) == [
        round(v, 6) for v in gcj02_to_wgs84(106.2344, 38.4905)
    ]


def test_coordinate_conversion_keeps_an_altitude():
    lng, lat, alt = gcj02_to_wgs84_coordinates([106.2344, 38.4905, 1111.0])
    assert alt == 1111.0
    assert (lng, lat) == gcj02_to_wgs84(106.2344, 38.4905)
