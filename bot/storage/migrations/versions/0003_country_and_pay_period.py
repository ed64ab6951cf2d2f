"""country of programmes and cohorts; pay period of money answers (issue 25)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_period', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('value_period')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('country')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('country')
