"""results back to trainees (issue 20): feedback choice, sent-feedback records, summaries

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 13:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_choice",
        sa.Column(
            "trainee_id",
            sa.Integer(),
            sa.ForeignKey("trainee.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column("wants_results", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "feedback_send",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "trainee_id",
            sa.Integer(),
            sa.ForeignKey("trainee.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("wave", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("result", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("trainee_id", "wave", name="uq_feedback_send"),
    )
    op.create_table(
        "feedback_summary",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("programme_id", sa.Integer(), sa.ForeignKey("programme.id"), nullable=False),
        sa.Column("cohort_code", sa.String(64), nullable=True),
        sa.Column("wave", sa.String(32), nullable=False),
        sa.Column("figures_json", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback_summary")
    op.drop_table("feedback_send")
    op.drop_table("feedback_choice")
