"""Team and member lists link people's cards, only for those who chose to show one."""

import pytest

from people.services import profile_update
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    coordinator = UserFactory(first_name="Clara", last_name="Vidal")
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    member.first_name, member.last_name = "Pau", "Riera"
    member.save()
    return project, partner, coordinator, member


def test_the_team_links_the_cards_people_show(client, team):
    project, _, coordinator, member = team
    profile_update(user=member, shown=True, bio="Mentor.")
    profile_update(user=coordinator, shown=False, bio="Hidden.")
    client.force_login(coordinator)
    html = client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert f'<a href="/portal/people/{member.pk}/">Pau Riera</a>' in html
    assert f"/portal/people/{coordinator.pk}/" not in html


def test_the_members_list_links_the_cards_people_show(client, team):
    _, partner, _, member = team
    admin = partner.memberships.get(role="admin").user
    client.force_login(admin)
    url = f"/portal/organizations/{partner.pk}/"
    assert f"/portal/people/{member.pk}/" not in client.get(url).content.decode()
    profile_update(user=member, shown=True)
    link = f'<a href="/portal/people/{member.pk}/">Pau Riera</a>'
    assert link in client.get(url).content.decode()
    profile_update(user=member, shown=False)
    assert f"/portal/people/{member.pk}/" not in client.get(url).content.decode()


def test_a_community_members_list_links_the_cards_people_show(client, team):
    from knowledge import services
    from tests.knowledge.builders import community

    _, _, coordinator, member = team
    group = community(facilitator=coordinator)
    services.membership_join(community=group, user=member)
    profile_update(user=member, shown=True)
    profile_update(user=coordinator, shown=False)
    client.force_login(coordinator)
    html = client.get(f"/communities/{group.slug}/").content.decode()
    assert f'<a href="/portal/people/{member.pk}/">Pau Riera</a>' in html
    assert f"/portal/people/{coordinator.pk}/" not in html


def test_the_chat_knows_the_cards_of_the_team_that_show_one(client, team):
    """The presence list links names to cards: the page gives the chat the team's card links
    (a JSON element, no script), only for those who show a card."""
    import json
    import re

    project, _, coordinator, member = team
    profile_update(user=member, shown=True)
    profile_update(user=coordinator, shown=False)
    client.force_login(coordinator)
    html = client.get(f"/portal/projects/{project.pk}/chat/").content.decode()
    assert f'data-card-urls="chat-cards-{project.pk}"' in html
    found = re.search(
        rf'<script id="chat-cards-{project.pk}" type="application/json">(.*?)</script>', html
    )
    assert json.loads(found.group(1)) == {str(member.pk): f"/portal/people/{member.pk}/"}
