"""Indexes for the kommune, matrix and front pages: adoptions by organisation or solution and status

Revision ID: 5d3e9a1c7b20
Revises: c707ee6dc66b
Create Date: 2026-11-28 18:55:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5d3e9a1c7b20"
down_revision = "c707ee6dc66b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_adoptions_organisation_status",
            ["organisation_id", "status", "solution_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_adoptions_solution_status",
            ["solution_id", "status", "organisation_id"],
            unique=False,
        )

    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.create_index("ix_solutions_owner_name", ["owner_id", "name"], unique=False)
        batch_op.create_index(
            "ix_solutions_draft_kind_status_owner",
            ["is_draft", "kind", "status", "owner_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.drop_index("ix_solutions_draft_kind_status_owner")
        batch_op.drop_index("ix_solutions_owner_name")

    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.drop_index("ix_adoptions_solution_status")
        batch_op.drop_index("ix_adoptions_organisation_status")
