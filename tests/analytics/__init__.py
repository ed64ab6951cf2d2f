"""Tests of the analytics area."""
