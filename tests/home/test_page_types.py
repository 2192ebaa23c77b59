"""Every page type passes Wagtail's page-type checks (WagtailPageTestCase)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from home.models import HomePage, StandardPage
from partners.models import PartnerIndexPage, PartnerPage
from projects.models import ProjectIndexPage, ProjectPage
from tests.base_content import ensure_base_content
from tests.factories import UserFactory
from tests.home.builders import standard_page
from tests.utils import approved_organization, approved_project


class PageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_base_content()
        cls.home = HomePage.objects.get()
        cls.about = standard_page("About", intro="Who we are.")
        cls.join = standard_page("How to join", parent=cls.about)
        coordinator = UserFactory()
        cls.partner = approved_organization(admin=coordinator, title="Fundació Pont")
        cls.project = approved_project(coordinator=coordinator, lead=cls.partner)

    def _publish_through_admin(self, page, data):
        from django.urls import reverse

        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
        if response.status_code != 302:
            form = response.context["form"]
            self.fail(f"edit refused: {form.errors} {[f.errors for f in form.formsets.values()]}")
        self.client.logout()

    def test_where_each_type_can_be_created(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanCreateAt(HomePage, PartnerIndexPage)
        self.assertCanCreateAt(HomePage, ProjectIndexPage)
        self.assertCanCreateAt(PartnerIndexPage, PartnerPage)
        self.assertCanCreateAt(ProjectIndexPage, ProjectPage)
        self.assertCanNotCreateAt(StandardPage, PartnerPage)
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertCanNotCreateAt(PartnerIndexPage, StandardPage)
        self.assertCanNotCreateAt(ProjectPage, StandardPage)

    def test_allowed_subpage_types(self):
        self.assertAllowedSubpageTypes(
            HomePage, {PartnerIndexPage, ProjectIndexPage, StandardPage}
        )
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertAllowedSubpageTypes(PartnerIndexPage, {PartnerPage})
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})
        self.assertAllowedSubpageTypes(PartnerPage, set())
        self.assertAllowedSubpageTypes(ProjectPage, set())

    def test_allowed_parent_page_types(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(PartnerIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ProjectIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(PartnerPage, {PartnerIndexPage})
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})

    def test_every_page_type_is_renderable(self):
        for page in (
            self.home,
            self.about,
            self.join,
            PartnerIndexPage.objects.get(),
            self.partner,
            ProjectIndexPage.objects.get(),
            self.project,
        ):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def _home_form_data(self):
        body = streamfield(
            [
                ("heading", {"text": "Why a cluster", "level": "h2"}),
                ("paragraph", rich_text("<p>Sharing people and rooms.</p>")),
                ("quote", {"text": "Together we go further.", "attribution": "A partner"}),
                (
                    "call_to_action",
                    {
                        "title": "Join",
                        "text": "",
                        "button_label": "How to join",
                        "page": self.join.pk,
                        "url": "",
                    },
                ),
                (
                    "key_figures",
                    {
                        "heading": "Figures",
                        "figures": streamfield([("item", {"value": "12", "label": "partners"})]),
                    },
                ),
            ]
        )
        data = nested_form_data(
            {
                "title": "Social Cluster",
                "slug": "home",
                "hero_heading": "Together",
                "intro": rich_text("<p>Organizations together.</p>"),
                "hero_image": "",
                "hero_cta_label": "About us",
                "hero_cta_page": self.about.pk,
                "featured_projects": inline_formset([{"project": self.project.pk}]),
                "body": body,
                "seo_title": "",
                "search_description": "",
                "action-publish": "publish",
            }
        )
        return data

    def test_home_page_is_editable(self):
        self.assertPageIsEditable(self.home, post_data=self._home_form_data())

    def test_home_page_edit_publishes_every_block_and_featured_projects(self):
        self._publish_through_admin(self.home, self._home_form_data())
        home = HomePage.objects.get()
        self.assertEqual(home.hero_heading, "Together")
        self.assertEqual(
            [item.project_id for item in home.featured_projects.all()], [self.project.pk]
        )
        self.assertEqual(
            [block.block_type for block in home.body],
            ["heading", "paragraph", "quote", "call_to_action", "key_figures"],
        )
        response = self.client.get("/")
        self.assertContains(response, "Together we go further.")
        self.assertContains(response, '<a class="button" href="/about/how-to-join/">')

    def test_standard_page_is_editable(self):
        data = nested_form_data(
            {
                "title": "About",
                "slug": "about",
                "intro": "Who we are, briefly.",
                "body": streamfield([("heading", {"text": "Our story", "level": "h2"})]),
                "seo_title": "",
                "search_description": "",
                "action-publish": "publish",
            }
        )
        self.assertPageIsEditable(self.about, post_data=data)
        self._publish_through_admin(self.about, data)
        self.assertEqual(StandardPage.objects.get(pk=self.about.pk).intro, "Who we are, briefly.")
