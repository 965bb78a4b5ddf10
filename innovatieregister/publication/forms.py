"""The lead's publication form: publish now, or on a date (the scheduler does it then)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from innovatieregister import limits
from innovatieregister.inputs import max_length


class PublishForm(FlaskForm):
    # Typed like every other date (limits.parse_date); a browser's date picker would send ISO only.
    publish_on = StringField(_l("Publiceren op (leeg: nu)"), validators=[max_length(limits.CODE)],
                             render_kw={"autocomplete": "off"})
