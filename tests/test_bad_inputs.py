"""The corpus of broken and hostile goals files: each gets a located message and exit 2.

Grow it whenever a new way in is found: drop the file in tests/corpus/bad/ and add its
expected line and message below (the meta-test fails until you do).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from funnelcalc import yamlsource
from tests.conftest import run_cli

CORPUS = Path(__file__).parent / "corpus" / "bad"

# file name → (line of the first problem or None when the whole file is at fault, key path of
# the first problem or None, a fragment of its message)
EXPECTED: dict[str, tuple[int | None, str | None, str]] = {
    "alias-bomb.yaml": (2, None, "aliases (*name) are not allowed"),
    "alias.yaml": (3, None, "aliases (*name) are not allowed"),
    "binary-nul.yaml": (None, None, "is a binary file"),
    "binary-tag.yaml": (3, "deal_size", "the YAML tag !!binary is not supported"),
    "clients-fraction.yaml": (2, "target.clients", "must be a whole number, not 2.5"),
    "clients-zero.yaml": (2, "target.clients", "clients must be at least 1"),
    "comments-only.yaml": (None, None, "the file has no content"),
    "complex-key.yaml": (1, None, "a key must be plain text"),
    "control-character.yaml": (1, None, "a character YAML does not allow (#x0007)"),
    "currency-bad.yaml": (1, "currency", "three-letter ISO 4217 code"),
    "cost-range-dots.yaml": (
        4,
        "stages.visitors.cost",
        "'1..2': a range is written {low: 1, high: 2}",
    ),
    "custom-tag.yaml": (3, "deal_size", "the YAML tag !money is not supported"),
    "deal-size-missing.yaml": (2, "target.revenue", "needs deal_size"),
    "deal-size-negative.yaml": (3, "deal_size", "an amount must be above 0"),
    "deal-size-octal.yaml": (3, "deal_size", "YAML 1.1 reads '050000' as a number in another base"),
    "deal-size-sexagesimal.yaml": (3, "deal_size", "YAML 1.1 reads '50:00'"),
    "deal-size-thousands-separator.yaml": (3, "deal_size", "without thousands separators"),
    "deep-nesting.yaml": (1, None, "nested deeper than 32 levels"),
    "duplicate-key.yaml": (4, "deal_size", "duplicate key 'deal_size' (first at line 3)"),
    "duplicate-stage-name.yaml": (8, "stages[2].name", "'Leads' is already the name of stage 2"),
    "empty.yaml": (None, None, "the file is empty"),
    "many-problems.yaml": (1, "target", "is required"),
    "merge-key.yaml": (4, None, "aliases (*name) are not allowed"),
    "misplaced-revenue.yaml": (1, "revenue", "unknown key 'revenue'; it belongs at target.revenue"),
    "no-target.yaml": (1, "target", "is required"),
    "not-a-mapping-list.yaml": (1, None, "must be a mapping of keys"),
    "not-a-mapping-scalar.yaml": (1, None, "must be a mapping of keys"),
    "not-utf8.yaml": (10, None, "is not UTF-8 text (byte 0xe9)"),
    "one-stage.yaml": (4, "stages", "at least two stages"),
    "owner-no.yaml": (10, "stages.clients.owner", "YAML reads a bare no as false"),
    "python-tag.yaml": (1, "target", "the YAML tag !!python/object/apply:os.system"),
    "segment-bad-override-value.yaml": (14, "segments.SMB.stages.SQL.rate", "(in segment SMB)"),
    "segment-mixed-forms.yaml": (13, "segments.Enterprise", "give every segment a share, or"),
    "segment-own-stages-end.yaml": (15, "segments.Partner.stages", "ends with 'won'"),
    "segment-sets-currency.yaml": (13, "segments.SMB.currency", "a segment cannot set currency"),
    "segment-shared-pipeline.yaml": (11, "pipeline", "give each segment its own pipeline"),
    "segment-shares-not-100.yaml": (11, "segments", "the shares add up to 90%, not 100%"),
    "segment-targets-not-sum.yaml": (11, "segments", "add up to 900000, but the company's is"),
    "segment-unknown-key.yaml": (13, "segments.SMB.dael_size", "did you mean 'deal_size'?"),
    "segment-unknown-stage.yaml": (14, "segments.SMB.stages.SQLs", "did you mean 'SQL'?"),
    "rate-range-dots.yaml": (5, "stages.leads.rate", "a range is written {low: 2%, high: 3%}"),
    "rate-above-one.yaml": (9, "stages.clients.rate", 'did you mean "20%"?'),
    "rate-infinite.yaml": (9, "stages.clients.rate", "must be a finite number"),
    "rate-list.yaml": (9, "stages.clients.rate", "must be a number, not a list"),
    "rate-missing.yaml": (8, "stages.clients", "needs a rate: the share of leads"),
    "rate-negative-percent.yaml": (9, "stages.clients.rate", "above 0% and at most 100%"),
    "rate-on-top-stage.yaml": (6, "stages.visitors.rate", "the first stage is the top"),
    "rate-over-100-percent.yaml": (9, "stages.clients.rate", "above 0% and at most 100%"),
    "rate-scientific.yaml": (9, "stages.clients.rate", "YAML 1.1 needs a dot before the exponent"),
    "rate-text.yaml": (9, "stages.clients.rate", "not 'twenty percent'"),
    "rate-zero.yaml": (9, "stages.clients.rate", "a rate must be above 0"),
    "revenue-and-clients.yaml": (2, "target", "either revenue or clients, not both"),
    "revenue-huge.yaml": (2, "target.revenue", "has more than 30 digits"),
    "revenue-text.yaml": (2, "target.revenue", "must be a number, not 'half a million'"),
    "stage-name-control-chars.yaml": (6, "stages[1].name", "contains control characters"),
    "stage-name-empty.yaml": (6, "stages[1].name", "must not be empty"),
    "stage-name-missing.yaml": (6, "stages[1].name", "is required"),
    "stage-name-yes.yaml": (6, "stages[1].name", "YAML reads a bare yes as true"),
    "stage-not-a-mapping.yaml": (4, "stages[0]", "must be a mapping of keys"),
    "stages-not-a-list.yaml": (4, "stages", "must be a list"),
    "syntax-bad-indent.yaml": (3, None, "not valid YAML"),
    "syntax-tab-indent.yaml": (2, None, "not valid YAML"),
    "syntax-unclosed-flow.yaml": (4, None, "not valid YAML"),
    "target-empty.yaml": (1, "target", "give revenue (with deal_size) or clients"),
    "too-many-stages.yaml": (4, "stages", "at most 50 stages"),
    "two-documents.yaml": (10, None, "expected a single document"),
    "unknown-stage-key.yaml": (10, "stages.clients.ownr", "did you mean 'owner'?"),
    "unknown-top-key.yaml": (10, "dealsize", "did you mean 'deal_size'?"),
    "utf16.yaml": (None, None, "save it as UTF-8"),
    "whitespace-only.yaml": (None, None, "the file is empty"),
    "scenario-bad-value.yaml": (13, "scenarios.faster.set.stages.leads.rate", "at most 100%"),
    "scenario-bare-no.yaml": (13, "scenarios.faster.set.stages.leads.owner", "bare no as false"),
    "scenario-empty-set.yaml": (12, "scenarios.faster.set", "must not be empty"),
    "scenario-list-value.yaml": (13, "scenarios.faster.set.deal_size", "not a list"),
    "scenario-missing-set.yaml": (12, "scenarios.faster.set", "is required"),
    "scenario-misspelt-set.yaml": (12, "scenarios.faster.set", "is required"),
    "scenario-named-base.yaml": (12, "scenarios.Base", "names the plan without a scenario"),
    "scenario-renames-stage.yaml": (13, "scenarios.faster.set.stages.leads.name", "renamed"),
    "scenario-sets-scenarios.yaml": (13, "scenarios.faster.set.scenarios.x", "cannot be set"),
    "scenario-unknown-key.yaml": (13, "scenarios.faster.set.stages.leads.rat", "'rate'?"),
    "scenarios-not-a-mapping.yaml": (11, "scenarios", "must be a mapping of keys"),
    "limit-unknown-stage.yaml": (11, "limits.visitor", "did you mean 'visitors'?"),
    "limit-zero.yaml": (11, "limits.visitors", "a limit must be above 0"),
    "cost-negative.yaml": (6, "stages.visits.cost", "a cost must not be negative"),
    "fixed-cost-text.yaml": (11, "fixed_costs.tools", "a cost must be a number, not 'lots'"),
    "sources-duplicate-name.yaml": (13, "sources.leads[1].name", "'A' is listed twice"),
    "sources-empty.yaml": (11, "sources.leads", "list at least one source"),
    "sources-fixed-with-rate.yaml": (12, "sources.leads[0].rate", "it has no rate"),
    "sources-only-fixed.yaml": (12, "sources.leads", "give at least one source a share"),
    "sources-share-zero.yaml": (12, "sources.leads[0].share", "a share must be above 0%"),
    "sources-shares-not-100.yaml": (12, "sources.leads", "the shares add up to 90%, not 100%"),
    "sources-top-stage-rate.yaml": (12, "sources.visits[0].rate", "the top stage has no stage"),
    "sources-unknown-stage.yaml": (12, "sources.lead", "did you mean 'leads'?"),
    "sources-volume-and-share.yaml": (12, "sources.leads[0]", "either a volume"),
    "sources-rates-stage-above.yaml": (12, "sources.leads[0].rates.visits", "visits is above"),
    "sources-rates-unknown-stage.yaml": (12, "sources.leads[0].rates.sale", "'sales'?"),
    "sources-fixed-with-fixed-cost.yaml": (12, "sources.leads[0].fixed_cost", "already what"),
    "sources-below-channels.yaml": (14, "sources.sales", "a stage below cannot split"),
    "stage-rate-missing-some-source.yaml": (6, "stages.leads", "a rate on each of its share"),
    "pipeline-above-rateless-stage.yaml": (12, "pipeline.visits", "give leads a rate"),
    "growth-without-baseline.yaml": (2, "target.growth", "growth is over a baseline"),
    "baseline-churn-over-100.yaml": (12, "baseline.churn", "churn is at most 100%"),
    "baseline-growth-bare-20.yaml": (2, "target.growth", 'did you mean "20%"?'),
    "baseline-with-clients.yaml": (2, "target.clients", "with a baseline, the target is revenue"),
    "budget-limit-and-budget-stage.yaml": (11, "limits.budget", "a stage is named budget too"),
    "budget-share-without-deal-size.yaml": (10, "limits.budget", "needs deal_size"),
    "stage-limit-as-share.yaml": (11, "limits.leads", "a stage's limit is a volume"),
    "period-bad-date.yaml": (8, "period.start", "'2027-02-30' is not a date"),
    "period-bad-holiday.yaml": (10, "period.holidays[0]", "'christmas' is not a date"),
    "period-bad-working-day.yaml": (10, "period.working_days[1]", "not 'funday'"),
    "period-no-length.yaml": (8, "period", "one of months, quarters or weeks"),
    "period-seasonality-length.yaml": (10, "period.seasonality", "has 3 weights"),
    "period-seasonality-negative.yaml": (10, "period.seasonality[1]", "must not be negative"),
    "period-seasonality-zero.yaml": (10, "period.seasonality", "the weights add up to 0"),
    "period-too-long.yaml": (9, "period.weeks", "at most 520 weeks"),
    "period-two-lengths.yaml": (8, "period", "one of months, quarters or weeks"),
    "lag-bad-unit.yaml": (7, "stages.won.lag", "not '14x'"),
    "lag-on-top-stage.yaml": (5, "stages.leads.lag", "the top stage has no stage above it"),
    "lag-too-long.yaml": (7, "stages.won.lag", "at most three years"),
    "daily-not-bool.yaml": (7, "stages.won.daily", "must be true or false"),
    "range-bad-low.yaml": (7, "stages.won.rate.low", "a percentage rate must be above 0%"),
    "range-likely-outside.yaml": (3, "deal_size", "likely must lie between low and high"),
    "range-low-above-high.yaml": (7, "stages.won.rate", "low must be below high"),
    "range-missing-high.yaml": (7, "stages.won.rate.high", "is required"),
    "range-unknown-key.yaml": (7, "stages.won.rate.mode", "expected one of: low, high, likely"),
    # issue 14: a sales team
    "team-without-period.yaml": (9, "team", "a team is planned month by month: add `period:`"),
    "team-unknown-stage.yaml": (17, "team.AE.stage", "no stage is named 'wins'"),
    "team-quota-not-last-stage.yaml": (17, "team.SDR.quota", "a quota in revenue is for the stage"),
    "team-no-productivity.yaml": (17, "team.AE", "give productivity (won a ramped head produces"),
    "team-role-without-stage.yaml": (17, "team.CSM", "say which stage CSM works"),
    "team-ramp-over-100.yaml": (18, "team.AE.ramp[1]", "a ramp month is at most 100%"),
    "team-heads-fraction.yaml": (18, "team.AE.heads", "heads must be a whole number, not 2.5"),
    "team-limit-hires-fraction.yaml": (19, "limits.hires", "a limit on hires must be a whole"),
    "team-limit-heads-without-team.yaml": (16, "limits.heads", "a limit on heads needs a team"),
    "team-limit-heads-clashes-stage.yaml": (18, "limits.heads", "a stage is named heads too"),
    # a file with segments has a team per segment: the message says where its limit goes
    "segment-company-heads-limit.yaml": (13, "limits.heads", "limit heads in a segment's"),
    # issue 11, one or more per class: 1 huge exponents, 2 exit 3 on hostile input,
    # 3 exactness (refused, never rounded), 4 quadratic error paths, 5 files that are not
    # files, 6 terminal safety, 7 smaller ones
    "rate-huge-exponent.yaml": (9, "stages.clients.rate", "a rate has more than 30 digits"),
    "rate-tiny-exponent.yaml": (9, "stages.clients.rate", "a rate has more than 30 digits"),
    "period-start-year-9999.yaml": (9, "period.start", "a date is from 1900-01-01 to 2199-12-31"),
    "deal-size-float-tag.yaml": (3, "deal_size", "the YAML tag !!float is not supported"),
    "cost-too-many-digits.yaml": (5, "stages.visitors.cost", "a cost has more than 30 digits"),
    "many-stages-owner-list.yaml": (4, "stages", "a funnel has at most 50 stages"),
    "dangling-link.yaml": (None, None, "no such file"),
    "unknown-key-escape-sequence.yaml": (10, None, "unknown key '\\x1b]0;pwned\\x07\\x1bc'"),
    "stage-name-noncharacter.yaml": (6, None, "contains a Unicode noncharacter"),
    # issue 13: ratios, unit economics, limits with bounds, multipliers
    "rate-300-percent.yaml": (7, "stages.contacts.rate", "write per: 3"),
    "rate-and-per.yaml": (6, "stages.contacts", "give a rate (a share) or per (a multiplier)"),
    "per-on-top-stage.yaml": (6, "stages.accounts.per", "the top stage has no stage above it"),
    "margin-over-100.yaml": (14, "unit_economics.margin", "a gross margin is at most 100%"),
    "ltv-limit-without-churn.yaml": (
        17,
        "limits.ltv_cac",
        "with a logo churn of 0 LTV is unbounded",
    ),
    "payback-limit-without-arpa.yaml": (
        14,
        "limits.payback_months",
        "a limit on payback_months needs unit_economics.arpa",
    ),
    "arpa-without-per.yaml": (12, "unit_economics", "arpa needs its time unit"),
    "limit-min-above-max.yaml": (12, "limits.leads", "min 900 is above max 800"),
    "limit-bound-unknown.yaml": (12, "limits.coverage", "bounds are min and max; not 'least'"),
    "limit-ratio-as-share.yaml": (12, "limits.roas", "roas is not a share of revenue"),
    "pipeline-from-top.yaml": (11, "pipeline_from", "the top stage is not pipeline"),
    "pipeline-from-unknown.yaml": (11, "pipeline_from", "did you mean 'leads'?"),
    "pipeline-from-won.yaml": (11, "pipeline_from", "won deals are closed, not pipeline"),
    "limit-budget-no-cost.yaml": (8, "limits.budget", "a limit on the budget needs a cost"),
    "limit-heads-bounds.yaml": (11, "limits.heads", "a whole number, not min and max"),
    "deal-size-null-tag.yaml": (3, "deal_size", "the YAML tag !!null is not supported"),
    "scenarios-too-many.yaml": (8, "scenarios", "has 150 entries; at most 100 are allowed"),
    "rate-decimal-comma.yaml": (
        9,
        "stages.clients.rate",
        "write a decimal point, not a comma: 2.5",
    ),
}


def test_every_corpus_file_has_an_expectation() -> None:
    """The corpus and the table above name the same files."""
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


def test_corpus_is_large() -> None:
    """At least 30 broken or hostile files are kept."""
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_reported_with_its_location(name: str) -> None:
    """Exit 2, nothing on stdout, the first message names file, line and key; no traceback."""
    line, key, fragment = EXPECTED[name]
    path = CORPUS / name
    result = run_cli("plan", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    where = f"{path}:{line}:" if line is not None else f"{path}: "
    assert first.startswith(where), first
    if key is not None:
        assert f": {key}: " in first, first
    assert fragment in first, first


def test_every_problem_is_reported_not_just_the_first() -> None:
    """A file with many mistakes lists them all (up to 50, then a count), in file order."""
    result = run_cli("plan", str(CORPUS / "many-problems.yaml"))
    lines = result.stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == "… and 12 more problems"
    numbers = [int(line.split(":")[1]) for line in lines[:-1]]
    assert numbers == sorted(numbers)


def test_several_different_problems_in_one_file(tmp_path: Path) -> None:
    """Field errors and cross-key rules are reported together."""
    path = tmp_path / "goals.yaml"
    path.write_text(
        "target:\n  revenue: 500000\nstages:\n  - name: a\n  - name: A\n    rate: 2.5\n"
        "    ownr: x\n",
        encoding="utf-8",
    )
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:2:12: target.revenue: needs deal_size at the top level: "
        "the average revenue per new client",
        f"{path}:5:11: stages[1].name: 'A' is already the name of stage 1; "
        "stage names must be unique",
        f'{path}:6:11: stages[1].rate: a rate is at most 1 (100%); did you mean "2.5%"?',
        f"{path}:7:5: stages[1].ownr: unknown key 'ownr'; did you mean 'owner'?",
    ]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"x: " + b"a" * (1024 * 1024 + 10), "is larger than 1 MiB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
        (b"\xef\xbb\xbf" + b"target: {clients: 1}\nstages: [{name: a}, {name: b, rate: 1}]\n", ""),
    ],
    ids=["huge", "png", "utf8-bom-is-fine"],
)
def test_generated_hostile_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    """Huge and binary files are refused by size and content; a UTF-8 BOM is accepted."""
    path = tmp_path / "goals.yaml"
    path.write_bytes(content)
    result = run_cli("plan", str(path))
    assert "Traceback" not in result.stderr
    if fragment:
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{path}: {fragment}")
    else:
        assert result.exit_code == 0, result.stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """A path that is not a readable file is named in a one-line message."""
    missing = run_cli("plan", str(tmp_path / "nope.yaml"))
    assert (missing.exit_code, missing.stderr) == (2, f"{tmp_path / 'nope.yaml'}: no such file\n")
    folder = run_cli("plan", str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr == f"{tmp_path}: is a directory, not a goals file\n"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the user may not read is reported as such (simulated: tests may run as root)."""
    path = tmp_path / "goals.yaml"
    path.write_text("target: {clients: 1}\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    result = run_cli("plan", str(path))
    assert (result.exit_code, result.stderr) == (2, f"{path}: permission denied: cannot read it\n")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pure_python_yaml_reports_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyYAML lacks libyaml, the pure-Python parser reports the same problems at the
    same places (only its wording of a YAML syntax error differs)."""

    def located(stderr: str) -> str:
        # The two parsers word a syntax error differently; where it is, is the same.
        return stderr.split(": not valid YAML", maxsplit=1)[0]

    path = CORPUS / name
    fast = run_cli("plan", str(path)).stderr
    monkeypatch.setattr(yamlsource, "_composer", yamlsource._PythonComposer)
    slow = run_cli("plan", str(path)).stderr
    assert located(slow) == located(fast)
    assert ("not valid YAML" in slow) == ("not valid YAML" in fast)


def test_huge_files_get_every_problem_counted() -> None:
    """Unknown keys, or stages, by the thousand (up to the 50,000 values and keys a goals
    file may hold) are refused with located messages: 50 shown, the rest counted (how fast is
    measured in tests/perf/bench_inputs.py, not here)."""
    keys = "\n".join(f"k{i}: 1" for i in range(24_000))
    result = run_cli("plan", "-", stdin=keys)
    assert result.exit_code == 2
    # 24,000 unknown keys, target and stages missing: 24,002 problems, 50 of them shown
    assert result.stderr.splitlines()[-1] == "… and 23,952 more problems"
    stages = "stages:\n" + "\n".join(f"  - {{name: s{i}, rate: 50%}}" for i in range(9_000))
    result = run_cli("plan", "-", stdin=stages)
    assert result.exit_code == 2
    assert "a funnel has at most 50 stages" in result.stderr
