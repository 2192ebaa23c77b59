from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import PageBodyBlock
from core.choosers import ScriptlessImageChooserPanel, ScriptlessPageChooserPanel
from core.i18n_content import LocaleFallbackMixin
from core.validators import SingleLineFieldsMixin


class HomePage(SingleLineFieldsMixin, LocaleFallbackMixin, Page):
    """The root of the site: what the cluster is, and the way into its directories.

    Editors write the hero and the body and choose featured projects; the key figures and the
    latest projects and partners are live, read by ``home.selectors`` when the page renders.
    """

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=120,
        blank=True,
        help_text=_("The big line at the top of the page; the page title if empty."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("button label"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(PageBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("intro"),
                ScriptlessImageChooserPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                ScriptlessPageChooserPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        InlinePanel(
            "featured_projects",
            label=_("Featured projects"),
            heading=_("Featured projects"),
            max_num=6,
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    # A new top-level section (e.g. a knowledge base index) must be added here.
    subpage_types = ["partners.PartnerIndexPage", "projects.ProjectIndexPage", "home.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_content(home=self))
        return context


class HomePageFeaturedProject(Orderable):
    """A project an editor put on the home page, in the order they chose."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_projects")
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [ScriptlessPageChooserPanel("project", "projects.ProjectPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured project")
        verbose_name_plural = _("featured projects")


class StandardPage(SingleLineFieldsMixin, LocaleFallbackMixin, Page):
    """A plain content page: "about", "how to join" and similar."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=400,
        help_text=_("A sentence or two shown under the title and in search results."),
    )
    body = StreamField(PageBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
