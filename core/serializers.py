"""API fields shared by page types (used in their ``api_fields``)."""

from rest_framework import serializers


class PublicPageField(serializers.Field):
    """A link to another page, or null while that page is not published.

    A project's lead organization may still be a draft; its name must not leak through the API.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        if not page.live:
            return None
        return {"id": page.pk, "title": page.title, "slug": page.slug}
