"""`make bench`'s report: each figure beside its target, met or not (bench/report.py), on
hand-made results; and the benchmark's page list names real pages. Fast: nothing is seeded."""

from __future__ import annotations

from typing import Any

from bench import pages, report
from tests.test_access_matrix import ROUTES


def _timing(median: float, p95: float) -> dict[str, float]:
    return {"first_ms": 500.0, "median_ms": median, "p95_ms": p95}


def _results() -> dict[str, Any]:
    """Every target met at S and L, on SQLite; tests below break one at a time."""
    return {
        "date": "2026-11-23",
        "sizes": {"S": 1000, "M": 10000, "L": 100000},
        "machine": {"cores": 2, "ram_gib": 24, "os": "Debian", "python": "3.11.7"},
        "git": {"commit": "abc1234def5678", "dirty": False},
        "duration_s": 1800,
        "seed": {"sqlite": {"L": {"seconds": 122.0, "reused": False}}},
        "p1": {"sqlite": {"S": {"home": 8, "team": 9}, "L": {"home": 8, "team": 9}}},
        "p2": {
            "sqlite": {
                "S": {"home": _timing(100, 120), "team": _timing(50, 60)},
                "L": {"home": _timing(125, 150), "team": _timing(60, 70)},
            }
        },
        "p3": {
            "requests_per_s": 120.0,
            "errors": 0,
            "size": "L",
            "requests": 3600,
            "seconds": 30,
            "clients": 16,
            "workers": 5,
        },
        "p4": {
            "sqlite": {
                "M": {
                    "rows": 19058,
                    "export_s": 2.9,
                    "raw_s": 1.1,
                    "raw_method": "cursor",
                    "peak_rss_mb": 79,
                },
                "L": {
                    "rows": 190347,
                    "export_s": 23.5,
                    "raw_s": 10.0,
                    "raw_method": "cursor",
                    "peak_rss_mb": 80,
                },
            }
        },
        "p5": {
            "sqlite": {
                "L": {
                    "people": 100000,
                    "vectorised_s": 1.5,
                    "per_record_s": 150.0,
                    "speedup": 100.0,
                    "identical": True,
                }
            }
        },
        "r7": {
            "postgresql": {
                "size": "M",
                "clients": 50,
                "database_is_locked": 0,
                "steady": {
                    "requests": 3000,
                    "writes": 600,
                    "seconds": 60.2,
                    "errors": 0,
                    "acknowledged": 600,
                    "lost": 0,
                },
                "restart": {
                    "requests": 2800,
                    "writes": 550,
                    "seconds": 60.4,
                    "errors": 120,
                    "acknowledged": 540,
                    "lost": 0,
                    "restart_took_s": 1.4,
                    "errors_while_down": 120,
                    "requests_after_back": 1300,
                    "errors_after_back": 0,
                },
            },
            "sqlite": {
                "size": "M",
                "writers": 8,
                "writes": 1500,
                "seconds": 30.1,
                "errors": 0,
                "database_is_locked": 0,
                "lost": 0,
            },
        },
    }


def _statuses(results: dict[str, Any]) -> dict[str, str]:
    return {row.id: row.status for row in report.evaluate(results)}


def test_every_target_met() -> None:
    assert _statuses(_results()) == dict.fromkeys(("P1", "P2", "P3", "P4", "P5", "P7", "R7"), "met")


def test_a_page_with_more_queries_at_l_is_not_met() -> None:
    results = _results()
    results["p1"]["sqlite"]["L"]["team"] = 10
    row = report.evaluate(results)[0]
    assert row.status == report.NOT_MET
    assert "team 9→10" in row.measured


def test_p2_ratio_over_the_target_on_p95_alone_is_not_met() -> None:
    results = _results()
    results["p2"]["sqlite"]["L"]["team"] = _timing(60, 90)  # median 1.2×, p95 1.5×
    assert _statuses(results)["P2"] == report.NOT_MET
    results["p2"]["sqlite"]["L"]["team"] = _timing(65, 78)  # exactly 1.3×: within
    assert _statuses(results)["P2"] == report.MET


def test_p3_needs_the_rate_and_no_errors() -> None:
    results = _results()
    results["p3"]["errors"] = 1
    assert _statuses(results)["P3"] == report.NOT_MET
    results["p3"].update(errors=0, requests_per_s=99.0)
    assert _statuses(results)["P3"] == report.NOT_MET
    results["p3"] = {"reason": "PostgreSQL not in this run"}
    assert _statuses(results)["P3"] == report.NOT_MEASURED


