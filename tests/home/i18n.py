"""What the language tests share: strings each page shows in each language."""

from django.utils import translation

SKIP_LINK = {"en": "Skip to content", "es": "Saltar al contenido", "ca": "Salta al contingut"}
# One translated string each page type's own template shows.
PAGE_STRINGS = {
    "partner": {"en": "About us", "es": "Quiénes somos", "ca": "Qui som"},
    "project": {
        "en": "What the project needs",
        "es": "Qué necesita el proyecto",
        "ca": "Què necessita el projecte",
    },
    "partner_index": {
        "en": "Find partners",
        "es": "Buscar socios",
        "ca": "Troba organitzacions sòcies",
    },
    "project_index": {
        "en": "Filter projects",
        "es": "Filtrar proyectos",
        "ca": "Filtra els projectes",
    },
    "home": SKIP_LINK,
    "standard": {"en": "Privacy notice", "es": "Aviso de privacidad", "ca": "Avís de privadesa"},
}
PREFIX = {"en": "", "es": "/es", "ca": "/ca"}


def english_url(page):
    """The page's URL in the default language (requests leave their language active)."""
    with translation.override("en"):
        return page.url


def page_html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()
