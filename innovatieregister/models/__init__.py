"""All models, importable from one place (Alembic's autogenerate sees them all here)."""

from innovatieregister.models.api_token import ApiToken
from innovatieregister.models.audit import AuditEntry
from innovatieregister.models.base import Base
from innovatieregister.models.decision import (
    ArgumentCriterion,
    ConditionsVerdict,
    Decision,
    DecisionArgument,
    DecisionKind,
    FollowRequest,
    PolicySetting,
    RequestKind,
)
from innovatieregister.models.follow import Follow, FollowNotice
from innovatieregister.models.funding import (
    CoFundingPledge,
    SavingsAgreement,
    SavingsGate,
    SavingsKeyPart,
    SavingsResult,
    SavingsResultLine,
    Settlement,
    SettlementCoFunding,
    SettlementContest,
    SettlementCostLine,
    SettlementLine,
    UseReport,
    UseReportLine,
)
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
from innovatieregister.models.jobs import JobClaim, SchedulerLease
from innovatieregister.models.market_share import MarketShare, MarketShareSet
from innovatieregister.models.mediation import (
    Finding,
    MediationCase,
    MediationReason,
    MediatorNote,
    StatementRequest,
)
from innovatieregister.models.monitoring import (
    Document,
    DocumentContent,
    Evaluation,
    Measurement,
    MonitoringMoment,
    ProcessLogEntry,
    TermExtension,
)
from innovatieregister.models.notification import Notification
from innovatieregister.models.organisation import Organisation, OrganisationKind, Role, User
from innovatieregister.models.outbox import NotificationPreference, OutboxMessage
from innovatieregister.models.region import Municipality, Region
from innovatieregister.models.regional_plan import (
    RegionalGoal,
    RegionalPlanVersion,
    RegionalTheme,
    RegionalThemeVersion,
)

__all__ = [
    "ApiToken",
    "ArgumentCriterion",
    "AuditEntry",
    "Base",
    "CoFundingPledge",
    "CostCategory",
    "CostLine",
    "Decision",
    "DecisionArgument",
    "DecisionKind",
    "Document",
    "DocumentContent",
    "Evaluation",
    "EvidenceLevel",
    "Finding",
    "Follow",
    "FollowNotice",
    "FollowRequest",
    "Initiative",
    "InitiativeKind",
    "InitiativeProvider",
    "InnovationType",
    "JobClaim",
    "MarketShare",
    "MarketShareSet",
    "Measurement",
    "MediationCase",
    "MediationReason",
    "MediatorNote",
    "MonitoringMoment",
    "Municipality",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationKind",
    "OutboxMessage",
    "Phase",
    "PolicySetting",
    "ProcessLogEntry",
    "Region",
    "RegionalGoal",
    "RegionalPlanVersion",
    "RegionalTheme",
    "RegionalThemeVersion",
    "RequestKind",
    "ConditionsVerdict",
    "Role",
    "SavingsAgreement",
    "SavingsGate",
    "SavingsKeyPart",
    "SavingsResult",
    "SavingsResultLine",
    "SchedulerLease",
    "Settlement",
    "SettlementCoFunding",
    "SettlementContest",
    "SettlementCostLine",
    "SettlementLine",
    "SmartGoal",
    "StatementRequest",
    "TermExtension",
    "UseReport",
    "UseReportLine",
    "User",
]
