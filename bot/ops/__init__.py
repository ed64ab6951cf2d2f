"""Operations on a Tracer database: backup/restore, reconcile, retention purge, key rotation.

Each module does one job and is called by ``bot/cli/ops_commands.py``; none of them logs or
returns personal data (only counts).
"""
