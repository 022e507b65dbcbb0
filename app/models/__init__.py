"""SQLAlchemy models: one module per aggregate. Importing this package registers them all."""

from app.models import history_listeners  # noqa: F401 - registers the history listeners
from app.models.adoption import ACTIVE_ADOPTION_STATUSES, ADOPTION_STATUSES, Adoption
from app.models.benefit import (
    BENEFIT_CATEGORIES,
    AdoptionStatusChange,
    Benefit,
    BenefitMeasurement,
)
from app.models.changelog import Change
from app.models.cost import (
    COST_CATEGORIES,
    COST_KINDS,
    COST_PAYERS,
    COST_UNITS,
    SPLIT_RULES,
    AdoptionCost,
    CostShare,
)
from app.models.history import HistoryEntry
from app.models.organisation import ORGANISATION_KINDS, Organisation
from app.models.solution import (
    INCLUDE_DRAFTS,
    SOLUTION_KINDS,
    SOLUTION_STATUSES,
    Solution,
    SolutionTag,
)
from app.models.token import TOKEN_ROLES, ApiToken
from app.models.user import USER_ROLES, LoginThrottle, User
from app.models.vocabulary import Standard, Theme
from app.models.webhook import (
    DELIVERY_STATUSES,
    WEBHOOK_TOPICS,
    LogPosition,
    Webhook,
    WebhookDelivery,
)

__all__ = [
    "ACTIVE_ADOPTION_STATUSES",
    "ADOPTION_STATUSES",
    "BENEFIT_CATEGORIES",
    "COST_CATEGORIES",
    "COST_KINDS",
    "COST_PAYERS",
    "COST_UNITS",
    "DELIVERY_STATUSES",
    "SPLIT_RULES",
    "INCLUDE_DRAFTS",
    "ORGANISATION_KINDS",
    "SOLUTION_KINDS",
    "SOLUTION_STATUSES",
    "TOKEN_ROLES",
    "USER_ROLES",
    "WEBHOOK_TOPICS",
    "Adoption",
    "AdoptionCost",
    "AdoptionStatusChange",
    "ApiToken",
    "Benefit",
    "BenefitMeasurement",
    "Change",
    "CostShare",
    "HistoryEntry",
    "LogPosition",
    "LoginThrottle",
    "Organisation",
    "Solution",
    "SolutionTag",
    "Standard",
    "Theme",
    "User",
    "Webhook",
    "WebhookDelivery",
]
