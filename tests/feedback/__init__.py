"""Tests of the feedback area."""
