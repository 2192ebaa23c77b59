"""One register per language: the portal says "tú" and "tu" to people, so the sign-up, sign-in
and password pages and the account e-mails, whose messages come from allauth and Django, never
use "usted" (Spanish) or "vostè"/"vós" (Catalan). The portal's catalogue overrides theirs
(``core.third_party_messages``)."""

import re

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FORMAL = {
    "es": re.compile(
        r"\busted(es)?\b|\bsu (contraseña|cuenta|correo|dirección|usuario)|"
        r"\b(introduzca|haga|inicie|regístrese|solicite|póngase|olvidó|compruebe|confirme)\b",
        re.IGNORECASE,
    ),
    "ca": re.compile(
        r"\bvost[èe]\b|\bvós\b|\bvostr[ea]s?\b|\bel seu codi\b|"
        r"\b(introduïu|introdueixi|inicieu|registreu-vos|soliciteu|contacteu|confirmeu|"
        r"envieu-me|heu|teniu|seguiu|aneu)\b",
        re.IGNORECASE,
    ),
}
LANGUAGES = ("es", "ca")


def formal_words(lang, text):
    """Each formal word found, with some text around it to tell where it is."""
    found = FORMAL[lang].finditer(text)
    return sorted({text[max(0, m.start() - 60) : m.end() + 40] for m in found})


def client_in(lang):
    client = Client(headers={"accept-language": lang})
    client.cookies["django_language"] = lang
    return client


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"],
)
def test_account_pages_speak_with_tu(lang, path):
    response = client_in(lang).get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'lang="{lang}"' in text
    assert formal_words(lang, text) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refused_sign_up_speaks_with_tu(lang):
    response = client_in(lang).post(
        "/accounts/signup/",
        {
            "email": "nova@example.org",
            "username": "nova",
            "first_name": "Nora",
            "last_name": "Vila",
            "password1": "short",
            "password2": "other",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "errorlist" in text or "error" in text
    assert formal_words(lang, text) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_change_page_speaks_with_tu(lang):
    client = client_in(lang)
    client.force_login(UserFactory())
    response = client.get("/accounts/password/change/")
    assert response.status_code == 200
    assert formal_words(lang, response.content.decode()) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_rules_and_the_catalan_length_message_speak_with_tu(lang):
    with translation.override(lang):
        rules = " ".join(password_validation.password_validators_help_texts())
        with pytest.raises(Exception) as refused:
            password_validation.validate_password("ab1")
        errors = " ".join(refused.value.messages)
    assert "password" not in rules.lower() and "password" not in errors.lower()
    assert formal_words(lang, rules + " " + errors) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_reset_mail_speaks_with_tu(lang):
    user = UserFactory(password=PASSWORD)
    response = client_in(lang).post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert formal_words(lang, message.subject + " " + message.body) == []
    assert "password" not in message.body.lower().replace("/password/", "")
