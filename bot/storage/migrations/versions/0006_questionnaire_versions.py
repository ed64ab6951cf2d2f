"""questionnaire versions and the version each answer was asked in (issue 17)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 14:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("workbook", sa.LargeBinary(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("scope", "version", name="uq_questionnaire_version"),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("questionnaire_version", sa.String(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("questionnaire_version")
    op.drop_table("questionnaire_version")
