"""Hypothesis strategies for the fuzz test: goals files (mostly sound, with hostile values
mixed in), actuals, flags for every command and output targets."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

COMMANDS = (
    "plan",
    "compare",
    "sweep",
    "check",
    "track",
    "simulate",
    "levers",
    "solve",
    "project",
    "diff",
    "capacity",
    "validate",
    "init",
    "schema",
)
FORMATS = ("table", "json", "csv", "markdown")
PLAN_FORMATS = (*FORMATS, "html", "svg")
GOALS = "goals.yaml"

# Values people write, and values an attacker writes, as YAML snippets.
SOUND_RATES = ("2.5%", "40%", "0.25", "1", "100%", "0.007", '"0.7%"', "33.3333%", "0.5")
HOSTILE_NUMBERS = (
    "1e999999999",
    "1.0e-999999999",
    "1.0e999999999",
    "1.0e99999999999999999999",
    '"2,5%"',
    '"0,25"',
    '"1,234"',
    "!!null 10000",
    "!!str 5",
    "!!float abc",
    "!!int 7",
    "! 5",
    '"\\e]0;title\\a"',
    '"\\ec"',
    '"\\uFFFE"',
    '"\\u202Eevil"',
    "[]",
    "{}",
    "-1",
    "0",
    ".nan",
    "-.inf",
    '"1e5"',
    "yes",
    "~",
    "0.000000000000000000000000000001",
    "10000000000000000000",
    "9" * 45,
    "050000",
    "1_000",
    '"٣"',
    '"²"',
    "9999-06-01",
    "0001-01-01",
    "2027-02-30",
    "x" * 3000,
    "*alias",
    "&anchor 5",
    "0x1F",
    "1:30",
    '"50%"',
    "150%",
)
SOUND_NAMES = ("visitors", "leads", "MQL", "SQL", "clients", "won", "SAL", "Demo booked")
HOSTILE_NAMES = (
    '"\\e]0;pwned\\a"',
    '"a\\u202Eb"',
    '"\\uFFFE"',
    '"\\x85next"',
    "yes",
    "''",
    '"a.b"',
    '"[0]"',
    "y" * 300,
    "1e999999999",
    "!!python/object/apply:os.system ['true']",
    '"base"',
    '"budget"',
)
SETS = (
    "stages.s1.rate=3%",
    "deal_size=60000",
    "stages.s1.rate=1e999999999",
    "name=\udcff",
    "target.clients=0",
    "nothing=1",
    "stages[9].rate=1",
    "limits.s0=5",
)
DATES = ("2027-01-01", "2026-11-15", "2199-12-01", "1900-01-01", "9999-06-01", "0001-01-01")
AS_OF = ("2027-03-31", "2026-12-31", "2030-01-01", "9999-12-31", "0000-01-01", "yesterday", "")
TOLERANCES = (
    "10%",
    "0",
    "100%",
    "1e999999999",
    "-5%",
    "2,5%",
    "abc",
    "0.000000000000000000000000000001",
)
VOLUMES = ("15000", "1", "0", "-3", "²", "٣٣", "9" * 5000, "1e5", "", "10000000000000000000000")
TARGETS = (
    None,
    None,
    "-",
    "out.txt",
    "exists.txt",
    "dangling",
    "fifo",
    "folder",
    "devnull-link",
    GOALS,
    "missing/out.txt",
    "n" * 300,
    "folder/",
)


@st.composite
def numbers(draw: st.DrawFn, sound: st.SearchStrategy[str], hostile: bool = True) -> str:
    """A YAML scalar: mostly sound, sometimes (in a hostile file) hostile."""
    if hostile and draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(HOSTILE_NUMBERS))
    return draw(sound)


sound_money = st.one_of(
    st.integers(1, 10**7).map(str),
    st.decimals(min_value=1, max_value=10**7, places=2).map(lambda d: f"{d:f}"),
)
sound_rates = st.one_of(
    st.sampled_from(SOUND_RATES),
    st.integers(1, 10_000).map(lambda n: f"{n / 100:g}%"),
    st.integers(1, 10**6).map(lambda n: f"0.{n:06d}" if n < 10**6 else "1"),
)


def _pick(draw: st.DrawFn, sound: tuple[str, ...], hostile: tuple[str, ...], bad: bool) -> str:
    """One of the sound values, or (in a hostile file) of both."""
    return draw(st.sampled_from((*sound, *hostile) if bad else sound))


@st.composite
def goals_text(draw: st.DrawFn, *, sound: bool = False) -> str:
    """A goals file: a sound skeleton, optional features, and (in half of them) hostile
    values mixed in."""
    hostile = not sound and draw(st.booleans())
    lines = _head(draw, hostile)
    count = draw(st.integers(2, 7)) if draw(st.integers(0, 19)) else draw(st.integers(0, 60))
    names = [
        draw(st.sampled_from(HOSTILE_NAMES))
        if hostile and draw(st.integers(0, 9)) == 0
        else f"s{i}"
        for i in range(count)
    ]
    lines.append("stages:")
    for index, name in enumerate(names):
        lines += _stage(draw, index, name, hostile)
    lines += _extras(draw, names, hostile)
    return _mutated(draw, "\n".join(lines) + "\n", hostile)


def _head(draw: st.DrawFn, hostile: bool) -> list[str]:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"name: {_pick(draw, ('FY27',), HOSTILE_NAMES, hostile)}")
    if draw(st.booleans()):
        lines.append(f"target:\n  revenue: {draw(numbers(sound_money, hostile))}")
        if not hostile or draw(st.integers(0, 9)):
            lines.append(f"deal_size: {draw(numbers(sound_money, hostile))}")
    else:
        clients = draw(numbers(st.integers(1, 10**6).map(str), hostile))
        lines.append(f"target:\n  clients: {clients}")
    return lines


def _stage(draw: st.DrawFn, index: int, name: str, hostile: bool) -> list[str]:
    lines = [f"  - name: {name}"]
    if index and draw(st.integers(0, 9)) == 0:  # a multiplier: 3 contacts per account
        lines.append(f"    per: {_pick(draw, ('3', '2.5'), ('300%', '0', '-2', '1e99'), hostile)}")
    elif index:
        lines.append(f"    rate: {draw(numbers(sound_rates, hostile))}")
    if draw(st.integers(0, 3)) == 0:
        owner = _pick(draw, ("marketing", "sales"), ("[]", *HOSTILE_NAMES), hostile)
        lines.append(f"    owner: {owner}")
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"    cost: {draw(numbers(sound_money, hostile))}")
    if index and draw(st.integers(0, 5)) == 0:
        lines.append(f"    lag: {_pick(draw, ('14d', '2m', '6w'), ('999m', '1e9d', 'x'), hostile)}")
    if index and draw(st.integers(0, 7)) == 0:
        lines.append(f"    daily: {_pick(draw, ('true', 'false'), ('no', '1'), hostile)}")
    return lines


def _extras(draw: st.DrawFn, names: list[str], hostile: bool) -> list[str]:
    lines: list[str] = []
    if draw(st.integers(0, 2)) == 0:
        lines.append(f"period:\n  start: {_pick(draw, DATES[:4], DATES[4:], hostile)}")
        unit = draw(st.sampled_from(("months", "quarters", "weeks")))
        lines.append(f"  {unit}: {_pick(draw, ('12', '4', '1'), ('520', '0', '1e99'), hostile)}")
        if draw(st.booleans()):
            lines.append("  seasonality: [0.8, 1, 0.7, 1.5]")
    if draw(st.integers(0, 2)) == 0:
        stage = _pick(draw, (*names, "budget"), ("nowhere",), hostile)
        lines.append(
            f"limits:\n  {stage}: {draw(numbers(st.integers(1, 10**6).map(str), hostile))}"
        )
    if hostile and draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(("ltv_cac", "payback_months", "coverage", "roas", "cac")))
        bound = _pick(
            draw, ("3", "{min: 2, max: 9}"), ("{min: 9, max: 2}", "{x: 1}", "5%"), hostile
        )
        lines.append(f"limits:\n  {name}: {bound}")
    if draw(st.integers(0, 3)) == 0:
        margin = _pick(draw, ("80%", "0.6"), ("120%", "-1", "x"), hostile)
        churn = _pick(draw, ("2%", "0"), ("101%", "[]"), hostile)
        per = _pick(draw, ("month", "year"), ("week", "1"), hostile)
        lines.append(
            f"unit_economics:\n  arpa: {draw(numbers(sound_money, hostile))}\n  per: {per}\n"
            f"  margin: {margin}\n  logo_churn: {churn}"
        )
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"fixed_costs:\n  tools: {draw(numbers(sound_money, hostile))}")
    if draw(st.integers(0, 3)) == 0 and len(names) >= 3:
        # channels: a fixed source and two shares, one converting at its own rates below
        below = _pick(draw, (names[-1],), (names[0], "nowhere"), hostile)
        rate, cost = draw(numbers(sound_rates, hostile)), draw(numbers(sound_money, hostile))
        lines.append(
            f"sources:\n  {names[1]}:\n    - {{name: event, volume: 5, cost: {cost}}}\n"
            f"    - {{name: paid, share: 60%, rate: {rate}, fixed_cost: {cost}, "
            f"rates: {{{below}: {rate}}}, deal_size: {cost}}}\n"
            "    - {name: organic, share: 40%}"
        )
    if draw(st.integers(0, 3)) == 0 and names:
        lines += _team(draw, names, hostile)
    elif draw(st.integers(0, 3)) == 0 and names:
        lines += _segments(draw, names, hostile)
    if draw(st.integers(0, 2)) == 0 and names:
        key = f"stages.{names[-1]}.rate"
        rate = draw(numbers(sound_rates, hostile))
        lines.append(f"scenarios:\n  faster:\n    set:\n      {key}: {rate}")
    return lines


def _team(draw: st.DrawFn, names: list[str], hostile: bool) -> list[str]:
    """A sales team: a role on a stage (or on a stage that is not there), with its figures."""
    stage = _pick(draw, tuple(names[1:]) or ("s0",), ("nowhere", "s0", "[]"), hostile)
    work = (
        f"quota: {draw(numbers(sound_money, hostile))}"
        if draw(st.booleans())
        else f"productivity: {draw(numbers(st.integers(1, 500).map(str), hostile))}"
    )
    ramp = _pick(draw, ("[25%, 50%, 75%]", "[]", "[0.5]"), ("[150%]", "[x]", "1"), hostile)
    lead = _pick(draw, ("45d", "2m", "6w"), ("999m", "-1d", "x"), hostile)
    heads = _pick(draw, ("0", "3", "12"), ("-1", "2.5", "1e999999999"), hostile)
    attrition = _pick(draw, ("0", "20%", "100%"), ("120%", "-5%", "x"), hostile)
    return [
        f"team:\n  AE:\n    stage: {stage}\n    {work}\n    ramp: {ramp}\n    lead_time: {lead}",
        f"    heads: {heads}\n    attrition: {attrition}\n    attainment: 80%",
    ]


def _segments(draw: st.DrawFn, names: list[str], hostile: bool) -> list[str]:
    """Two segments: shares (adding up to 100% when sound), overrides of the deal size and the
    last stage's rate, a segment limit; hostile: shares that miss, unknown keys or stages."""
    shares = draw(st.sampled_from((("60%", "40%"), ("0.5", "0.5"))))
    if hostile:
        shares = draw(st.sampled_from((shares, ("60%", "50%"), ("1e999999999", "~"))))
    lines = ["segments:", "  A:", f"    share: {shares[0]}"]
    if draw(st.booleans()):
        lines.append(f"    deal_size: {draw(numbers(sound_money, hostile))}")
    if draw(st.booleans()):
        stage = _pick(draw, (names[-1],), ("nowhere", names[0]), hostile)
        lines.append(f"    stages:\n      {stage}: {{rate: {draw(numbers(sound_rates, hostile))}}}")
    if draw(st.integers(0, 3)) == 0:
        lines.append(f"    limits: {{{names[0]}: {draw(st.integers(1, 10**6))}}}")
    if hostile and draw(st.integers(0, 3)) == 0:
        lines.append(draw(st.sampled_from(("    currency: EUR", "    dael_size: 5", "    x: [1"))))
    lines += ["  b:", f"    share: {shares[1]}"]
    return lines


