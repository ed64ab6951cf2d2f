"""country of programmes and cohorts; pay period of money answers (issue 25)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


NEW_COLUMNS = (
    ('programme', 'country', 2),
    ('cohort', 'country', 2),
    ('answer', 'value_period', 16),
)


def upgrade() -> None:
    # Only what is missing: a database stamped at an older revision may already hold a column
    # (e.g. a backup whose version was lowered to replay an earlier migration).
    inspector = sa.inspect(op.get_bind())
    for table, name, length in NEW_COLUMNS:
        if name not in {c['name'] for c in inspector.get_columns(table)}:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('value_period')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('country')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('country')
