"""Shared helpers for the CLI tests: a cohort file and its import."""

from __future__ import annotations

from pathlib import Path

from tests.outreach.helpers import run_cli

HEADER = "cohort_code,cohort_name,start_date,end_date,region,timezone,trainee_ref,name,phone,email,sex,birth_year,language"  # noqa: E501
GOOD = [
    "2026A,Solar 2026A,2026-01-05,2026-06-30,Thiès,Africa/Dakar,R-001,Awa Diop,+221 77 123 45 67,awa@example.org,f,2001,fr",  # noqa: E501
    "2026A,,,,,,R-002,Moussa Ba,77 234 56 78,,male,1999,fr",
    "2026B,Solar 2026B,2026-03-01,2026-09-30,Dakar,Africa/Dakar,R-003,Fatou Sow,,fatou@example.org,,,en",  # noqa: E501
]


def write_cohort(tmp_path: Path, lines: list[str], name: str = "cohort.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def import_cohort(env, path, *extra):
    return run_cli(env, "cohorts", "import", str(path), "--programme", "solar",
                   "--region-code", "SN", *extra)  # fmt: skip