def _mutated(draw: st.DrawFn, text: str, hostile: bool) -> str:
    """Sometimes (in a hostile file) cut short, tab-indented or with junk at the end."""
    mutation = draw(st.integers(0, 29)) if hostile else -1
    if mutation == 0:
        return text[: draw(st.integers(0, len(text)))]
    if mutation == 1:
        return text.replace("\n", "\n\t", 1)
    if mutation == 2:
        return text + draw(st.text(max_size=40))
    return text


@st.composite
def actuals(draw: st.DrawFn) -> tuple[str, bytes]:
    """An actuals file: CSV or YAML, mostly sound rows, some hostile."""
    kind = draw(st.sampled_from(("csv", "csv", "yaml", "txt")))
    segmented = draw(st.integers(0, 3)) == 0  # a segment column: A, b (any case) or hostile
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        period = draw(st.sampled_from(("2027-01", "2027-Q1", "0000-01", "9999-Q4", "2027-13", "x")))
        stage = draw(st.sampled_from(("s0", "s1", "s2", "S1", "\x1bc", "\x1b]0;t\x07", "nope")))
        count = draw(st.sampled_from(("5", "0", "-1", "1e999999999", "9" * 40, "²", "")))
        spend = draw(st.sampled_from(("", "10.50", "1e999999999", "-3", "2,5")))
        segment = draw(st.sampled_from(("A", "b", "a", "", "nope", "\x1bc"))) if segmented else ""
        rows.append((period, stage, count, spend, segment))
    if kind == "yaml":
        body = "".join(
            f"- {{period: '{p}', stage: \"{s.encode('unicode_escape').decode()}\", "
            f"count: {c or '~'}"
            + (f", spend: {sp}" if sp else "")
            + (f', segment: "{sg.encode("unicode_escape").decode()}"' if sg else "")
            + "}\n"
            for p, s, c, sp, sg in rows
        )
        return "actuals.yaml", body.encode()
    header = "period,stage,count,spend" + (",segment" if segmented else "")
    width = 5 if segmented else 4
    body = header + "\n" + "".join(",".join(row[:width]) + "\n" for row in rows)
    return f"actuals.{kind}", body.encode()


