"""The growth lines of the map benchmark (issue #15, item 7): the ratio of the search p50 at
the largest size to the one at 1,000,000 listings, and the clustered view's p95 per size."""

from benchmarks.bench_map import growth_lines


def result(listings: int, p50: float, cluster_p95: float) -> dict:
    return {
        "listings": listings,
        "granian": {"ms_p50_alone": p50},
        "raw_ms_p50_alone": p50 / 2,
        "knn_explain_ms_p50": p50 / 4,
        "cluster_ms_p95": cluster_p95,
    }


def test_the_ratio_is_taken_against_one_million_whatever_the_order():
    lines = growth_lines(
        [result(10_000_000, 2.6, 80.0), result(200_000, 1.0, 20.0), result(1_000_000, 2.0, 40.0)], "granian"
    )
    assert lines[0].startswith("search p50 at 10,000,000 ÷ at 1,000,000 = 1.30× (target ≤ 1.3×): met")
    assert lines[1] == (
        "clustered view p95 at each size (target ≤ 100 ms): met — "
        "200,000: 20.0 ms, 1,000,000: 40.0 ms, 10,000,000: 80.0 ms"
    )


def test_without_one_million_the_smallest_size_is_the_base_and_misses_are_said():
    lines = growth_lines([result(3_000_000, 3.0, 120.0), result(500_000, 2.0, 30.0)], "granian")
    assert lines[0].startswith("search p50 at 3,000,000 ÷ at 500,000 = 1.50× (target ≤ 1.3×): NOT met")
    assert "(target ≤ 100 ms): NOT met" in lines[1]


def test_when_one_million_is_the_largest_it_is_compared_with_the_smallest():
    lines = growth_lines([result(1_000_000, 2.2, 40.0), result(200_000, 2.0, 30.0)], "granian")
    assert lines[0].startswith("search p50 at 1,000,000 ÷ at 200,000 = 1.10×")


def test_one_size_gives_no_growth_lines():
    assert growth_lines([result(1_000_000, 2.0, 40.0)], "granian") == []
