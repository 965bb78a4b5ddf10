from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from innovatieregister import limits
from innovatieregister.inputs import TypedDate, max_length


class MarketShareImportForm(FlaskForm):
    file = FileField(_l("CSV-bestand"), validators=[FileRequired(_l("Kies een CSV-bestand."))])
    peildatum = StringField(_l("Peildatum (dd-mm-jjjj)"), validators=[
        DataRequired(_l("Vul een geldige peildatum in.")), max_length(limits.CODE), TypedDate(_l("De peildatum"))])
    source = StringField(_l("Bron"), validators=[DataRequired(_l("Vermeld de bron van de cijfers.")),
                                             max_length(limits.SOURCE)])


class CriterionForm(FlaskForm):
    code = StringField(_l("Code"), [max_length(limits.CODE)])
    name = StringField(_l("Naam"), [max_length(limits.NAME)])
    explanation = TextAreaField(_l("Uitleg"), [max_length(limits.TEXT)])
    weight = StringField(_l("Gewicht (0–10)"), [max_length(limits.CODE)])
    active = BooleanField(_l("Actief (kiesbaar bij een afwijzing)"), default=True)


class ThresholdForm(FlaskForm):
    threshold = StringField(_l("Drempel voor een zwaarwegende afwijzing"), [max_length(limits.CODE)])


class UserForm(FlaskForm):
    """A new user; the organisation and role choices are filled in by the view."""

    email = StringField(_l("E-mailadres"), [max_length(limits.EMAIL)])
    name = StringField(_l("Naam"), [max_length(limits.NAME)])
    organisation = SelectField(_l("Organisatie"))
    role = SelectField(_l("Rol"))
    password = PasswordField(_l("Eerste wachtwoord (leeg laten: het register kiest er een)"),
                             render_kw={"autocomplete": "new-password"})


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("Nieuw wachtwoord (leeg laten: het register kiest er een)"),
                             render_kw={"autocomplete": "new-password"})