@dataclass
class Case:
    """One invocation: the files it reads, its flags, where it writes."""

    command: str
    goals: str | None
    flags: list[str]
    output: str | None = None
    force: bool = False
    format: str | None = None
    actuals: tuple[str, bytes] | None = None
    summary: str | None = None
    columns: str = "100"
    stdin: bytes | None = None
    positional: list[str] = field(default_factory=list)

    def files(self) -> list[str]:
        """The inputs of this case, by name."""
        names = [GOALS] if GOALS in self.positional and self.command != "init" else []
        return names + ([self.actuals[0]] if self.actuals else [])

    def args(self, root: Path) -> list[str]:
        """The command line."""
        del root  # every name is relative: the command runs in the case's folder
        args = [self.command, *self.positional, *self.flags]
        if self.format:
            args += ["--format", self.format]
        if self.output is not None and self.command != "init":
            args += ["--output", self.output]
        if self.force:
            args.append("--force")
        return args

    def written_path(self) -> str | None:
        """The file this case may write, if any."""
        if self.command == "init":
            path = self.positional[0] if self.positional else GOALS
            return None if path == "-" else path.rstrip("/")
        if self.output in (None, "-"):
            return None
        return self.output.rstrip("/") if self.output else None

    def prepare(self, root: Path) -> None:
        """Write the inputs and the output targets of every kind."""
        if self.goals is not None:
            (root / GOALS).write_text(self.goals, encoding="utf-8", errors="surrogatepass")
        if self.actuals is not None:
            (root / self.actuals[0]).write_bytes(self.actuals[1])
        (root / "exists.txt").write_text("keep me\n", encoding="utf-8")
        (root / "summary.md").write_text("# summary\n", encoding="utf-8")
        (root / "folder").mkdir()
        os.symlink("nowhere", root / "dangling")
        os.symlink(os.devnull, root / "devnull-link")
        os.mkfifo(root / "fifo")

    def describe(self) -> str:
        """The case, readable in a failure."""
        goals = (self.goals or "")[:1500]
        return f"args: {self.args(Path())}\nsummary: {self.summary}\ngoals:\n{goals}"


