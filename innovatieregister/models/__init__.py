"""All models, importable from one place (Alembic's autogenerate sees them all here)."""

from innovatieregister.models.audit import AuditEntry
from innovatieregister.models.base import Base
from innovatieregister.models.initiative import (
    CostCategory,
    CostLine,
    EvidenceLevel,
    Initiative,
    InitiativeKind,
    InitiativeProvider,
    InnovationType,
    Phase,
    SmartGoal,
)
from innovatieregister.models.market_share import MarketShare, MarketShareSet
from innovatieregister.models.organisation import Organisation, OrganisationKind, Role, User
from innovatieregister.models.region import Municipality, Region

__all__ = [
    "AuditEntry",
    "Base",
    "CostCategory",
    "CostLine",
    "EvidenceLevel",
    "Initiative",
    "InitiativeKind",
    "InitiativeProvider",
    "InnovationType",
    "Municipality",
    "MarketShare",
    "MarketShareSet",
    "Organisation",
    "OrganisationKind",
    "Phase",
    "Region",
    "Role",
    "SmartGoal",
    "User",
]
