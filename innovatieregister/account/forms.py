from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from innovatieregister import limits
from innovatieregister.i18n import LANGUAGES
from innovatieregister.inputs import max_length
from innovatieregister.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class TokenForm(FlaskForm):
    name = StringField(_l("Naam van het token (bijv. 'script inkoop')"), [max_length(limits.TOKEN_NAME)])


class LanguageForm(FlaskForm):
    # Each language named in itself, so that a reader who cannot read the other finds their own.
    language = SelectField(_l("Taal / Language"), choices=list(LANGUAGES.items()), validate_choice=False)


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Huidig wachtwoord"), render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("Nieuw wachtwoord"), render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH,
                                       "maxlength": MAX_PASSWORD_LENGTH})
    repeat_password = PasswordField(_l("Herhaal het nieuwe wachtwoord"), render_kw={"autocomplete": "new-password"})


def show_errors(form: FlaskForm, field_errors: dict[str, list[str]]) -> list[str]:
    """Put a service's per-field errors next to their fields; return those without a field."""
    rest = []
    for name, messages in field_errors.items():
        target = form._fields.get(name)
        if target is None:
            rest.extend(messages)
        else:
            target.errors = list(target.errors) + messages
    return rest
