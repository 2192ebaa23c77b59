"""StreamField blocks shared by the site's pages.

``PageBodyBlock`` is the full set (heading, rich text, image with caption, quote, embed, call to
action, key figures) used by the home page and standard pages. ``BodyBlock`` is the smaller set
partner and project pages were created with; it must keep exactly the same children and
constructor arguments, because Wagtail writes a StreamField's block definitions into each
app's migrations. Meta options (templates, previews, descriptions) are not part of those
definitions, so they can change freely.

Every block has a ``description`` and, where a value can be made without the database, a
``preview_value``: Wagtail 6.3+ shows them in the block picker, rendered through
``templates/wagtailcore/shared/block_preview.html`` with the site stylesheet.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]
LINK_VALIDATOR = RegexValidator(
    r"^(https?://[^\s]+|/[^\s]*)$",
    _("Enter an address starting with https:// or http://, or a path starting with /."),
)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading; use levels in order (H2, then H3).")
        preview_value = {"text": "Training young people for digital jobs", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Paragraph")
        description = _("Rich text: bold, italic, links and lists.")
        preview_value = (
            "<p>Third-sector organizations, companies and universities <b>share</b> "
            "people, rooms and know-how to run social projects together.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")
        description = _("An image with its alternative text and an optional caption.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation with who said it.")
        preview_value = {
            "text": "Together we reached families no single organization could reach.",
            "attribution": "A project coordinator",
        }


class VideoEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("Embed")
        description = _("A video or other media from a URL (YouTube, Vimeo…).")


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box inviting the reader to do one thing: an internal page or a URL."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("or web address"),
        required=False,
        max_length=300,
        help_text=_("A full address (https://…) or a path on this site (/accounts/signup/)."),
        validators=[LINK_VALIDATOR],
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")
        description = _("A highlighted box with a button to a page or a web address.")
        preview_value = {
            "title": "Does your organization want to join?",
            "text": "Register it and an editor will review it within a few days.",
            "button_label": "How to join",
            "url": "https://example.org/how-to-join/",
        }

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose either a page or a URL for the button."))
                }
            )
        return value


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=20, help_text=_("e.g. 1,200 or 85%"))
    label = blocks.CharBlock(label=_("What it counts"), max_length=80)

    class Meta:
        icon = "order"
        label = _("Figure")


class KeyFiguresBlock(blocks.StructBlock):
    """A row of headline numbers written by editors (the home page also shows live ones)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, label=_("Figures"))

    class Meta:
        icon = "table"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        description = _("Up to six headline numbers, each with what it counts.")
        preview_value = {
            "heading": "The cluster in figures",
            "figures": [
                {"value": "48", "label": "partner organizations"},
                {"value": "1,200", "label": "young people trained"},
                {"value": "85%", "label": "found work within a year"},
            ],
        }


class BodyBlock(blocks.StreamBlock):
    """The blocks of partner and project pages. Keep the children as they are (see above)."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("Embed"), max_width=800)


class PageBodyBlock(blocks.StreamBlock):
    """The full set of content blocks for the home page and standard pages."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock(features=PARAGRAPH_FEATURES)
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = VideoEmbedBlock(max_width=800)
    call_to_action = CallToActionBlock()
    key_figures = KeyFiguresBlock()
