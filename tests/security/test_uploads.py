"""Uploads: judged by content, size and pixel limits, EXIF stripped; Wagtail's uploads too."""

import random
from io import BytesIO

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.uploads import SafeImageField

GPS_IFD = 0x8825
PHP = b"<?php system($_GET['c']); ?>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class LogoForm(forms.Form):
    logo = SafeImageField()


def png_bytes(image):
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def php_renamed_png():
    return SimpleUploadedFile("logo.png", PHP, content_type="image/png")


def sixty_megapixels():
    return SimpleUploadedFile("huge.png", png_bytes(Image.new("1", (10_000, 6_000))))


def six_megabytes():
    noise = random.Random(7).randbytes(1_450 * 1_450 * 3)
    data = png_bytes(Image.frombytes("RGB", (1_450, 1_450), noise))
    assert 6_000_000 < len(data) < 7_000_000
    return SimpleUploadedFile("noise.png", data, content_type="image/png")


def jpeg_with_gps(name="holiday.jpg", size=(64, 48), orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (41.0, 23.0, 12.5), 3: "E", 4: (2.0, 10.0, 30.0)})
    buffer = BytesIO()
    Image.new("RGB", size, "orange").save(
        buffer, "JPEG", exif=exif, comment=b"home address: Carrer Major 1"
    )
    data = buffer.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def assert_no_metadata(data):
    image = Image.open(BytesIO(data))
    assert not image.getexif()
    assert "comment" not in image.info and "xmp" not in image.info
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"Carrer Major" not in data


def form_errors(upload):
    form = LogoForm(files={"logo": upload})
    assert not form.is_valid()
    return " ".join(form.errors["logo"])


def test_php_file_renamed_png_is_refused():
    assert "not a picture we can use" in form_errors(php_renamed_png())


def test_sixty_megapixel_image_is_refused():
    message = form_errors(sixty_megapixels())
    assert "10000 × 6000 pixels (60 megapixels)" in message
    assert "at most 40 megapixels" in message


def test_six_megabyte_file_is_refused():
    assert "an image may be at most 5.0\xa0MB" in form_errors(six_megabytes())


def test_other_formats_are_refused_by_content():
    buffer = BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "BMP")
    upload = SimpleUploadedFile("pic.png", buffer.getvalue())
    assert "BMP images are not accepted" in form_errors(upload)


def test_truncated_image_is_refused():
    buffer = BytesIO()
    noise = random.Random(3).randbytes(200 * 200 * 3)
    Image.frombytes("RGB", (200, 200), noise).save(buffer, "JPEG")
    data = buffer.getvalue()
    assert "damaged or incomplete" in form_errors(SimpleUploadedFile("cut.jpg", data[:-2000]))


def test_jpeg_with_gps_is_accepted_and_cleaned():
    form = LogoForm(files={"logo": jpeg_with_gps()})
    assert form.is_valid(), form.errors
    logo = form.cleaned_data["logo"]
    data = logo.read()
    assert_no_metadata(data)
    assert Image.open(BytesIO(data)).size == (64, 48)
    assert (logo.name, logo.content_type, logo.size) == ("holiday.jpg", "image/jpeg", len(data))


def test_orientation_is_applied_before_the_tag_goes():
    form = LogoForm(files={"logo": jpeg_with_gps(size=(64, 48), orientation=6)})
    assert form.is_valid(), form.errors
    assert Image.open(form.cleaned_data["logo"]).size == (48, 64)


def test_the_name_follows_the_content():
    upload = jpeg_with_gps(name="actually-a-jpeg.png")
    form = LogoForm(files={"logo": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"].name == "actually-a-jpeg.jpg"


def test_a_payload_hidden_in_a_gif_comment_is_dropped():
    buffer = BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF", comment=PHP)
    assert PHP in buffer.getvalue()
    form = LogoForm(files={"logo": SimpleUploadedFile("x.gif", buffer.getvalue())})
    assert form.is_valid(), form.errors
    assert PHP not in form.cleaned_data["logo"].read()


def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    buffer = BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80)
    assert Image.open(BytesIO(buffer.getvalue())).n_frames == 3
    form = LogoForm(files={"logo": SimpleUploadedFile("a.gif", buffer.getvalue())})
    assert form.is_valid(), form.errors
    assert Image.open(form.cleaned_data["logo"]).n_frames == 3


# --- Wagtail's image uploads ------------------------------------------------------------------


def wagtail_add(client, upload, title="An image"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": title, "file": upload, "collection": Collection.get_first_root_node().pk},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("upload", [php_renamed_png, sixty_megapixels, six_megabytes])
def test_wagtail_refuses_bad_uploads(admin_client, upload):
    response = wagtail_add(admin_client, upload())
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_wagtail_stores_images_without_exif(admin_client):
    response = wagtail_add(admin_client, jpeg_with_gps())
    assert response.status_code == 302, response.context["form"].errors
    image = get_image_model().objects.get()
    with image.file.open("rb") as stored:
        data = stored.read()
    assert_no_metadata(data)
    assert (image.width, image.height, image.file_size) == (64, 48, len(data))


@pytest.mark.django_db
def test_wagtail_multiple_upload_stores_images_without_exif(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": jpeg_with_gps()}
    )
    assert response.json()["success"] is True
    with get_image_model().objects.get().file.open("rb") as stored:
        assert_no_metadata(stored.read())


@pytest.mark.django_db
def test_wagtail_multiple_upload_refuses_a_php_file(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": php_renamed_png()}
    )
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_wagtail_multiple_upload_two_step_path_stores_the_clean_file(admin_client):
    """A title Wagtail refuses parks the upload for a second step: it must be the clean one."""
    from wagtail.models import UploadedFile

    response = admin_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": jpeg_with_gps(), "title": "t" * 300}
    )
    assert response.json()["success"] is True
    parked = UploadedFile.objects.get()
    with parked.file.open("rb") as stored:
        assert_no_metadata(stored.read())
