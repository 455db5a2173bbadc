"""sweep's fast path (funnelcalc/grid.py) gives exactly what a full plan of every cell gives."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import grid, loader
from funnelcalc import sweep as sweep_module
from funnelcalc.errors import InputError, Problem
from funnelcalc.solver import solve
from funnelcalc.sweep import Sweep, parse_vary, sweep
from tests.conftest import WriteGoals, run_cli

percent = st.integers(min_value=1, max_value=100)
amount = st.integers(min_value=1, max_value=10**7)


@st.composite
def goals_texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A goals file (sometimes with ranges, costs, sources, a baseline) and its stage names."""
    count = draw(st.integers(min_value=2, max_value=5))
    names = [f"s{index}" for index in range(count)]
    by_revenue = draw(st.booleans())
    lines: list[str] = []
    if by_revenue:
        lines.append(f"target:\n  revenue: {draw(amount) * 10}\n")
        if draw(st.booleans()):
            low, high = sorted(draw(st.lists(amount, min_size=2, max_size=2, unique=True)))
            lines.append(f"deal_size: {{low: {low}, high: {high}}}\n")
        else:
            lines.append(f"deal_size: {draw(amount)}\n")
        if draw(st.booleans()):
            lines.append(f"baseline:\n  revenue: {draw(amount)}\n  churn: {draw(percent)}%\n")
    else:
        lines.append(f"target:\n  clients: {draw(st.integers(1, 10**5))}\n")
    lines.append("stages:\n")
    for index, name in enumerate(names):
        lines.append(f"  - name: {name}\n")
        if index:
            if draw(st.integers(0, 3)) == 0:
                low, high = sorted(draw(st.lists(percent, min_size=2, max_size=2, unique=True)))
                lines.append(f"    rate: {{low: {low}%, high: {high}%}}\n")
            else:
                rate = Decimal(draw(st.integers(1, 10_000))).scaleb(-4)
                lines.append(f"    rate: {rate:f}\n")
        if draw(st.booleans()):
            lines.append(f"    cost: {draw(st.integers(0, 10_000))}.{draw(st.integers(0, 99))}\n")
    if draw(st.booleans()):
        lines.append(f"fixed_costs:\n  tools: {draw(amount)}.5\n")
    if count > 2 and draw(st.booleans()):
        fed = names[draw(st.integers(1, count - 1))]
        share = draw(st.integers(1, 99))
        lines.append(
            f"sources:\n  {fed}:\n    - {{name: fixed, volume: {draw(st.integers(1, 50))}}}\n"
            f"    - {{name: own, share: {share}%, rate: {draw(percent)}%, cost: 1.25}}\n"
            f"    - {{name: rest, share: {100 - share}%}}\n"
        )
    return "".join(lines), names


def axis_texts(names: list[str]) -> st.SearchStrategy[str]:
    """A --vary flag: mostly on keys the fast path covers, some it leaves to the full path,
    with values a plan may refuse (a rate over 100%, a cost below 0, clients of 0)."""
    stage = st.sampled_from([*names, *(n.upper() for n in names)])
    index = st.integers(0, len(names))
    return st.one_of(
        st.builds(lambda s, a, b: f"stages.{s}.rate={a}%..{a + b}%/7%", stage, percent, percent),
        st.builds(lambda i, a: f"stages[{i}].rate={a}%..{a + 30}%/15%", index, percent),
        st.builds(lambda s, a: f"stages.{s}.cost={a - 1}..{a + 2}/1.5", stage, percent),
        st.builds(lambda a: f"deal_size={a}..{a * 3}/{a}", amount),
        st.builds(lambda a: f"target.revenue={a}..{a * 2}/{a}", amount),
        st.builds(lambda a: f"target.clients={a - 1}..{a + 1}/1", st.integers(1, 1000)),
        st.builds(lambda a: f"fixed_costs.tools={a}..{a + 2}/1", amount),
        st.builds(lambda a: f"baseline.churn={a}%..{a + 10}%/5%", percent),
    )


def outcome(text: str, flags: list[str], show: str | None) -> Sweep | list[Problem]:
    """The sweep, or the problems it reports."""
    try:
        return sweep(
            loader.read_bytes(text, source="g.yaml"), [parse_vary(f) for f in flags], show=show
        )
    except InputError as error:
        return error.problems


