"""invitation sends: channel, state, attempts, provider reason and reference of SMS/e-mail invitations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 11:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("send_channel", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("send_state", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("send_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("send_result", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("provider_ref", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("delivered_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_invitation_provider_ref", ["provider_ref"])


def downgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.drop_index("ix_invitation_provider_ref")
        for name in (
            "delivered_at",
            "sent_at",
            "provider_ref",
            "send_result",
            "send_attempts",
            "send_state",
            "send_channel",
        ):
            batch.drop_column(name)
