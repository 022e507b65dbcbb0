"""The organisation directory with counts, and one organisation's profile."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Organisation
from app.services.errors import NotFound
from app.services.organisation_profiles import (
    get_organisation_profile,
    list_kommuner,
    list_organisation_summaries,
)


def test_summaries_count_shared_and_used(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        summaries = list_organisation_summaries()
        assert len(summaries) == Organisation.query.count()
        kinds = [s.organisation.kind for s in summaries]
        assert kinds[:38] == ["kommune"] * 38
        for summary in summaries:
            org = summary.organisation
            # Counted from the rows, not by the aggregate queries under test.
            assert summary.shared == len(org.solutions)
            assert summary.using == sum(1 for a in org.adoptions if a.is_active)


def test_profile_by_number_or_slug(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        by_number = get_organisation_profile("5007")
        by_slug = get_organisation_profile("namsos")
        assert by_number.organisation.id == by_slug.organisation.id
        assert {s.slug for s in by_number.shared} == {
            s.slug for s in by_number.organisation.solutions
        }
        assert len(by_number.adoptions) == len(by_number.organisation.adoptions)
        assert set(by_number.active_adoptions) | set(by_number.planned_adoptions) == set(
            by_number.adoptions
        )
        assert [c.slug for c in by_number.collaborations]
        assert len(list_kommuner()) == 38
        with pytest.raises(NotFound):
            get_organisation_profile("9999")
