"""Hypothesis fuzzing of the sign-up form and the privacy forms: never a 500, nothing stored.

Each example runs in a transaction rolled back at its end, so examples do not see each
other's rows; allauth's rate limits are off so every example reaches the form.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from privacy.models import Consent
from tests.factories import PASSWORD, UserFactory
from tests.hypothesis_profiles import examples

pytestmark = pytest.mark.django_db

User = get_user_model()

FUZZ = hypothesis_settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Anything a browser (or a script) can put in a form field, with realistic values mixed in so
# that some examples get past validation.
junk = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=5000)
plausible_emails = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,30}@example\.(org|cat)\Z")
plausible_usernames = st.from_regex(r"\A[a-z][a-z0-9_.+-]{0,30}\Z")
extra_fields = st.dictionaries(st.text(min_size=1, max_size=20), junk, max_size=3)
REFUSALS = ("", "false", "0")


@st.composite
def signup_forms(draw):
    """A valid sign-up with any set of its fields dropped or replaced by junk."""
    data = {
        "first_name": "Núria",
        "last_name": "Serra",
        "email": draw(plausible_emails),
        "username": draw(plausible_usernames),
        "password1": "Un-bon-secret-2026",
        "password2": "Un-bon-secret-2026",
        "consent": "on",
    }
    for name in draw(st.sets(st.sampled_from(sorted(data)))):
        value = draw(st.none() | st.sampled_from(REFUSALS) | st.emails() | junk)
        if value is None:
            del data[name]
        else:
            data[name] = value
    return {**draw(extra_fields), **data}


def counts():
    return (User.objects.count(), EmailAddress.objects.count(), Consent.objects.count())


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits would answer 429 before the form is even read."""
    settings.ACCOUNT_RATE_LIMITS = False
    settings.CLUSTER_RATE_LIMITS = dict.fromkeys(settings.CLUSTER_RATE_LIMITS, "1000000/s")


VALID_SIGNUP = {
    "first_name": "Núria",
    "last_name": "Serra",
    "email": "nuria@example.org",
    "username": "nuria",
    "password1": "Un-bon-secret-2026",
    "password2": "Un-bon-secret-2026",
}


@FUZZ
@given(data=signup_forms())
# Found by the fuzzing: "0" was read as a ticked box. Only the ticked box's "on" is consent.
@example(data={**VALID_SIGNUP, "consent": "0"})
@example(data={**VALID_SIGNUP, "consent": "no"})
@example(data={**VALID_SIGNUP, "consent": "on"})
def test_sign_up_never_fails_and_stores_nothing_it_refuses(data):
    with transaction.atomic():
        before = counts()
        response = Client().post("/accounts/signup/", data)
        assert response.status_code < 500
        event(f"status {response.status_code}")
        if response.status_code == 302:  # accepted: the account comes with its consent
            assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
            assert data.get("consent") == "on"
        else:
            assert response.status_code == 200
            assert counts() == before
        transaction.set_rollback(True)


@FUZZ
@given(password=junk | st.just(PASSWORD[:-1]), extra=extra_fields)
def test_account_deletion_form_never_fails_and_deletes_nothing_it_refuses(password, extra):
    with transaction.atomic():
        user = UserFactory(username="fuzzed")
        client = Client()
        client.force_login(user)
        before = counts()
        response = client.post(reverse("privacy:delete"), {**extra, "password": password})
        assert response.status_code == 400
        assert counts() == before
        transaction.set_rollback(True)


@hypothesis_settings(FUZZ, max_examples=examples(40))
@given(query=st.dictionaries(st.text(max_size=20), junk, max_size=3))
def test_privacy_pages_ignore_whatever_the_query_string_says(query):
    with transaction.atomic():
        client = Client()
        client.force_login(UserFactory(username="curious"))
        for name in ("privacy:privacy", "privacy:export", "privacy:notice"):
            assert client.get(reverse(name), query).status_code == 200
        transaction.set_rollback(True)
