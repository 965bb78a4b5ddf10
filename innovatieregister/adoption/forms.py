from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.inputs import max_length
from innovatieregister.models.decision import IMPACT_UNITS


class AdoptionRequestForm(FlaskForm):
    insurer = SelectField(_l("Zorgverzekeraar die u vraagt de afspraak over te nemen"), validate_choice=False)
    impact_description = TextAreaField(_l("Verwachte transformatie: welke zorg verschuift waarheen?"),
                                       [max_length(limits.TEXT)])
    impact_volume = StringField(_l("Hoeveel per jaar"), [max_length(len(str(limits.IMPACT_VOLUME_MAX)))])
    impact_unit = SelectField(_l("Eenheid"), validate_choice=False, choices=list(IMPACT_UNITS.items()))
    impact_by = StringField(_l("Bereikt op (dd-mm-jjjj)"), [max_length(limits.CODE)])
    evidence = StringField(_l("Onderbouwing (link, optioneel)"), [max_length(limits.URL)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.impact_unit.choices = list(IMPACT_UNITS.items())  # the reader's language


class AdoptForm(FlaskForm):
    region = SelectField(_l("Overnemen in regio"), validate_choice=False)
    confirm_without_positive_evaluation = BooleanField(
        _l("Ik neem deze innovatie bewust over, hoewel ze niet positief is geëvalueerd"))