@given(st.data())
def test_fast_path_equals_the_full_plan(data: st.DataObject) -> None:
    """On random files and axes, every cell (and every refusal) is what a full plan gives."""
    text, names = data.draw(goals_texts())
    try:
        loader.read_bytes(text, source="g.yaml")
    except InputError:
        return  # a drawn file the loader refuses (e.g. a baseline with no deal size) plans nothing
    flags = data.draw(st.lists(axis_texts(names), min_size=1, max_size=2))
    show = data.draw(st.sampled_from([None, "budget", *names]))
    fast = outcome(text, flags, show)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweep_module, "_fast", lambda *args: None)
        full = outcome(text, flags, show)
    assert fast == full
    if isinstance(fast, Sweep) and isinstance(full, Sweep):
        # Decimal('5.0') == Decimal('5'), but renders differently: compare as written too
        assert [repr(v) for row in fast.volumes for v in row] == [
            repr(v) for row in full.volumes for v in row
        ]


def test_fast_path_covers_the_common_keys() -> None:
    """Rates, costs, the deal size and the target take the fast path; other keys fall back."""
    goals = loader.load("examples/goals.yaml")
    for key in ("deal_size", "target.revenue", "stages.LEADS.rate", "stages[2].cost"):
        assert grid.slot_of(key, goals) is not None
    for key in ("fixed_costs.tools", "baseline.churn", "limits.visitors", "stages.nope.rate"):
        assert grid.slot_of(key, goals) is None


def test_a_large_grid_is_exact_at_its_corners() -> None:
    """A 1,000 × 1,000 grid: its corners are what `plan --set` gives."""
    file = loader.read("examples/goals.yaml")
    axes = [
        parse_vary("stages.leads.rate=0.1%..100%/0.1%"),
        parse_vary("deal_size=1000..1000000/1000"),
    ]
    result = sweep(file, axes)
    assert len(result.volumes) == 1000
    assert all(len(row) == 1000 for row in result.volumes)
    for r, c in ((0, 0), (0, 999), (999, 0), (999, 999), (123, 456)):
        values = [axes[0].values[r], axes[1].values[c]]
        plan = solve(sweep_module._cell_goals(file, [], axes, values))
        assert plan.stages[0].volume == result.volumes[r][c]


def test_refused_values_are_named_as_by_the_full_path() -> None:
    """A bad value in either axis is reported at the same first cell, with the same message."""
    file = loader.read("examples/goals.yaml")
    flags = ["deal_size=0..2/1", "stages.leads.rate=90%..120%/10%"]
    with pytest.raises(InputError) as fast:
        sweep(file, [parse_vary(f) for f in flags])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweep_module, "_fast", lambda *args: None)
        with pytest.raises(InputError) as full:
            sweep(file, [parse_vary(f) for f in flags])
    assert fast.value.problems == full.value.problems
    assert "at deal_size=0, stages.leads.rate=90%" in str(fast.value.problems[0].message)
    assert Decimal(0) in parse_vary(flags[0]).values


def test_a_key_resolved_elsewhere_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the fast path ever placed a key on the wrong stage, the full path would plan instead."""
    file = loader.read("examples/goals.yaml")
    axes = [parse_vary("stages.leads.rate=2%..4%/0.5%")]
    expected = sweep(file, axes)
    monkeypatch.setattr(grid, "slot_of", lambda key, goals: ("rate", 2))
    assert sweep_module._fast(file, file.base, [], axes, 0) is None
    assert sweep(file, axes) == expected


def test_a_file_with_open_pipeline_sweeps_like_its_plans(write_goals: WriteGoals) -> None:
    """Open pipeline changes every stage: the sweep gives what each plan gives."""
    path = write_goals(
        "target: {revenue: 600000}\ndeal_size: 10000\nstages:\n  - {name: leads}\n"
        "  - {name: SQL, rate: 20%}\n  - {name: won, rate: 25%}\npipeline: {SQL: 40}\n"
    )
    swept = run_cli("sweep", str(path), "--vary", "deal_size=9000..11000/1000", "-f", "json")
    volumes = json.loads(swept.stdout)["volumes"]
    planned = [
        json.loads(run_cli("plan", str(path), "--set", f"deal_size={d}", "-f", "json").stdout)[
            "stages"
        ][0]["volume"]
        for d in (9000, 10000, 11000)
    ]
    assert volumes == planned
