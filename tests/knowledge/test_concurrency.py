"""Simultaneous votes on one item, with real threads on PostgreSQL: one vote per person, and
counts that match the votes."""

import pytest

from knowledge import services
from knowledge.models import KnowledgeItemPage, UsefulVote
from tests.concurrency import race
from tests.factories import UserFactory
from tests.knowledge.builders import community, published_item
from tests.services import require_postgres


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_keep_one_vote_each_and_true_counts():
    require_postgres()
    facilitator = UserFactory()
    group = community(facilitator=facilitator)
    item = published_item(community=group, user=facilitator, title="Votes")
    people = [UserFactory() for _ in range(4)]

    def vote(index):
        return services.item_vote(item=item, user=people[index], useful=index % 2 == 0)

    results, errors = race(vote, 4)
    assert errors == [] and len(results) == 4
    item = KnowledgeItemPage.objects.get(pk=item.pk)
    assert (item.useful_count, item.not_useful_count) == (2, 2)

    # One person's two clicks at the same moment: one vote.
    def twice(_index):
        return services.item_vote(item=item, user=people[1], useful=True)

    results, errors = race(twice, 2)
    assert errors == []
    assert UsefulVote.objects.filter(item=item, user=people[1]).count() == 1
    item = KnowledgeItemPage.objects.get(pk=item.pk)
    assert (item.useful_count, item.not_useful_count) == (3, 1)
