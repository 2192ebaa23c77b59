"""The directory of open roles at /volunteer/: facets (a skill, on site or remote, a sector),
and for a volunteer the roles that match their skills and interests first, with what matches;
the page costs the same for 3 roles as for 30."""

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import ProjectPage
from taxonomy.models import Sector
from volunteers import selectors, services


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def sector(name):
    return Sector.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]


def in_sector(project, *sectors):
    for item in sectors:
        ProjectPage.sectors.through.objects.get_or_create(projectpage=project, sector=item)


@pytest.fixture
def directory(net):
    education, housing = sector("Education"), sector("Housing")
    in_sector(net.project, education)
    in_sector(net.other_project, housing)
    net.role.skills = "Maths, teaching"
    net.role.save()
    remote = services.role_create(
        user=net.other_coordinator,
        project=net.other_project,
        title="Remote translator",
        skills="Catalan; English",
        remote=True,
    )
    return education, housing, remote


def titles(response):
    return [role.title for role in response.context["roles"]]


def test_facets_narrow_the_roles(net, directory):
    education, housing, remote = directory
    url = reverse("volunteers:role_list")
    client = client_for()
    assert set(titles(client.get(url))) == {net.role.title, remote.title}
    assert titles(client.get(url, {"where": "remote"})) == [remote.title]
    assert titles(client.get(url, {"where": "onsite"})) == [net.role.title]
    assert titles(client.get(url, {"sector": housing.pk})) == [remote.title]
    assert titles(client.get(url, {"sector": education.pk})) == [net.role.title]
    assert titles(client.get(url, {"skill": "english"})) == [remote.title]
    page = client.get(url, {"skill": "cooking"}).content.decode()
    assert "No open role matches these filters." in page


def test_a_bad_facet_is_told_and_ignored(net, directory):
    response = client_for().get(reverse("volunteers:role_list"), {"sector": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(titles(response)) == 2


def test_matches_come_first_and_are_explained(net, directory):
    education, _housing, remote = directory
    services.profile_save(
        user=net.volunteer, skills="teaching, drawing, maths", sectors=[education]
    )
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response) == [net.role.title, remote.title]
    first = response.context["roles"][0]
    assert first.matched_skills == ["Maths", "teaching"]
    assert first.matched_sectors == ["Education"]
    page = response.content.decode()
    assert "Matches your skills: Maths, teaching." in page
    assert "Matches your interests: Education." in page
    # A translator's skills bring that role first for someone who has them.
    services.profile_save(user=net.volunteer, skills="english", sectors=[])
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response)[0] == remote.title
    assert "Matches your skills: English." in response.content.decode()


def test_interests_are_on_the_profile_and_in_the_export(net, directory):
    education, housing, _remote = directory
    response = client_for(net.volunteer).post(
        reverse("volunteers:profile"),
        {"university": "UPF", "skills": "maths", "sectors": [education.pk, housing.pk]},
    )
    assert response.status_code == 302
    profile = selectors.profile_of(net.volunteer)
    assert set(profile.sectors.all()) == {education, housing}
    assert selectors.personal_data(net.volunteer)["profile"]["sectors"] == [
        "Education",
        "Housing",
    ]
    # An unknown sector is refused and nothing changes.
    response = client_for(net.volunteer).post(
        reverse("volunteers:profile"), {"university": "UAB", "sectors": ["999999"]}
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.university == "UPF"


def test_the_directory_costs_the_same_for_3_and_30_roles(
    net, directory, django_assert_max_num_queries
):
    education, housing, _remote = directory
    services.profile_save(user=net.volunteer, skills="maths", sectors=[education, housing])
    client = client_for(net.volunteer)
    url = reverse("volunteers:role_list")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(28):
        services.role_create(
            user=net.coordinator, project=net.project, title=f"Role {n}", skills="maths"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["roles"]) == 30
