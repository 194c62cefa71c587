"""surveys: single-use form token of online answers

Revision ID: 0006_surveys
Revises: 0005_delivery
Create Date: 2026-11-27 14:48:10.578603

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_surveys"
down_revision = "0005_delivery"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_nonce', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_response_form_nonce'), ['form_nonce'])


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_response_form_nonce'), type_='unique')
        batch_op.drop_column('form_nonce')
