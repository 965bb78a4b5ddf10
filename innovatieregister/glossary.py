"""The glossary (issue 13): the Dutch policy terms the register keeps in both languages, with an
English rendering and a one-sentence explanation in the reader's language. The one source for the
page /woordenlijst; the English renderings are the ones the English catalogue uses.

Dutch stays the source of truth for these terms: an English page may keep the Dutch term in
brackets ("follow policy (volgbeleid)") where it is the legal one.
"""

from __future__ import annotations

from dataclasses import dataclass

from innovatieregister.domain.text import N_


@dataclass(frozen=True)
class Term:
    dutch: str  # the term as the policy writes it, in both languages
    english: str  # how the English pages render it
    explanation: str  # Dutch, marked for the catalogue; said in the reader's language


TERMS = (
    Term("bemiddelaar", "mediator",
         N_("De onafhankelijke partij die een geschil over een afwijzing of een nacalculatie onderzoekt en "
            "een bevinding vastlegt.")),
    Term("evaluatiemoment", "evaluation moment",
         N_("Een vooraf vastgelegde datum waarop een meting of evaluatie van het initiatief moet plaatsvinden.")),
    Term("gedeelde besparingen", "shared savings",
         N_("De afspraak dat de besparing die een initiatief oplevert volgens een verdeelsleutel over de "
            "partijen wordt verdeeld.")),
    Term("JZOJP", "right care in the right place",
         N_("Juiste Zorg Op de Juiste Plek: het programma om zorg te voorkomen, dichter bij huis te "
            "organiseren of te vervangen door andere zorg.")),
    Term("leidende verzekeraar", "lead insurer",
         N_("De zorgverzekeraar met het grootste marktaandeel in een regio; hij sluit de afspraak en "
            "vraagt de andere verzekeraars die te volgen.")),
    Term("looptijd", "term",
         N_("De periode waarin een initiatief loopt, van de activering tot het einde, eventueel verlengd.")),
    Term("marktaandeel", "market share",
         N_("Het deel van de verzekerden in een regio dat bij een verzekeraar verzekerd is, op een peildatum.")),
    Term("medefinanciering", "co-funding",
         N_("Geld dat een gemeente of zorgkantoor toezegt voor een initiatief, naast de zorgverzekeraars.")),
    Term("nacalculatie", "settlement",
         N_("De verrekening achteraf van de werkelijke kosten tussen de financiers van een initiatief.")),
    Term("opschalingsfase", "scale-up phase",
         N_("De fase waarin een bewezen innovatie breder wordt ingevoerd; dan is het volgbeleid van "
            "toepassing.")),
    Term("peildatum", "reference date",
         N_("De datum waarop de marktaandelen zijn vastgesteld die voor een verdeling gelden.")),
    Term("regiobeeld", "regional picture",
         N_("De gezamenlijke analyse van een regio met de thema's en doelen waaraan initiatieven "
            "bijdragen.")),
    Term("verdeelstaat", "fair-share statement",
         N_("Het overzicht van wat elke verzekeraar naar zijn marktaandeel aan een initiatief bijdraagt.")),
    Term("volgbeleid", "follow policy",
         N_("De afspraak dat zorgverzekeraars een afspraak van de leidende verzekeraar over transformatie "
            "volgen, tenzij zij zwaarwegende argumenten hebben.")),
    Term("volgverzoek", "follow request",
         N_("Het verzoek van de leidende verzekeraar aan een andere verzekeraar om een initiatief mee te "
            "financieren, met een termijn voor het besluit.")),
    Term("zienswijze", "statement",
         N_("De schriftelijke reactie die de bemiddelaar van een partij vraagt voordat hij een bevinding "
            "vastlegt.")),
    Term("zorgkantoorregio", "care office region",
         N_("Een van de regio's waarin Nederland voor de langdurige zorg is verdeeld; het register "
            "gebruikt ze als regio's van het volgbeleid.")),
    Term("zwaarwegend", "weighty",
         N_("Een afwijzing is zwaarwegend onderbouwd als de gewogen argumenten samen de drempel halen; "
            "anders kan de leidende verzekeraar bemiddeling vragen.")),
)
