"""Steps towards an initiative with a running monitor, shared by the monitoring tests."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from innovatieregister import clock
from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.models import Initiative
from tests import flows

LEAD, FUNDER, PROVIDER, OTHER_PROVIDER = "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "ouderenzorg@demo.nl"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def running(app, db, status: InitiativeState = InitiativeState.ACTIVE) -> int:
    """The observation beds, open, funded by VGZ, and then in `status` with a measurable goal
    (2,900 wrong-bed days a year towards 1,500). Activation is the lifecycle's own use case; this
    puts the initiative where the monitor starts without it."""
    initiative_id = flows.open_observation_beds(app, db)
    flows.decide(app, db, FUNDER, "follow")
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        initiative.status = status
        if status != InitiativeState.OPEN:
            initiative.activated_at = clock.now()
        goal = initiative.goals[0]
        goal.category, goal.unit = OutcomeCategory.CAPACITY, "beddagen"
        goal.baseline_value, goal.target_value = Decimal("2900"), Decimal("1500")
        db.session.commit()
    return initiative_id


def goal_id(app, db, initiative_id: int) -> int:
    with app.app_context():
        return db.session.get(Initiative, initiative_id).goals[0].id


def xlsx() -> bytes:
    """The smallest file whose package says it is a spreadsheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:  # fixed dates: the same bytes on every call
        package.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 1, 1, 0, 0, 0)),
                         '<Types><Override PartName="/xl/workbook.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        package.writestr(zipfile.ZipInfo("xl/workbook.xml", (2026, 1, 1, 0, 0, 0)), "<workbook/>")
    return buffer.getvalue()


OUTSIDER = "buiten@demo.nl"


def outsider(app, db, initiative_id: int) -> str:
    """A provider's staff member who is no party to the initiative: it does not even see it."""
    import sqlalchemy as sa

    from innovatieregister.models import Organisation, OrganisationKind
    from innovatieregister.services import accounts
    from innovatieregister.services.audit import Actor
    from tests.conftest import DEMO_PASSWORD

    with app.app_context():
        involved = {p.provider_id for p in db.session.get(Initiative, initiative_id).providers}
        code = next(o.code for o in db.session.scalars(sa.select(Organisation).where(
            Organisation.kind == OrganisationKind.PROVIDER)) if o.id not in involved)
        accounts.create_user(OUTSIDER, "Buiten", code, "provider_staff", DEMO_PASSWORD, Actor.command("test"))
    return OUTSIDER