def _only_sets(flags: list[str]) -> list[str]:
    """The --set flags (and their values) of `flags`."""
    kept: list[str] = []
    for index, flag in enumerate(flags[:-1]):
        if flag == "--set":
            kept += [flag, flags[index + 1]]
    return kept


SWEEP_KEYS = ("stages.s1.rate", "deal_size", "stages.s9.rate", "target.clients")
SWEEP_SPANS = (
    "2%..4%/0.5%",
    "1..3/1",
    "40000..80000/10000",
    "2%..4%/1e-999999999%",
    "1e999999999..2e999999999/1",
    "0.1..0.2/0.0000000000000000000000000000001",
    "4..2/1",
    "1..1000000/1",
    "a..b/c",
)


def _sweep_flags(draw: st.DrawFn) -> list[str]:
    key, span = draw(st.sampled_from(SWEEP_KEYS)), draw(st.sampled_from(SWEEP_SPANS))
    flags = ["--vary", f"{key}={span}"]
    if draw(st.booleans()):
        flags += ["--show", draw(st.sampled_from(("s0", "budget", "nope")))]
    return flags


def _track_flags(draw: st.DrawFn) -> list[str]:
    flags = ["--as-of", draw(st.sampled_from(AS_OF))]
    if draw(st.booleans()):
        flags += ["--tolerance", draw(st.sampled_from(TOLERANCES))]
    if draw(st.booleans()):
        flags += ["--rates", "observed"]
    return flags


