"""The shared StreamField blocks: rendering, validation and their previews in the admin."""

import pytest
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError

from core.blocks import BodyBlock, CallToActionBlock, PageBodyBlock
from tests.home.builders import standard_page
from tests.utils import editor

PREVIEWABLE = ["heading", "paragraph", "quote", "call_to_action", "key_figures"]


def test_every_page_block_has_a_description():
    for name, block in PageBodyBlock().child_blocks.items():
        assert str(block.get_description()).strip(), name


def test_page_blocks_with_a_preview_value_are_previewable():
    children = PageBodyBlock().child_blocks
    assert [name for name in PREVIEWABLE if children[name].is_previewable] == PREVIEWABLE


def test_partner_and_project_blocks_keep_their_children():
    # Their definitions are frozen in the partners/projects migrations (see core.blocks).
    assert list(BodyBlock().child_blocks) == ["heading", "paragraph", "image", "quote", "embed"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PREVIEWABLE)
def test_block_preview_renders_with_the_site_stylesheet(client, name):
    block = PageBodyBlock().child_blocks[name]
    client.force_login(editor())
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/css/site.css" in html
    assert f"block-{name}" in html


@pytest.mark.django_db
def test_call_to_action_needs_a_page_or_a_url_not_both():
    block = CallToActionBlock()
    page = standard_page("Join")
    base = {"title": "Join", "text": "", "button_label": "Go"}
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**base, "page": None, "url": ""}))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**base, "page": page.pk, "url": "https://example.org"}))
    assert block.clean(block.to_python({**base, "page": page.pk, "url": ""}))["page"].pk == page.pk
    cleaned = block.clean(block.to_python({**base, "page": None, "url": "https://example.org"}))
    assert cleaned["url"] == "https://example.org"


@pytest.mark.django_db
def test_standard_page_renders_every_text_block(client):
    page = standard_page(
        "About",
        intro="Who we are.",
        body=[
            ("heading", {"text": "Our story", "level": "h3"}),
            ("paragraph", "<p>Founded in <b>2024</b>.</p>"),
            ("quote", {"text": "Together.", "attribution": "Anna"}),
            (
                "call_to_action",
                {"title": "Join", "button_label": "Apply", "url": "https://example.org/a"},
            ),
            (
                "key_figures",
                {"heading": "", "figures": [{"value": "12", "label": "partners"}]},
            ),
        ],
    )
    html = client.get(page.url).content.decode()
    assert '<p class="lead">Who we are.</p>' in html
    assert "<h3>Our story</h3>" in html
    assert "Founded in <b>2024</b>." in html
    assert "<footer>— Anna</footer>" in html
    assert '<a class="button" href="https://example.org/a">Apply</a>' in html
    assert "<strong>12</strong> partners" in html
