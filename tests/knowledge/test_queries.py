"""Constant SQL query counts: the same bound with 3 rows as with 60 in every list shown."""

import pytest
from django.urls import reverse

from knowledge import services
from tests.factories import UserFactory
from tests.knowledge.builders import community, published_item, session
from tests.utils import rolled_back

pytestmark = pytest.mark.django_db

BOUND = {
    "directory": 8,
    "community": 32,
    "question": 24,
    "index": 14,
    # Wagtail's API looks up the site root's translations on each request (see
    # tests/sitesearch/test_api_queries.py), whatever the number of rows.
    "api": 13,
}


def build(size):
    from partners.services import membership_add
    from tests.utils import approved_organization

    facilitator = UserFactory(username=f"q{size}_facilitator")
    main = community(name=f"Main {size}", facilitator=facilitator)
    for n in range(size):
        community(name=f"Community {size}-{n:02}", facilitator=facilitator)
    organization = approved_organization(admin=facilitator, title=f"Org {size}")
    question = services.question_ask(community=main, user=facilitator, title="Many answers")
    for n in range(size):
        person = UserFactory(username=f"q{size}_member{n:02}")
        membership_add(organization=organization, user=person)
        services.membership_join(community=main, user=person, organization=organization)
        services.question_ask(community=main, user=person, title=f"Question {n}")
        services.answer_post(question=question, user=person, body=f"Answer {n}")
        published_item(community=main, user=person, title=f"Item {size} {n}", reviewer=facilitator)
        session(community=main, user=facilitator, days=n + 1)
    return main, question, facilitator


@pytest.fixture(scope="module", params=[3, 60])
def data(request, django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build(request.param)


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_query_counts_do_not_grow(client, data, signed_in, django_assert_max_num_queries):
    main, question, facilitator = data
    if signed_in:
        client.force_login(facilitator)
    pages = {
        "directory": reverse("knowledge:community_index"),
        "community": reverse("knowledge:community", args=[main.slug]),
        "question": reverse("knowledge:question", args=[main.slug, question.pk]),
        "index": "/knowledge/",
        "api": "/api/v2/pages/?type=knowledge.KnowledgeItemPage&fields=*&limit=20",
    }
    for name, url in pages.items():
        with django_assert_max_num_queries(BOUND[name]):
            response = client.get(url)
        assert response.status_code == 200, name
