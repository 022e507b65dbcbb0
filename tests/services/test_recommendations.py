"""Similar solutions and reuse suggestions."""

from __future__ import annotations

from flask import Flask

from app.models import ACTIVE_ADOPTION_STATUSES
from app.services.recommendations import reuse_suggestions, similar_solutions
from app.services.references import get_organisation
from app.services.solutions import get_solution


def test_similar_solutions_share_something(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        solution = get_solution("digital-byggesaksbehandling")
        similar = similar_solutions(solution, limit=4)
        assert 0 < len(similar) <= 4
        assert solution not in similar
        for other in similar:
            shared = (
                set(other.tags) & set(solution.tags)
                or set(other.standard_slugs) & set(solution.standard_slugs)
                or set(other.theme_slugs) & set(solution.theme_slugs)
            )
            assert shared, other.slug


def test_similar_solutions_of_a_loner_is_empty(app: Flask, make_solution) -> None:
    slug = make_solution(themes=["naring"], tags=[], standards=[])
    with app.app_context():
        assert similar_solutions(get_solution(slug)) == []


def test_reuse_suggestions_are_used_by_peers_and_new_to_the_kommune(
    catalogue_app: Flask,
) -> None:
    with catalogue_app.app_context():
        namsos = get_organisation("5007")
        suggestions = reuse_suggestions(namsos, limit=6)
        assert len(suggestions) == 6
        active = {a.solution_id for a in namsos.adoptions if a.status in ACTIVE_ADOPTION_STATUSES}
        scores = [s.score for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        for suggestion in suggestions:
            assert suggestion.solution.id not in active
            assert suggestion.solution.owner_id != namsos.id
            assert suggestion.solution.status != "retired"
            assert suggestion.peers
            for peer in suggestion.peers:
                assert namsos not in peer.users
                assert 0 < len(peer.users) <= peer.group_size
                for user in peer.users:
                    assert any(
                        a.organisation_id == user.id and a.status in ACTIVE_ADOPTION_STATUSES
                        for a in suggestion.solution.adoptions
                    )
                if peer.collaboration is not None:
                    assert namsos in peer.collaboration.members
                    assert all(u in peer.collaboration.members for u in peer.users)


def test_kommune_without_peers_or_use_gets_no_suggestions(app: Flask) -> None:
    with app.app_context():
        # Without solutions in the catalogue nobody uses anything.
        assert reuse_suggestions(get_organisation("5007")) == []


def test_reuse_suggestions_kept_per_position_follow_a_write(catalogue_app: Flask) -> None:
    """The scores are kept per catalogue position: once Namsos uses the best suggestion, the
    next request (same process, cache kept) no longer suggests it, as a fresh scoring would."""
    from app.extensions import db
    from app.services import position_cache
    from app.services.adoptions import record_adoption
    from app.services.permissions import SYSTEM

    with catalogue_app.app_context():
        before = reuse_suggestions(get_organisation("5007"), limit=6)
        kept = catalogue_app.extensions[position_cache.EXTENSION]
        assert "reuse_suggestions" in kept
        assert [s.solution.id for s in reuse_suggestions(get_organisation("5007"), limit=6)] == [
            s.solution.id for s in before
        ]
        top = before[0].solution
        existing = [a for a in top.adoptions if a.organisation.kommunenummer == "5007"]
        if existing:
            db.session.delete(existing[0])
            db.session.commit()
        record_adoption(top.slug, "5007", {"status": "in_use"}, actor=SYSTEM)
        db.session.expire_all()
        after = [s.solution.id for s in reuse_suggestions(get_organisation("5007"), limit=6)]
        assert top.id not in after
        kept.clear()
        assert after == [
            s.solution.id for s in reuse_suggestions(get_organisation("5007"), limit=6)
        ]
