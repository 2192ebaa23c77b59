from types import SimpleNamespace

import pytest

from people import demo
from people.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_profiles_are_made_once_and_shown():
    laia = UserFactory(username="laia")
    ctx = SimpleNamespace(users={"laia": laia})
    demo.seed(ctx)
    demo.seed(ctx)
    profile = Profile.objects.get(user=laia)
    assert profile.shown and profile.bio
    assert Profile.objects.count() == 1
