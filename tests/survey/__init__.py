"""Tests of the survey area."""
