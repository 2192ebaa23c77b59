"""Editors' curation, once projects exist: featured projects on the home page and promoted
search results. Runs after ``projects.demo`` (INSTALLED_APPS order). Safe to run twice."""

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale

from home.models import HomePage, HomePageFeaturedProject, StandardPage
from projects.models import ProjectPage

FEATURED_FIRST = "digital-skills-for-young-people"
FEATURED_COUNT = 3


def _featured(ctx, home):
    if home.featured_projects.exists():
        return
    live = ProjectPage.objects.live().public()
    chosen = list(live.filter(slug=FEATURED_FIRST))
    chosen += list(
        live.exclude(slug=FEATURED_FIRST)
        .filter(status__in=[ProjectPage.Status.ACTIVE, ProjectPage.Status.FORMING])
        .order_by("title")[: FEATURED_COUNT - len(chosen)]
    )
    for order, project in enumerate(chosen):
        HomePageFeaturedProject.objects.create(page=home, project=project, sort_order=order)
    if chosen:
        # The featured list is part of the page's content: publish it as a revision too.
        home.refresh_from_db()
        home.save_revision().publish()
    ctx.log("featured projects: " + (", ".join(p.title for p in chosen) or "none published yet"))


def _promotions(ctx, home):
    pages = {page.slug: page for page in StandardPage.objects.child_of(home)}
    wanted = [
        ("join", "how-to-join", "Steps to register your organization."),
        ("register", "how-to-join", "Steps to register your organization."),
        ("about", "about", "Who we are and how the cluster works."),
    ]
    for query_string, slug, description in wanted:
        page = pages.get(slug)
        if page is None:
            continue
        SearchPromotion.objects.get_or_create(
            query=Query.get(query_string),
            page=page,
            defaults={"description": description, "sort_order": 0},
        )
    ctx.log("promoted search results: " + ", ".join(q for q, _slug, _d in wanted))


def seed(ctx):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    _featured(ctx, home)
    _promotions(ctx, home)
