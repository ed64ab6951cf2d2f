"""Anonymised row-level data for researchers and officers (statistical disclosure control).

Use :func:`anonymise` to get a :class:`Release` (never raw data) and :func:`write_release` to
write microdata, codebook and disclosure-risk summary.  See ``docs/export.md``.
"""

from analytics.anonymise.config import Rules, RulesError, default_rules, rules_from_file
from analytics.anonymise.pipeline import ExportRefusedError, Release, anonymise, parse_waves
from analytics.anonymise.writers import FORMATS, write_release

__all__ = [
    "FORMATS",
    "ExportRefusedError",
    "Release",
    "Rules",
    "RulesError",
    "anonymise",
    "default_rules",
    "parse_waves",
    "rules_from_file",
    "write_release",
]
