"""one current answer per (trainee, wave, question), enforced by the database (issue 14)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 11:40:00

Before the index is created, any question with several current answers keeps only its newest
one current (the others are superseded, not deleted: the history stays).
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CURRENT = {"sqlite_where": sa.text("is_current = 1"), "postgresql_where": sa.text("is_current")}


def upgrade() -> None:
    op.execute(
        """
        UPDATE answer SET is_current = false, superseded_at = CURRENT_TIMESTAMP
        WHERE is_current = true AND id NOT IN (
            SELECT max(id) FROM answer WHERE is_current = true
            GROUP BY trainee_id, wave, question_code
        )
        """
    )
    op.create_index(
        "uq_answer_current", "answer", ["trainee_id", "wave", "question_code"], unique=True,
        **CURRENT,
    )


def downgrade() -> None:
    op.drop_index("uq_answer_current", table_name="answer")
