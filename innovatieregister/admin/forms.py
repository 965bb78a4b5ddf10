from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length


class MarketShareImportForm(FlaskForm):
    file = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")])
    peildatum = DateField("Peildatum", validators=[DataRequired("Vul een geldige peildatum in.")])
    source = StringField("Bron", validators=[DataRequired("Vermeld de bron van de cijfers."),
                                             Length(max=1000)])
