"""Tests of the outreach area."""
