"""The report's tables computed in two processes (analytics/forked.py) are exactly the tables
computed in one; a second process that fails costs time, never figures."""

from __future__ import annotations

import gc
import os
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from analytics import forked
from analytics.dataset import load_dataset
from analytics.indicators import IndicatorBuilder, build_tables
from analytics.render.html import render_html
from analytics.report import build_report
from analytics.report_tables import REPORT_TABLES, TABLE_COST
from bot.cli.main import cli


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('forked') / 'demo.db'}"
    made = CliRunner().invoke(
        cli, ["--database-url", url, "demo-data", "--trainees", "300", "--seed", "5"]
    )
    assert made.exit_code == 0, made.output
    return url


def _tables(url: str, monkeypatch: pytest.MonkeyPatch, processes: str) -> dict[str, pd.DataFrame]:
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", processes)
    return build_tables(load_dataset(url, "solar", as_of=date(2027, 6, 1)))


def test_two_processes_give_the_same_tables_as_one(demo_url, monkeypatch):
    one = _tables(demo_url, monkeypatch, "1")
    two = _tables(demo_url, monkeypatch, "2")
    assert list(two) == list(one)
    for name in one:
        pd.testing.assert_frame_equal(two[name], one[name], check_exact=True)
    assert any(len(table) for table in one.values())


def test_the_child_really_computes_its_half(demo_url, monkeypatch):
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")
    builder = IndicatorBuilder(load_dataset(demo_url, "solar", as_of=date(2027, 6, 1)))
    parent = os.getpid()
    computed_by: dict[str, int] = {}

    def task(names: list[str]) -> dict[str, int]:
        builder.compute_tables(names)
        return {name: os.getpid() for name in names}

    computed_by = forked.map_in_two_processes(task, list(REPORT_TABLES), TABLE_COST)
    assert set(computed_by) == set(REPORT_TABLES)
    assert {pid == parent for pid in computed_by.values()} == {True, False}


def test_a_failing_child_is_replaced_by_the_parent(demo_url, monkeypatch, caplog):
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")
    parent = os.getpid()

    def task(names: list[str]) -> dict[str, str]:
        if os.getpid() != parent:
            raise MemoryError("out of memory in the child")
        return {name: name.upper() for name in names}

    assert forked.map_in_two_processes(task, ["a", "b", "c"]) == {"a": "A", "b": "B", "c": "C"}
    assert "second process failed (MemoryError" in caplog.text


def test_a_child_killed_outright_is_replaced_too(monkeypatch):
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")
    parent = os.getpid()

    def task(names: list[str]) -> dict[str, int]:
        if os.getpid() != parent:
            os._exit(9)  # as the kernel's OOM killer would end it: no answer at all
        return {name: len(name) for name in names}

    assert forked.map_in_two_processes(task, ["ab", "c", "def"]) == {"ab": 2, "c": 1, "def": 3}


def test_halves_balance_the_cost_and_keep_the_order():
    mine, theirs = forked.balanced_halves(list("abcde"), {"a": 4, "b": 1, "c": 1, "d": 1, "e": 1})
    assert (mine, theirs) == (["a"], ["b", "c", "d", "e"])
    assert forked.balanced_halves(["x"], {}) == (["x"], [])


def test_no_second_process_when_fork_fails(monkeypatch, caplog):
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")

    def refuse(self) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("multiprocessing.process.BaseProcess.start", refuse)
    assert forked.map_in_two_processes(lambda names: {n: 1 for n in names}, ["a", "b"]) == {
        "a": 1,
        "b": 1,
    }
    assert "no second process" in caplog.text


def test_a_daemon_process_computes_alone(monkeypatch):
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")
    monkeypatch.setattr(
        "multiprocessing.current_process", lambda: type("P", (), {"daemon": True})()
    )
    assert forked.processes() == 1


def test_the_html_report_drawn_by_two_processes_is_the_one_drawn_by_one(demo_url, monkeypatch):
    report = build_report(demo_url, "solar", as_of=date(2027, 6, 1))
    pages = {}
    for processes in ("1", "2"):
        monkeypatch.setenv("TRACER_REPORT_PROCESSES", processes)
        pages[processes] = render_html(report)
    assert pages["2"] == pages["1"]
    assert pages["1"].count("data:image/png;base64,") >= 3  # the charts are in it


def test_the_forked_work_leaves_the_garbage_collector_as_it_found_it(monkeypatch):
    """The objects frozen for the fork are released after it, but a process that froze its own
    (the servers, at start-up: bot/gc_freeze.py) keeps them frozen."""
    monkeypatch.setenv("TRACER_REPORT_PROCESSES", "2")
    gc.unfreeze()
    assert forked.map_in_two_processes(lambda names: {n: 1 for n in names}, ["a", "b"]) == {
        "a": 1,
        "b": 1,
    }
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        held = gc.get_freeze_count()
        forked.map_in_two_processes(lambda names: {n: 2 for n in names}, ["a", "b"])
        assert gc.get_freeze_count() >= held > 0
    finally:
        gc.unfreeze()
