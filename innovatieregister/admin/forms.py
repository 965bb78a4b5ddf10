from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class MarketShareImportForm(FlaskForm):
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")])
    peildatum = DateField("Peildatum", validators=[DataRequired("Vul een geldige peildatum in.")])
    source = StringField("Bron", validators=[DataRequired("Vermeld de bron van de cijfers."),
                                             Length(max=1000)])


class CriterionForm(FlaskForm):
    code = StringField("Code")
    name = StringField("Naam")
    explanation = TextAreaField("Uitleg")
    weight = StringField("Gewicht (0–10)")
    active = BooleanField("Actief (kiesbaar bij een afwijzing)", default=True)


class ThresholdForm(FlaskForm):
    threshold = StringField("Drempel voor een zwaarwegende afwijzing")


class UserForm(FlaskForm):
    """A new user; the organisation and role choices are filled in by the view."""

    email = StringField("E-mailadres")
    name = StringField("Naam")
    organisation = SelectField("Organisatie")
    role = SelectField("Rol")
    password = PasswordField("Eerste wachtwoord (leeg laten: het register kiest er een)",
                             render_kw={"autocomplete": "new-password"})


class PasswordResetForm(FlaskForm):
    password = PasswordField("Nieuw wachtwoord (leeg laten: het register kiest er een)",
                             render_kw={"autocomplete": "new-password"})
