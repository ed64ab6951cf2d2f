"""Acceptance (issue 14): an attacker subtracting over every table of a demo report recovers
no hidden cell; and the attack itself finds what naive suppression leaves open."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from tests.analytics.disclosure_attack import HIDDEN, recover_hidden_cells


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('attack') / 'demo.db'}"
    result = CliRunner().invoke(
        cli,
        [
            "--database-url",
            url,
            "demo-data",
            "--trainees",
            "400",
            "--seed",
            "3",
            "--programme",
            "solar",
        ],
    )
    assert result.exit_code == 0, result.output
    return url


def report_tables(url: str, folder) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli,
        [
            "--database-url",
            url,
            "report",
            "--programme",
            "solar",
            "--format",
            "csv",
            "--out",
            str(folder / "csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    return {
        path.stem: pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted((folder / "csv").glob("*.csv"))
        if path.stem != "about"
    }


@pytest.fixture(scope="module")
def demo_tables(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return report_tables(demo_url, tmp_path_factory.mktemp("report"))


def test_without_complements_the_attack_finds_hidden_cells(demo_url, tmp_path, monkeypatch):
    monkeypatch.setattr("analytics.disclosure.solvable", lambda grid: {})
    assert recover_hidden_cells(report_tables(demo_url, tmp_path)) != []


def test_demo_report_hides_small_cells(demo_tables):
    hidden = sum(int((t == HIDDEN).any(axis=1).sum()) for t in demo_tables.values())
    assert hidden > 0  # the demo data has small groups: the attack below is not vacuous
    labour = demo_tables["labour"]
    shown = labour[labour["n"] != HIDDEN]
    n = shown["n"].astype(int)
    assert ((n >= 5) | (n == 0)).all()


def test_no_hidden_cell_of_a_demo_report_can_be_recovered(demo_tables):
    assert recover_hidden_cells(demo_tables) == []


def test_response_figures_are_not_printed_for_fewer_than_5_due(demo_tables):
    response = demo_tables["response"]
    small = response[(response["due"] != HIDDEN) & (response["due"] != "")]
    due = small["due"].astype(int)
    assert ((due >= 5) | (due == 0)).all()
    for table in demo_tables.values():
        if "response_rate" in table.columns and "indicator" in table.columns:
            shown = table[(table["due"] != HIDDEN) & (table["due"] != "")]
            assert ((shown["due"].astype(float) >= 5) | (shown["due"].astype(float) == 0)).all()


def test_the_attack_recovers_a_cell_hidden_without_complement():
    # all = 9/12, R = 8/9 published, S hidden: S = 1/3 (the example of issue 14)
    table = pd.DataFrame(
        {
            "indicator": ["Employment rate"] * 3,
            "wave": ["followup_6"] * 3,
            "breakdown": ["all", "completion", "completion"],
            "group": ["all", "completed", "dropped_out"],
            "n": ["12", "9", HIDDEN],
            "count": ["9", "8", HIDDEN],
            "value": ["75", "88.9", HIDDEN],
            "kind": ["share"] * 3,
        }
    )
    recovered = {(c[4], c[5]): c[6] for c in recover_hidden_cells({"labour": table})}
    assert recovered == {("dropped_out", "n"): 3.0, ("dropped_out", "count"): 1.0}


def test_the_issue_example_gets_a_complement_and_keeps_its_total():
    from analytics.disclosure import SUPPRESSED, protect_tables

    rows = [
        ("all", "all", 12, 9),
        ("completion", "completed", 9, 8),
        ("completion", "dropped_out", 3, 1),
    ]
    table = pd.DataFrame(
        [
            {
                "indicator": "Employment rate",
                "wave": "followup_6",
                "breakdown": b,
                "group": g,
                "n": n,
                "count": c,
                "value": 100 * c / n,
                "kind": "share",
            }
            for b, g, n, c in rows
        ]
    )
    response = pd.DataFrame(
        [
            {
                "wave": "followup_6",
                "breakdown": b,
                "group": g,
                "due": n + 1,
                "responded": n,
                "response_rate": 100 * n / (n + 1),
            }
            for b, g, n, _ in rows
        ]
    )
    tables, protected = protect_tables({"labour": table}, response)
    labour = tables["labour"].set_index("group")
    assert labour.loc["dropped_out", "value"] == SUPPRESSED  # n = 3
    assert labour.loc["completed", "value"] == SUPPRESSED  # else 9 − 8 = 1 of 12 − 9 = 3
    assert labour.loc["all", "value"] == pytest.approx(75.0)
    # 4 due among dropouts: responded/due not printed, for the completers neither
    assert protected.set_index("group").loc["dropped_out", "due"] == SUPPRESSED
    assert protected.set_index("group").loc["completed", "due"] == SUPPRESSED
    assert labour.loc["completed", "due"] == SUPPRESSED
