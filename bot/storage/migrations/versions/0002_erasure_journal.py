"""erasure journal: keyed hashes of erased trainees and addresses, re-applied after a restore

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'erasure_journal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('subject_hash', sa.String(length=64), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'subject_hash', name='uq_erasure_subject'),
    )


def downgrade() -> None:
    op.drop_table('erasure_journal')