def test_p4_memory_and_time_at_l() -> None:
    results = _results()
    results["p4"]["sqlite"]["L"]["peak_rss_mb"] = 96  # 1.22× M
    assert _statuses(results)["P4"] == report.NOT_MET
    results = _results()
    results["p4"]["sqlite"]["L"]["raw_s"] = 7.0  # export 3.4× the raw dump
    assert _statuses(results)["P4"] == report.NOT_MET


def test_p5_and_p7_thresholds() -> None:
    results = _results()
    results["p5"]["sqlite"]["L"]["identical"] = False
    results["seed"]["sqlite"]["L"]["seconds"] = 181.0
    assert _statuses(results)["P5"] == report.NOT_MET
    assert _statuses(results)["P7"] == report.NOT_MET
    results["p5"]["sqlite"]["L"] = {"reason": "bench/p5_whatif.py not written yet"}
    assert _statuses(results)["P5"] == report.NOT_MEASURED


def test_without_l_nothing_is_claimed_as_met() -> None:
    results = _results()
    for per_db in ("p1", "p2"):
        small = results[per_db]["sqlite"]
        small["M"] = small.pop("L")
    statuses = _statuses(results)
    assert statuses["P1"] == statuses["P2"] == report.NOT_MEASURED


def test_the_block_replaces_only_what_is_between_the_markers() -> None:
    document = "# Performance\n\nIntro.\n\n## P7 by hand\n\nKept.\n"
    first = report.replace_block(document, report.markdown(_results()))
    assert first.index(report.START) < first.index("## P7 by hand")
    assert "| P4 | CLD export |" in first
    assert "**met** |" in first
    again = report.replace_block(first, f"{report.START}\nnew\n{report.END}")
    assert again == document.replace("Intro.\n", f"Intro.\n\n{report.START}\nnew\n{report.END}\n")


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 11)]
    assert pages.percentile(samples, 95) == 10.0
    assert pages.percentile(samples, 50) == 5.0


def test_every_benchmark_page_is_a_known_route() -> None:
    keys = [page.key for page in pages.PAGES]
    assert len(keys) == len(set(keys))
    assert {page.url_name for page in pages.PAGES} <= set(ROUTES)
    assert {page.target for page in pages.PAGES} - {""} <= set(pages._TARGETS)


def test_p5_is_judged_at_l_and_smaller_sizes_are_only_shown() -> None:
    results = _results()
    small = {"people": 550, "vectorised_s": 0.01, "per_record_s": 0.5, "speedup": 40.0}
    results["p5"]["sqlite"]["S"] = {**small, "identical": True}
    assert _statuses(results)["P5"] == report.MET  # S's 40× is not the target's concern
    del results["p5"]["sqlite"]["L"]
    assert _statuses(results)["P5"] == report.NOT_MEASURED
    results["p5"]["sqlite"]["S"]["identical"] = False
    assert _statuses(results)["P5"] == report.NOT_MET  # wrong at any size is wrong


def test_r7_errors_while_the_database_is_down_are_expected_but_not_after() -> None:
    results = _results()
    row = {r.id: r for r in report.evaluate(results)}["R7"]
    assert "120 errors while down, 0 of 1,300 after it was back" in row.measured
    results["r7"]["postgresql"]["restart"]["errors_after_back"] = 1
    assert _statuses(results)["R7"] == report.NOT_MET


def test_r7_a_lost_write_or_a_locked_database_is_not_met() -> None:
    results = _results()
    results["r7"]["postgresql"]["restart"]["lost"] = 1
    assert _statuses(results)["R7"] == report.NOT_MET
    results = _results()
    results["r7"]["sqlite"]["database_is_locked"] = 2
    assert _statuses(results)["R7"] == report.NOT_MET
    results = _results()
    results["r7"]["postgresql"]["steady"]["errors"] = 1
    assert _statuses(results)["R7"] == report.NOT_MET


def test_r7_is_judged_at_m_and_needs_postgresql() -> None:
    results = _results()
    results["r7"]["postgresql"]["size"] = "S"
    assert _statuses(results)["R7"] == report.NOT_MEASURED
    results = _results()
    del results["r7"]["postgresql"]
    assert _statuses(results)["R7"] == report.NOT_MEASURED
