"""Every file in examples/ plans cleanly, and the headline example gives its published plan."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, run_cli

EXPECTED_VOLUMES = {
    "goals.yaml": [20000, 500, 200, 50, 10],
    "demand-waterfall.yaml": [6042, 725, 507, 228, 50],
    "outbound-email.yaml": [6000, 192, 67, 12],
    "saas-growth.yaml": [23029, 800, 360, 144, 36],
    "monthly-plan.yaml": [66667, 2000, 800, 240, 60],
    "uncertain-waterfall.yaml": [6560, 656, 557, 334, 100],
    "running-plan.yaml": [62000, 2000, 800, 240, 60],
    # leads 1,048 (events 200, paid ⌈508.8⌉ = 509, organic ⌈339.2⌉ = 340), each channel at
    # its own rates: MQL 40 + 203 + 136, SQL 20 + 101 + 68, won 5 + 20 + 17; visitors
    # ⌈509 ÷ 2.5%⌉ + ⌈340 ÷ 1.5%⌉ = 20,360 + 22,667 (tests/test_channels.py has the rest)
    "channel-mix.yaml": [43027, 1048, 379, 189, 42],
    # $3,600,000 ÷ $25,000 = 144 won; ⌈144 ÷ 25%⌉ = 576 SQL; ⌈576 ÷ 40%⌉ = 1,440 MQL
    "capacity.yaml": [1440, 576, 144],
    "segments.yaml": [4651, 1395, 558, 316, 89],
}


def test_every_example_is_checked() -> None:
    """A new example must state its expected volumes here."""
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED_VOLUMES)


@pytest.mark.parametrize("name", sorted(EXPECTED_VOLUMES))
@pytest.mark.parametrize("output_format", ["table", "json", "csv", "markdown"])
def test_example_plans_in_every_format(name: str, output_format: str) -> None:
    """Exit 0, output on stdout, nothing on stderr."""
    result = run_cli("plan", str(EXAMPLES / name), "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.strip()


@pytest.mark.parametrize("name", sorted(EXPECTED_VOLUMES))
def test_example_volumes(name: str) -> None:
    """The volumes worked out by hand for each example."""
    document = json.loads(run_cli("plan", str(EXAMPLES / name), "-f", "json").stdout)
    assert [stage["volume"] for stage in document["stages"]] == EXPECTED_VOLUMES[name]
