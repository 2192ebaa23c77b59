"""The notifications about the vocabulary (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

TAG_PROPOSED = "taxonomy.tag_proposed"

LABELS = {
    TAG_PROPOSED: _("New tag proposed"),
}
