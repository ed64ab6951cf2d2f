"""Outreach: load cohorts, invite trainees, and come back to them when a follow-up wave is due.

Modules, one job each: ``importer`` (cohort files), ``invites`` (invitation codes and links),
``schedule`` + ``clock`` (when waves and reminders are due, quiet hours), ``planner`` (outreach
rows), ``due`` (what may be sent now), ``pacing`` + ``transport`` + ``sender`` (sending through
Rasa's ``trigger_intent`` API), ``status`` (response rates).
"""