def _simulate_flags(draw: st.DrawFn) -> list[str]:
    flags = ["--runs", draw(st.sampled_from(("50", "1", "0", "-5", "2000000", "abc")))]
    flags += ["--seed", draw(st.sampled_from(("0", "7", "-1", str(2**70))))]
    if draw(st.booleans()):
        flags += ["--given", f"s0={draw(st.sampled_from(VOLUMES))}"]
    return flags


def _solve_flags(draw: st.DrawFn) -> list[str]:
    key = draw(st.sampled_from(("stages.s1.rate", "deal_size", "stages.s0.rate", "x")))
    stage = draw(st.sampled_from(("s0", "nope")))
    return ["--for", key, "--given", f"{stage}={draw(st.sampled_from(VOLUMES))}"]


def _project_flags(draw: st.DrawFn) -> list[str]:
    stage = draw(st.sampled_from(("s0", "s1", "nope")))
    return ["--from", f"{stage}={draw(st.sampled_from(VOLUMES))}"]


FAIL_IF = ("budget>10%", "stages.s0.volume>+5", "nope>1%", "budget 10%", "revenue<-1e999999999%")


def _diff_flags(draw: st.DrawFn) -> list[str]:
    return ["--fail-if", draw(st.sampled_from(FAIL_IF))] if draw(st.booleans()) else []


