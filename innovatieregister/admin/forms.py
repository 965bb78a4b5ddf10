from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from innovatieregister import limits
from innovatieregister.inputs import TypedDate, max_length


class MarketShareImportForm(FlaskForm):
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")])
    peildatum = StringField("Peildatum (dd-mm-jjjj)", validators=[
        DataRequired("Vul een geldige peildatum in."), max_length(limits.CODE), TypedDate("De peildatum")])
    source = StringField("Bron", validators=[DataRequired("Vermeld de bron van de cijfers."),
                                             max_length(limits.SOURCE)])


class CriterionForm(FlaskForm):
    code = StringField("Code", [max_length(limits.CODE)])
    name = StringField("Naam", [max_length(limits.NAME)])
    explanation = TextAreaField("Uitleg", [max_length(limits.TEXT)])
    weight = StringField("Gewicht (0–10)", [max_length(limits.CODE)])
    active = BooleanField("Actief (kiesbaar bij een afwijzing)", default=True)


class ThresholdForm(FlaskForm):
    threshold = StringField("Drempel voor een zwaarwegende afwijzing", [max_length(limits.CODE)])


class UserForm(FlaskForm):
    """A new user; the organisation and role choices are filled in by the view."""

    email = StringField("E-mailadres", [max_length(limits.EMAIL)])
    name = StringField("Naam", [max_length(limits.NAME)])
    organisation = SelectField("Organisatie")
    role = SelectField("Rol")
    password = PasswordField("Eerste wachtwoord (leeg laten: het register kiest er een)",
                             render_kw={"autocomplete": "new-password"})


class PasswordResetForm(FlaskForm):
    password = PasswordField("Nieuw wachtwoord (leeg laten: het register kiest er een)",
                             render_kw={"autocomplete": "new-password"})
