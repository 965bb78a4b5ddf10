from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from innovatieregister.models.decision import IMPACT_UNITS


class AdoptionRequestForm(FlaskForm):
    insurer = SelectField("Zorgverzekeraar die u vraagt de afspraak over te nemen", validate_choice=False)
    impact_description = TextAreaField("Verwachte transformatie: welke zorg verschuift waarheen?")
    impact_volume = StringField("Hoeveel per jaar")
    impact_unit = SelectField("Eenheid", validate_choice=False, choices=list(IMPACT_UNITS.items()))
    impact_by = StringField("Bereikt op (JJJJ-MM-DD)")
    evidence = StringField("Onderbouwing (link, optioneel)")


class AdoptForm(FlaskForm):
    region = SelectField("Overnemen in regio", validate_choice=False)
