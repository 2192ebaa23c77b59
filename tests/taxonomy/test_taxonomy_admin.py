"""Taxonomies in the Wagtail admin, and merging duplicate skills/resources tags."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from partners.models import PartnerOfferTag, PartnerPage, PartnerSeekTag
from projects.models import ProjectNeedTag, ProjectPage
from taxonomy.models import Sector, SustainableDevelopmentGoal
from taxonomy.services import tag_merge, tag_through_models
from tests.factories import UserFactory
from tests.home.builders import published_projects
from tests.utils import approved_organization, editor

pytestmark = pytest.mark.django_db


def _tags(manager):
    return sorted((tag.name for tag in manager.all()), key=str.casefold)


def test_through_models_are_found_without_importing_the_apps():
    found = set(tag_through_models())
    assert {PartnerOfferTag, PartnerSeekTag, ProjectNeedTag} <= found


def test_merge_repoints_every_tagged_item_and_deletes_duplicates():
    partner = approved_organization(
        title="Teixit", offers=["formació", "Rooms"], seeks=["formacio", "Formació online"]
    )
    both = approved_organization(title="Both", offers=["formació", "formacio"])
    project = published_projects(1, title="Coding", needs=["Formació online", "Laptops"])[0]
    target = Tag.objects.get(name="formació")
    duplicates = list(Tag.objects.filter(name__in=["formacio", "Formació online"]))

    repointed = tag_merge(target=target, duplicates=[target, *duplicates])

    # Re-pointed: the partner's "formacio" seek and the project's need. Dropped as doubles: the
    # partner's other seek, and "both"'s "formacio" offer (it already had the target).
    assert repointed == 2
    assert not Tag.objects.filter(name__in=["formacio", "Formació online"]).exists()
    partner = PartnerPage.objects.get(pk=partner.pk)
    assert _tags(partner.offers) == ["formació", "Rooms"]
    assert _tags(partner.seeks) == ["formació"]
    assert _tags(PartnerPage.objects.get(pk=both.pk).offers) == ["formació"]
    assert PartnerOfferTag.objects.filter(content_object=both, tag=target).count() == 1
    assert _tags(ProjectPage.objects.get(pk=project.pk).needs) == ["formació", "Laptops"]


def test_merge_rewrites_the_latest_revision_so_the_page_still_edits(client):
    partner = approved_organization(title="Teixit", offers=["formacio"])
    target = Tag.objects.create(name="formació", slug="formacio-2")
    tag_merge(target=target, duplicates=Tag.objects.filter(name="formacio"))
    partner = PartnerPage.objects.get(pk=partner.pk)
    assert _tags(partner.get_latest_revision_as_object().offers) == ["formació"]
    client.force_login(editor())
    response = client.get(reverse("wagtailadmin_pages:edit", args=(partner.pk,)))
    assert response.status_code == 200
    assert "formació" in response.content.decode()


def test_merge_needs_two_different_tags():
    from django.core.exceptions import ValidationError

    tag = Tag.objects.create(name="alone", slug="alone")
    with pytest.raises(ValidationError):
        tag_merge(target=tag, duplicates=[tag])
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_editor_merges_tags_with_the_bulk_action(client):
    partner = approved_organization(title="Teixit", offers=["Voluntaris"], seeks=["voluntariat"])
    keep = Tag.objects.get(name="Voluntaris")
    drop = Tag.objects.get(name="voluntariat")
    client.force_login(editor())
    url = reverse("wagtail_bulk_action", args=("taggit", "tag", "merge"))
    query = f"?id={keep.pk}&id={drop.pk}"
    response = client.get(url + query)
    assert response.status_code == 200
    assert "Keep this tag" in response.content.decode()
    response = client.post(url + query, {"target": keep.pk})
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=drop.pk).exists()
    partner = PartnerPage.objects.get(pk=partner.pk)
    assert _tags(partner.seeks) == ["Voluntaris"]


def test_merge_refuses_a_target_outside_the_selection(client):
    one = Tag.objects.create(name="one", slug="one")
    two = Tag.objects.create(name="two", slug="two")
    other = Tag.objects.create(name="other", slug="other")
    client.force_login(editor())
    url = reverse("wagtail_bulk_action", args=("taggit", "tag", "merge"))
    response = client.post(f"{url}?id={one.pk}&id={two.pk}", {"target": other.pk})
    assert response.status_code == 200  # the form again, with its error
    assert Tag.objects.count() == 3


def test_non_editor_cannot_merge_tags(client):
    one = Tag.objects.create(name="one", slug="one")
    two = Tag.objects.create(name="two", slug="two")
    client.force_login(UserFactory())
    url = reverse("wagtail_bulk_action", args=("taggit", "tag", "merge"))
    response = client.post(f"{url}?id={one.pk}&id={two.pk}", {"target": one.pk})
    assert response.status_code == 302 and "login" in response.url
    assert Tag.objects.count() == 2


@pytest.mark.parametrize("model_name", ["sector", "region", "sustainabledevelopmentgoal", "tag"])
def test_editor_sees_every_vocabulary_under_one_menu(client, model_name):
    client.force_login(editor())
    app = "taggit" if model_name == "tag" else "taxonomy"
    response = client.get(reverse(f"wagtailsnippets_{app}_{model_name}:list"))
    assert response.status_code == 200
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Taxonomies" in home


def test_tag_listing_counts_uses(client):
    approved_organization(title="A", offers=["Rooms"])
    published_projects(1, needs=["Rooms"])
    client.force_login(editor())
    html = client.get(reverse("wagtailsnippets_taggit_tag:list")).content.decode()
    assert "2 items" in html


def test_editor_adds_a_sector_but_not_a_goal(client):
    client.force_login(editor())
    response = client.post(
        reverse("wagtailsnippets_taxonomy_sector:add"), {"name": "Housing", "slug": "housing"}
    )
    assert response.status_code == 302
    assert Sector.objects.filter(slug="housing").exists()
    response = client.get(reverse("wagtailsnippets_taxonomy_sustainabledevelopmentgoal:add"))
    assert response.status_code in (302, 403)
    assert SustainableDevelopmentGoal.objects.count() == 17


def test_editor_renames_a_goal_and_bad_colours_are_refused(client):
    goal = SustainableDevelopmentGoal.objects.get(number=4)
    client.force_login(editor())
    url = reverse("wagtailsnippets_taxonomy_sustainabledevelopmentgoal:edit", args=(goal.pk,))
    data = {
        "name_en": "Quality education",
        "name_es": "Educación de calidad",
        "name_ca": "Educació de qualitat!",
        "colour": "red",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    goal.refresh_from_db()
    assert goal.name_ca == "Educació de qualitat" and goal.colour == "#C5192D"
    response = client.post(url, {**data, "colour": "#c5192d"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.name_ca == "Educació de qualitat!" and goal.number == 4
