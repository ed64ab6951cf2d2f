"""Tests of the security area."""
