"""Wagtail's image form with our upload rules (``WAGTAILIMAGES_IMAGE_FORM_BASE``).

Wagtail's own field already sniffs the format, checks the size and the pixels; this form adds
``core.uploads.sanitize_image`` so every image editors upload (single, multiple, from a
chooser) is stored re-encoded, without EXIF. Kept apart from ``core.uploads`` because
importing Wagtail's forms needs the app registry ready.
"""

from wagtail.images.forms import BaseImageForm

from core.uploads import sanitize_image


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            sanitize_image(upload)
        return upload
