"""When an organisation that considers or plans a solution wants it in place (adoptions.wanted_on)

Plans shared by several kommuner are how they find partners to buy or build together; the date
each one wants the solution is what tells them whether they can.

Revision ID: b7d2e4f6a8c1
Revises: a3c9e7f1d2b4
Create Date: 2026-12-07 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d2e4f6a8c1"
down_revision = "a3c9e7f1d2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wanted_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.drop_column("wanted_on")
