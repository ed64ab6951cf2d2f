"""Tests of the channels area."""
