"""Tests of the project area."""