def _check_flags(draw: st.DrawFn) -> list[str]:
    return ["--all-scenarios"] if draw(st.booleans()) else []


def _no_flags(draw: st.DrawFn) -> list[str]:
    del draw
    return []


COMMAND_FLAGS = {
    "sweep": _sweep_flags,
    "track": _track_flags,
    "simulate": _simulate_flags,
    "solve": _solve_flags,
    "project": _project_flags,
    "check": _check_flags,
    "diff": _diff_flags,
}


def _format(draw: st.DrawFn, command: str) -> str | None:
    if command == "plan":  # json half the time: its plans are checked for the invariants
        return "json" if draw(st.booleans()) else draw(st.sampled_from(PLAN_FORMATS))
    if command in ("check", "diff"):
        return draw(st.sampled_from((None, *FORMATS, "github")))
    if command in ("validate", "schema", "init"):
        return None
    return draw(st.sampled_from((None, *FORMATS)))


@st.composite
def cases(draw: st.DrawFn, command: str | None = None) -> Case:
    """Any command (or `command`), with generated inputs, flags and output target."""
    command = command or draw(st.one_of(st.just("plan"), st.sampled_from(COMMANDS)))
    sound = draw(st.booleans())  # half the cases: a sound file, sound flags, stdout or a new file
    goals = draw(goals_text(sound=sound))
    positional, stdin = [GOALS], None
    if draw(st.integers(0, 9)) == 0:
        positional, stdin = ["-"], goals.encode("utf-8", "surrogatepass")
    flags: list[str] = []
    if not sound and draw(st.integers(0, 5)) == 0:
        flags += ["--set", draw(st.sampled_from(SETS))]
    if not sound and draw(st.integers(0, 5)) == 0:
        flags += ["--scenario", draw(st.sampled_from(("faster", "base", "\x1bc", "nope", "")))]
    if command not in ("validate", "schema", "init") and draw(st.integers(0, 5)) == 0:
        flags += ["--segment", draw(st.sampled_from(("A", "B", "nope", "\x1bc", "")))]
    flags += COMMAND_FLAGS.get(command, _no_flags)(draw)
    actuals_file = draw(actuals()) if command == "track" else None
    if actuals_file is not None:
        flags += ["--actuals", actuals_file[0]]
    if command == "plan" and ("period:" in goals or not sound) and draw(st.booleans()):
        flags += ["--by", draw(st.sampled_from(("month", "quarter", "week")))]
    if command == "diff":  # the file against another read from standard input
        positional = [GOALS, "-"]
        stdin = draw(goals_text(sound=draw(st.booleans()))).encode("utf-8", "surrogatepass")
    if command == "compare" and draw(st.booleans()):
        positional.append(draw(st.sampled_from(("faster", "nope", "\x1b[31m"))))
    output = draw(st.sampled_from((None, "-", "out.txt") if sound else TARGETS))
    if command == "validate":
        output, flags = None, _only_sets(flags)
    if command == "schema":
        output, flags, positional, stdin = None, [], [], None
    if command == "init":
        positional = [draw(st.sampled_from(("-", "new.yaml", *(t for t in TARGETS if t))))]
        flags, output, stdin = [], None, None
    summary = None
    if command in ("check", "compare", "diff") and draw(st.booleans()):
        summary = draw(st.sampled_from(("summary.md", GOALS, "fifo", "dangling", "folder")))
    return Case(
        command=command,
        goals=goals if command not in ("schema", "init") else None,
        flags=flags,
        output=output,
        force=draw(st.booleans()) if command != "schema" else False,
        format=_format(draw, command),
        actuals=actuals_file,
        summary=summary,
        columns=draw(st.sampled_from(("100", "100", "0", "-4", "abc", "20"))),
        stdin=stdin,
        positional=positional,
    )
