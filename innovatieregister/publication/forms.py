"""The lead's publication form: publish now, or on a date (the scheduler does it then)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from innovatieregister.inputs import max_length


class PublishForm(FlaskForm):
    publish_on = StringField("Publiceren op (leeg: nu)", validators=[max_length(10)],
                             render_kw={"type": "date", "autocomplete": "off"})
