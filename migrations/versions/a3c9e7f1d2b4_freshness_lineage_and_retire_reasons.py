"""Freshness (last confirmed), lineage (based on / variant of) and reasons for retiring

Existing solutions count as confirmed on the day they were last changed: that is the last time
their owner said anything about them.

Revision ID: a3c9e7f1d2b4
Revises: edf2f3d9d617
Create Date: 2026-12-06 20:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3c9e7f1d2b4"
down_revision = "edf2f3d9d617"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_confirmed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("based_on_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("based_on_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("retired_reason", sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_solutions_last_confirmed_on"), ["last_confirmed_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_solutions_based_on_id"), ["based_on_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_solutions_based_on_id_solutions"),
            "solutions",
            ["based_on_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("adoption_status_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
    solutions = sa.table(
        "solutions",
        sa.column("last_confirmed_on", sa.Date()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    if op.get_bind().dialect.name == "sqlite":  # CAST(… AS DATE) would give the year alone
        day = sa.func.date(solutions.c.updated_at)
    else:
        day = sa.cast(solutions.c.updated_at, sa.Date())
    op.execute(
        solutions.update()
        .where(solutions.c.last_confirmed_on.is_(None))
        .values(last_confirmed_on=day)
    )


def downgrade():
    with op.batch_alter_table("adoption_status_changes", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_solutions_based_on_id_solutions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_solutions_based_on_id"))
        batch_op.drop_index(batch_op.f("ix_solutions_last_confirmed_on"))
        batch_op.drop_column("retired_reason")
        batch_op.drop_column("based_on_kind")
        batch_op.drop_column("based_on_id")
        batch_op.drop_column("last_confirmed_on")
