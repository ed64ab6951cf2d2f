"""Where database code may be written (README "Where the SQL is", docs/storage.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Packages and modules allowed to build and run queries. Everything else in bot/ and actions/
# asks one of them; it may still catch ``sqlalchemy.exc`` errors.
SQL_PLACES = (
    "bot/storage/",  # models, engine, migrations, the survey's repository, tracker store
    "bot/outreach/",  # officer jobs on the registry (shared reads: bot/outreach/queries.py)
    "bot/console/",  # the officer console's data modules (its views, views_*.py, write none)
    "bot/feedback/",  # results sent back to trainees: recipients, opt-outs, sends
    "bot/ops/",  # maintenance: backup, keys, purge, reconcile (tracker: ops/tracker_events.py)
    "bot/channels/telegram/state.py",  # each channel's own state table
    "bot/channels/whatsapp/state.py",
    "bot/occupations/coding.py",  # the officer's occupation-coding queue
    "bot/questionnaire/versions.py",  # the questionnaire_version history table
    "bot/demo_data.py",  # fills a database with synthetic data
    "bot/devseed.py",
)
QUERY_CALLS = {"execute", "exec_driver_sql", "scalars", "scalar", "query"}


def _speaks_sql(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            if node.module != "sqlalchemy.exc":
                found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {a.name}" for a in node.names if "sqlalchemy" in a.name
            ]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in QUERY_CALLS and isinstance(node.func.value, ast.Name):
                if node.func.value.id in ("session", "connection"):
                    found.append(f"{node.lineno}: {node.func.value.id}.{node.func.attr}(...)")
    return found


def test_sql_only_where_the_readme_says():
    offenders = []
    for area in ("bot", "actions"):
        for path in sorted((ROOT / area).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if not name.startswith(SQL_PLACES) or "/views_" in name:
                offenders += [f"{name}:{hit}" for hit in _speaks_sql(path)]
    assert offenders == [], "queries outside their places (see README):\n" + "\n".join(offenders)


def test_the_check_sees_a_query(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy import select\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "def f(session):\n"
        "    return session.execute(select(1))\n",
        encoding="utf-8",
    )
    assert _speaks_sql(sample) == ["1: from sqlalchemy import ...", "4: session.execute(...)"]


MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60


def _too_long(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    if len(text.splitlines()) > MAX_FILE_LINES:
        found.append(f"{len(text.splitlines())} lines")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}() is {length} lines")
    return found


def test_small_modules_and_short_functions():
    """Issue 12: no file over 400 lines, no function over 60, in bot/, actions/, analytics/."""
    offenders = [
        f"{path.relative_to(ROOT)}: {problem}"
        for area in ("bot", "actions", "analytics")
        for path in sorted((ROOT / area).rglob("*.py"))
        for problem in _too_long(path)
    ]
    assert offenders == [], "split these:\n" + "\n".join(offenders)


def test_the_size_check_sees_a_long_function(tmp_path: Path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    sample = tmp_path / "long.py"
    sample.write_text(f"def long():\n{body}\n", encoding="utf-8")
    assert _too_long(sample) == [f"long() is {MAX_FUNCTION_LINES + 1} lines"]
