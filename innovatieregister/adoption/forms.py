from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.inputs import max_length
from innovatieregister.models.decision import IMPACT_UNITS


class AdoptionRequestForm(FlaskForm):
    insurer = SelectField("Zorgverzekeraar die u vraagt de afspraak over te nemen", validate_choice=False)
    impact_description = TextAreaField("Verwachte transformatie: welke zorg verschuift waarheen?",
                                       [max_length(limits.TEXT)])
    impact_volume = StringField("Hoeveel per jaar", [max_length(len(str(limits.IMPACT_VOLUME_MAX)))])
    impact_unit = SelectField("Eenheid", validate_choice=False, choices=list(IMPACT_UNITS.items()))
    impact_by = StringField("Bereikt op (dd-mm-jjjj)", [max_length(limits.CODE)])
    evidence = StringField("Onderbouwing (link, optioneel)", [max_length(limits.URL)])


class AdoptForm(FlaskForm):
    region = SelectField("Overnemen in regio", validate_choice=False)
    confirm_without_positive_evaluation = BooleanField(
        "Ik neem deze innovatie bewust over, hoewel ze niet positief is geëvalueerd")
