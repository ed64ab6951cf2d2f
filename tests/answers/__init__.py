"""Tests of the answers area."""
