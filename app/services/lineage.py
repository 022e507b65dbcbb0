"""A solution's family: the original it descends from, its variants, and who uses each."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Solution
from app.models.solution import LINEAGE_MAX_DEPTH


@dataclass
class FamilyMember:
    """One solution in a family tree, with the ones based on it."""

    solution: Solution
    children: list[FamilyMember] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Return how many solutions this member and its descendants are."""
        return 1 + sum(child.size for child in self.children)


def family_of(solution: Solution) -> FamilyMember | None:
    """Return the tree of the family ``solution`` belongs to, from its original; None alone.

    Drafts of other organisations are not in it: the default query leaves drafts out.
    """
    tree = FamilyMember(solution.lineage_root())
    level = [tree]
    for _ in range(LINEAGE_MAX_DEPTH):
        by_id = {member.solution.id: member for member in level}
        children = db.session.scalars(
            select(Solution)
            .where(Solution.based_on_id.in_(by_id))
            .options(selectinload(Solution.owner), selectinload(Solution.adoptions))
            .order_by(Solution.name)
        ).all()
        if not children:
            break
        level = []
        for child in children:
            member = FamilyMember(child)
            by_id[child.based_on_id].children.append(member)  # type: ignore[index]
            level.append(member)
    return tree if tree.size > 1 else None
