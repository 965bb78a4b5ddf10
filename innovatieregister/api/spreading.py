"""Start-up and scale-up through the API (domain/phase.py): the lead moves an innovation that has
been evaluated successfully to scale-up, and the region's insurers are asked to follow."""

from __future__ import annotations

from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import Initiative, bp, initiative_json
from innovatieregister.api.schema import operation, responses
from innovatieregister.policies import allow, any_user
from innovatieregister.services import initiatives, phase


@bp.route("/initiatives/<int:initiative_id>/scale-up", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Initiative))
def scale_up(initiative_id: int):
    """De leidende verzekeraar brengt een positief geëvalueerde innovatie naar de opschalingsfase

    Alleen een innovatie in de opstartfase die loopt en waarvan de laatste evaluatie 'op koers' of 'doelen
    behaald' zegt. De verdeelsleutel wordt vastgezet en de andere verzekeraars in de regio krijgen een
    volgverzoek; anders 409 met de reden."""
    phase.scale_up(current_user, initiative_id, clock.today())
    return initiative_json(initiatives.get_view(current_user, initiative_id, clock.today()))
