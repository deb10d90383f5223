"""The benchmark runner imports and reads its arguments (the benchmarks never run in tests)."""

import pytest

from bench.cli import PARTS, TIERS, parse_args


def test_defaults_are_the_quick_tier_with_every_part():
    args = parse_args([])
    assert args.tier == "quick"
    assert args.parts == list(PARTS)
    assert args.levels == [1, 8, 32]
    assert args.slack_latency == pytest.approx(0.2)


def test_the_full_tier_measures_a_million_investigations():
    args = parse_args(["--tier", "full", "--only", "stats,export", "--levels", "4"])
    assert (args.tier, args.parts, args.levels) == ("full", ["stats", "export"], [4])
    assert "1m" in TIERS["full"]["stats_sizes"]
    assert "1m" in TIERS["full"]["export_sizes"]
    assert "1m" not in TIERS["quick"]["stats_sizes"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tier", "huge"], "invalid choice: 'huge'"),
        (["--only", "ack,speed"], "unknown part(s) speed"),
        (["--levels", "1,x"], "--levels takes comma-separated numbers"),
        (["--levels", "0"], "--levels must be at least 1"),
    ],
)
def test_wrong_arguments_are_refused_with_a_clear_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_every_benchmark_module_imports():
    import bench.ack_latency
    import bench.opening
    import bench.probe
    import bench.report
    import bench.scale

    assert bench.ack_latency.TARGETS[0][0] == bench.ack_latency.BASELINE
    assert bench.scale.SIZES["1m"] == 1_000_000
