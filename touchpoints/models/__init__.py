"""The organisation and its facts: who owns which interaction point, and what happened there.

This app is the ground floor: it imports no other app of the project. The one reference
upward, Touchpoint.survey, is a lazy foreign key by name, so no Python import is needed.
The models live by area in this package; everything is importable from here.
"""

from touchpoints.models.customers import (
    Customer,
    CustomerQuerySet,
    IdentityChange,
    IdentityField,
)
from touchpoints.models.improvements import (
    ImprovementAction,
    ImprovementActionQuerySet,
    ImprovementStatus,
)
from touchpoints.models.interactions import (
    WALKED_AWAY_OUTCOMES,
    Interaction,
    InteractionQuerySet,
    Outcome,
    local_day,
)
from touchpoints.models.organisation import (
    Audience,
    Channel,
    Department,
    DepartmentQuerySet,
    Staff,
    Touchpoint,
    short_duration,
    supporters_of,
)
from touchpoints.models.scoping import ScopedQuerySet
from touchpoints.models.tokens import ApiToken, TokenScope

__all__ = [
    "WALKED_AWAY_OUTCOMES",
    "ApiToken",
    "Audience",
    "Channel",
    "Customer",
    "CustomerQuerySet",
    "Department",
    "DepartmentQuerySet",
    "IdentityChange",
    "IdentityField",
    "ImprovementAction",
    "ImprovementActionQuerySet",
    "ImprovementStatus",
    "Interaction",
    "InteractionQuerySet",
    "Outcome",
    "ScopedQuerySet",
    "Staff",
    "TokenScope",
    "Touchpoint",
    "local_day",
    "short_duration",
    "supporters_of",
]
