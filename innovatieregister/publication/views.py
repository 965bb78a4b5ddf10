"""The public register (issue 12): pages anyone reads without an account, the open-data
downloads, and the lead's publication step.

The public pages are cached by browsers and proxies (Cache-Control public, an ETag from the
page): they say the same to everyone. A logged-in visitor's page carries their menu, so it is
not cached (security.py marks it no-store).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from innovatieregister import clock, i18n, inputs
from innovatieregister.domain.calendar import dutch_date
from innovatieregister.domain.text import N_
from innovatieregister.exports import Column, Kind, export_response
from innovatieregister.formatting import datum
from innovatieregister.labels import label
from innovatieregister.policies import allow, is_insurer_staff, public
from innovatieregister.publication.forms import PublishForm
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, publication, regional_plans
from innovatieregister.services.regions import region_choices

bp = Blueprint("publication", __name__)

CACHE_SECONDS = 300  # a publication shows within five minutes; the register is read far more than written


def cached(response, etag: bool = True):
    """Let browsers and proxies keep a page that says the same to everyone. Not a logged-in
    visitor's page (their menu: security.py makes it no-store), and only privately when the
    request carries a session cookie (the response may renew it: a shared cache must not keep it)."""
    response = make_response(response)
    # The page is in the reader's language (Accept-Language before log-in): a cache keeps one per language.
    response.vary.add("Accept-Language")
    if current_user.is_authenticated and request.blueprint != "api":
        return response
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    if etag:
        response.add_etag()
        response = response.make_conditional(request)
    return response


def licence_shown() -> dict[str, str]:
    """The licence as a page names it: its name and the deed in the reader's language. The data
    itself (JSON, the Link header) names it one way: publication.LICENCE."""
    if i18n.language() == "nl":
        return publication.LICENCE
    return {**publication.LICENCE, "name": _("CC0 1.0 Universeel (publiek domein)"),
            "url": publication.LICENCE["url"].removesuffix("deed.nl") + "deed.en"}


def licence_link(response):
    response.headers["Link"] = f'<{publication.LICENCE["url"]}>; rel="license"'
    return response


@bp.route("/openbaar/")
@public
def index():
    args = request.args
    try:
        listing = publication.public_list(args.get("regio") or None, args.get("q") or None, inputs.page_number(),
                                          cursor=inputs.page_cursor(), theme=args.get("thema") or None)
    except Invalid as invalid:
        return render_template("publication/index.html", listing=None, errors=invalid.field_errors,
                               regions=region_choices(), themes=_themes(), licence=licence_shown()), 422
    return cached(render_template("publication/index.html", listing=listing, errors={},
                                  regions=region_choices(), themes=_themes(), licence=licence_shown()))


def _themes():
    """The themes of every regional plan, by region, for the theme filter (one query)."""
    return regional_plans.theme_choices(region_choices())


@bp.route("/openbaar/initiatieven/<int:initiative_id>")
@public
def entry(initiative_id: int):
    found = publication.public_entry(initiative_id)
    return cached(render_template("publication/entry.html", entry=found, licence=licence_shown()))


@bp.route("/openbaar/open-data")
@public
def open_data():
    return cached(render_template("publication/open_data.html", licence=licence_shown(),
                                  columns=OPEN_DATA_COLUMNS))


# The open data: one row per published initiative (CSV) or one object (JSON), the same fields. The
# column names stay Dutch in every language (programs read them); N_: the open-data page says in the
# reader's language what each one holds.
OPEN_DATA_COLUMNS = [
    Column("id", Kind.INTEGER), Column(N_("titel")), Column(N_("regiocode")), Column(N_("regio")),
    Column(N_("zorgaanbieders")), Column(N_("probleem en aanpak")), Column(N_("substitutie van")),
    Column(N_("substitutie naar")), Column(N_("noodzaak van gelijkgericht werken")),
    Column(N_("looptijd van"), Kind.DATE), Column(N_("looptijd tot"), Kind.DATE), Column(N_("status")),
    Column(N_("doelen")), Column(N_("doelen gemeten"), Kind.INTEGER),
    Column(N_("gemiddelde voortgang (fractie)"), Kind.DECIMAL), Column(N_("laatste evaluatie")),
    Column(N_("gepubliceerd op"), Kind.DATE), Column(N_("adres")),
]


def _goal_text(goal) -> str:
    return f"{goal.metric}: {goal.baseline} → {goal.target} op {goal.target_date.isoformat()}"


def _rows():
    for initiative, status, glance, latest in publication.open_data():
        yield [initiative.id, initiative.title, initiative.region.code, initiative.region.name,
               "; ".join(publication.provider_names(initiative)), initiative.description,
               initiative.substitution_from, initiative.substitution_to, initiative.necessity_justification,
               initiative.term_start, initiative.term_end, label(status),
               " | ".join(_goal_text(g) for g in initiative.goals), glance.measured if glance else 0,
               publication.fraction_decimal(glance.mean if glance else None),
               latest.label if latest else "",
               dutch_date(initiative.published_at) if initiative.published_at else None,  # open_data: published
               url_for("publication.entry", initiative_id=initiative.id, _external=True)]


@bp.route("/openbaar/open-data/initiatieven.csv")
@public
def open_data_csv():
    response = export_response("csv", "innovatieregister-openbaar", OPEN_DATA_COLUMNS, _rows(),
                               sheet="Openbaar register")
    return cached(licence_link(response), etag=False)


@bp.route("/openbaar/open-data/initiatieven.json")
@public
def open_data_json():
    from innovatieregister.api.public_register import open_data_document

    return cached(licence_link(jsonify(open_data_document())))


# The lead's step -------------------------------------------------------------------------------

def _publication_page(initiative_id: int, form: PublishForm, problems: list[str] | None = None):
    try:
        state = publication.publication_of(current_user, initiative_id)
    except (NotFound, NotAllowed):
        abort(404)
    return render_template("publication/publish.html", state=state, form=form, problems=problems or [],
                           today=clock.today()), 422 if problems else 200


@bp.route("/initiatieven/<int:initiative_id>/publicatie", methods=["GET", "POST"])
@allow(is_insurer_staff)
def publish(initiative_id: int):
    form = PublishForm()
    if request.method == "GET":
        return _publication_page(initiative_id, form)
    try:
        done = publication.publish(current_user, initiative_id, form.publish_on.data or None, clock.today(),
                                   clock.now())
    except (Invalid, Conflict) as refused:
        for name, messages in refused.field_errors.items():
            getattr(form, name).errors = list(messages)
        return _publication_page(initiative_id, form, [refused.message])
    flash(_("Gepubliceerd in het openbare register.") if done.published_at else
          _("De publicatie staat gepland op %(date)s.", date=datum(done.publish_on)), "success")
    return redirect(url_for("publication.publish", initiative_id=initiative_id))


@bp.route("/initiatieven/<int:initiative_id>/publicatie/intrekken", methods=["POST"])
@allow(is_insurer_staff)
def unpublish(initiative_id: int):
    try:
        publication.unpublish(current_user, initiative_id)
    except Conflict as refused:
        return _publication_page(initiative_id, PublishForm(formdata=None), [refused.message])
    flash(_("Het initiatief staat niet meer in het openbare register."), "success")
    return redirect(url_for("publication.publish", initiative_id=initiative_id))
