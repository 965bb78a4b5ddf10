"""What makes a registration acceptable under the follow policy.

The policy covers only cross-institution (instellingsoverstijgende) JZOJP interventions
and innovation; the register reads that as: at least two institutions, or an explicit
cross-institution justification. Only a lead insurer of the region registers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from innovatieregister.domain.text import N_, say

MIN_PROVIDERS = 2
LEAD_RULE = N_("de 1e en 2e zorgverzekeraar naar marktaandeel in de regio, en de 3e wanneer "
                "de eerste twee samen minder dan 50% van de verzekerden hebben")


def cross_institution_problem(provider_count: int, justification: str) -> str | None:
    """Why a registration is not cross-institution, or None when it is."""
    if provider_count >= MIN_PROVIDERS or (justification or "").strip():
        return None
    return say(N_("Het volgbeleid geldt alleen voor instellingsoverstijgende interventies: kies minstens "
                  "%(minimum)s zorgaanbieders, of licht toe waarom de interventie ook met %(count)s "
                  "aanbieder(s) instellingsoverstijgend is.")) % {"minimum": MIN_PROVIDERS, "count": provider_count}


def not_a_lead_message(region_name: str, lead_names: Sequence[str]) -> str:
    """The refusal for an insurer that does not lead the region, naming who does."""
    if not lead_names:
        return say(N_("In %(region)s zijn geen marktaandelen bekend, dus ook geen leidende verzekeraars; "
                      "registreren kan pas als die er zijn.")) % {"region": region_name}
    return say(N_("Alleen een leidende zorgverzekeraar registreert in %(region)s: %(rule)s. In %(region)s zijn "
                  "dat nu: %(leads)s.")) % {"region": region_name, "rule": say(LEAD_RULE),
                                             "leads": ", ".join(lead_names)}


PROVIDERS_OUTSIDE_REGION = N_("%(names)s geeft zorg buiten %(region)s: een initiatief noemt alleen "
                              "zorgaanbieders van de eigen regio.")


def providers_outside(region_id: int, providers: Iterable[tuple[str, int | None]]) -> list[str]:
    """The providers (name, region id) that give care in another region than the initiative's. The
    follow policy is regional: an initiative names the providers of its own care office region. A
    provider whose region is not known is not refused (its region cannot be checked)."""
    return [name for name, provider_region in providers
            if provider_region is not None and provider_region != region_id]
