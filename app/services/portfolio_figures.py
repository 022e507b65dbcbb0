"""The figures of a portfolio row: what a solution cost, gained and pays back, and their sums.

One rule for every derived figure, used by the portfolio page, its downloads, the API and the
region page:

- **investment** = one-off costs (NOK) + internal effort (hours × the hour rate);
- **running cost** = yearly costs that have not ended;
- **gain a year** = kroner saved + hours saved × the hour rate (realised: the latest
  measurement of each benefit; expected: the benefit plan's target);
- **net gain a year** = gain − running cost, and **payback** = investment / net gain (years),
  only where both are positive.

A figure is computed only from what was registered: an adoption without any cost has no net
gain and no payback (its costs are unknown, not zero), and each sum says how many adoptions it
stands on and how many lack costs or gains. The hour rate is configuration (``HOUR_RATE_NOK``).

Pure computation: reading the registered amounts is ``portfolio_facts``; putting them together
into portfolios is ``portfolio``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app

ZERO = Decimal(0)


def hour_rate() -> Decimal:
    """Return the configured value of an hour in NOK."""
    return Decimal(current_app.config["HOUR_RATE_NOK"])


def add_known(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    """Return ``total + value``: an unknown value adds nothing; unknown + known is known."""
    if value is None:
        return total
    return value if total is None else total + value


FIGURE_FIELDS = (
    "one_off_nok",
    "yearly_nok",
    "effort_hours",
    "co_financed_nok",
    "realised_hours",
    "realised_nok",
    "expected_hours",
    "expected_nok",
)
"""The registered amounts of a ``Figures`` (the rest is derived from them)."""


@dataclass
class Figures:
    """Costs and gains of one portfolio row (or the sum of several), with the derived figures."""

    rate: Decimal
    one_off_nok: Decimal | None = None
    yearly_nok: Decimal | None = None
    effort_hours: Decimal | None = None
    co_financed_nok: Decimal | None = None
    realised_hours: Decimal | None = None
    realised_nok: Decimal | None = None
    expected_hours: Decimal | None = None
    expected_nok: Decimal | None = None
    cost_rows: int = 0
    benefits: int = 0
    other_benefits: int = 0
    overdue_reviews: int = 0

    @property
    def has_costs(self) -> bool:
        """Return whether any cost was registered."""
        return self.cost_rows > 0

    @property
    def has_realised(self) -> bool:
        """Return whether a realised gain in hours or kroner was registered."""
        return self.realised_hours is not None or self.realised_nok is not None

    @property
    def has_expected(self) -> bool:
        """Return whether an expected gain in hours or kroner was registered."""
        return self.expected_hours is not None or self.expected_nok is not None

    @property
    def investment_nok(self) -> Decimal | None:
        """Return one-off costs plus internal effort in kroner; None without any cost."""
        if not self.has_costs:
            return None
        return (self.one_off_nok or ZERO) + (self.effort_hours or ZERO) * self.rate

    @property
    def running_nok(self) -> Decimal | None:
        """Return the yearly running cost; None without any cost (0 with only one-off costs)."""
        return (self.yearly_nok or ZERO) if self.has_costs else None

    def _gain(self, hours: Decimal | None, kroner: Decimal | None) -> Decimal | None:
        if hours is None and kroner is None:
            return None
        return (kroner or ZERO) + (hours or ZERO) * self.rate

    @property
    def realised_gain_nok(self) -> Decimal | None:
        """Return the realised gain a year in kroner (hours at the hour rate)."""
        return self._gain(self.realised_hours, self.realised_nok)

    @property
    def expected_gain_nok(self) -> Decimal | None:
        """Return the expected gain a year in kroner (hours at the hour rate)."""
        return self._gain(self.expected_hours, self.expected_nok)

    def _net(self, gain: Decimal | None) -> Decimal | None:
        running = self.running_nok
        return None if gain is None or running is None else gain - running

    @property
    def net_realised_nok(self) -> Decimal | None:
        """Return realised gain minus running cost a year; None unless both are known."""
        return self._net(self.realised_gain_nok)

    @property
    def net_expected_nok(self) -> Decimal | None:
        """Return expected gain minus running cost a year; None unless both are known."""
        return self._net(self.expected_gain_nok)

    def _payback(self, net: Decimal | None) -> Decimal | None:
        investment = self.investment_nok
        if net is None or not investment or net <= 0:
            return None  # nothing to pay back without an investment, never with a loss
        return (investment / net).quantize(Decimal("0.1"))

    @property
    def payback_realised_years(self) -> Decimal | None:
        """Return the years until the investment is paid back by the realised net gain."""
        return self._payback(self.net_realised_nok)

    @property
    def payback_expected_years(self) -> Decimal | None:
        """Return the years until the investment is paid back by the expected net gain."""
        return self._payback(self.net_expected_nok)

    def absorb(self, other: Figures, share: Decimal | None = None) -> None:
        """Add ``other`` to these figures, scaled by ``share`` (a member's part).

        Written out field by field: the region page calls it for every adoption of every
        kommune, and a loop over names with getattr/setattr cost it seconds at 10,000 solutions.
        """
        if share is None or share == 1:
            if other.one_off_nok is not None:
                self.one_off_nok = add_known(self.one_off_nok, other.one_off_nok)
            if other.yearly_nok is not None:
                self.yearly_nok = add_known(self.yearly_nok, other.yearly_nok)
            if other.effort_hours is not None:
                self.effort_hours = add_known(self.effort_hours, other.effort_hours)
            if other.co_financed_nok is not None:
                self.co_financed_nok = add_known(self.co_financed_nok, other.co_financed_nok)
            if other.realised_hours is not None:
                self.realised_hours = add_known(self.realised_hours, other.realised_hours)
            if other.realised_nok is not None:
                self.realised_nok = add_known(self.realised_nok, other.realised_nok)
            if other.expected_hours is not None:
                self.expected_hours = add_known(self.expected_hours, other.expected_hours)
            if other.expected_nok is not None:
                self.expected_nok = add_known(self.expected_nok, other.expected_nok)
        else:
            for name in FIGURE_FIELDS:
                value = getattr(other, name)
                if value is not None:
                    setattr(self, name, add_known(getattr(self, name), value * share))
        self.cost_rows += other.cost_rows
        self.benefits += other.benefits
        self.other_benefits += other.other_benefits
        self.overdue_reviews += other.overdue_reviews


@dataclass
class Totals:
    """The sums of a portfolio, and how many rows each stands on."""

    figures: Figures
    rows: int
    with_costs: int
    with_realised: int
    with_expected: int
    net_realised_rows: int  # rows where both costs and realised gains are known
    net_expected_rows: int
    net_realised_nok: Decimal | None
    net_expected_nok: Decimal | None
    payback_realised_years: Decimal | None
    payback_expected_years: Decimal | None
    overdue_reviews: int

    @property
    def missing_costs(self) -> int:
        """Return how many rows have no cost registered."""
        return self.rows - self.with_costs

    @property
    def missing_realised(self) -> int:
        """Return how many rows have no realised gain in hours or kroner."""
        return self.rows - self.with_realised


def totals_of(rows: Iterable[Figures], rate: Decimal) -> Totals:
    """Return the sums of these figures; net and payback add up only rows where both are known."""
    return totals_of_groups(((figures, 1) for figures in rows), rate)


def totals_of_groups(groups: Iterable[tuple[Figures, int]], rate: Decimal) -> Totals:
    """Return the sums of groups of rows, each given as (the sum of its rows, how many rows).

    The rows of a group must have the same known-ness: costs known or not, realised gain known
    or not, expected gain known or not. Among such rows net gain and investment are sums, so a
    group's figures stand for its rows' (``region_investment`` lets the database add them up);
    a single row is a group of one.
    """
    total = Figures(rate)
    rows = with_costs = with_realised = with_expected = 0
    net_realised_rows = net_expected_rows = overdue = 0
    net_realised: Decimal | None = None
    net_expected: Decimal | None = None
    invest_realised = ZERO
    invest_expected = ZERO
    for figures, count in groups:
        total.absorb(figures)
        rows += count
        with_costs += count if figures.has_costs else 0
        with_realised += count if figures.has_realised else 0
        with_expected += count if figures.has_expected else 0
        overdue += figures.overdue_reviews
        if figures.net_realised_nok is not None:
            net_realised = add_known(net_realised, figures.net_realised_nok)
            invest_realised += figures.investment_nok or ZERO
            net_realised_rows += count
        if figures.net_expected_nok is not None:
            net_expected = add_known(net_expected, figures.net_expected_nok)
            invest_expected += figures.investment_nok or ZERO
            net_expected_rows += count

    def payback(invest: Decimal, net: Decimal | None) -> Decimal | None:
        if net is None or net <= 0 or not invest:
            return None
        return (invest / net).quantize(Decimal("0.1"))

    return Totals(
        figures=total,
        rows=rows,
        with_costs=with_costs,
        with_realised=with_realised,
        with_expected=with_expected,
        net_realised_rows=net_realised_rows,
        net_expected_rows=net_expected_rows,
        net_realised_nok=net_realised,
        net_expected_nok=net_expected,
        payback_realised_years=payback(invest_realised, net_realised),
        payback_expected_years=payback(invest_expected, net_expected),
        overdue_reviews=overdue,
    )


__all__ = [
    "ZERO",
    "Figures",
    "Totals",
    "add_known",
    "hour_rate",
    "totals_of",
    "totals_of_groups",
]
