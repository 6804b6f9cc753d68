from __future__ import annotations

import pytest

from ingest.language import detect_language

SAMPLES = {
    "en": "The Commission today launched a new fund for cross-border rail links between the "
    "three Baltic states and Poland, which will be open to applications from May.",
    "fr": "La Commission a lancé aujourd'hui un nouveau fonds pour les liaisons ferroviaires "
    "transfrontalières entre les trois États baltes et la Pologne, qui sera ouvert aux "
    "candidatures dès le mois de mai.",
    "de": "Die Kommission hat heute einen neuen Fonds für grenzüberschreitende "
    "Bahnverbindungen zwischen den drei baltischen Staaten und Polen aufgelegt, der ab Mai "
    "für Anträge offen sein wird.",
    "es": "La Comisión ha puesto en marcha hoy un nuevo fondo para los enlaces ferroviarios "
    "transfronterizos entre los tres Estados bálticos y Polonia, que estará abierto a las "
    "solicitudes a partir de mayo.",
    "it": "La Commissione ha lanciato oggi un nuovo fondo per i collegamenti ferroviari "
    "transfrontalieri tra i tre Stati baltici e la Polonia, che sarà aperto alle domande a "
    "partire da maggio e non solo per le città.",
    "pt": "A Comissão lançou hoje um novo fundo para as ligações ferroviárias "
    "transfronteiriças entre os três Estados bálticos e a Polónia, que estará aberto a "
    "candidaturas a partir de maio e não apenas para as cidades.",
    "ru": "Комиссия сегодня объявила о создании нового фонда для трансграничных "
    "железнодорожных связей между тремя балтийскими государствами и Польшей, который будет "
    "открыт для заявок с мая, и это также важно для всех.",
}


@pytest.mark.parametrize(("code", "text"), sorted(SAMPLES.items()))
def test_detects_each_language(code: str, text: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Riga, 14 March 2024",
        "Basin Health Index: semi-annual statement",
        "1.25 2.50 3.75 4.00 5.25 6.50 7.75 8.00 9.25 10.50 11.75 12.00 13.25",
        # half English, half French: too close to call
        SAMPLES["en"] + " " + SAMPLES["fr"],
    ],
)
def test_unsure_or_too_short_is_none(text: str) -> None:
    assert detect_language(text) is None
