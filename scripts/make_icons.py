"""Draw the app icons (static/img/icons/) from the shapes of static/img/icon.svg.

Run once after changing the logo: .venv/bin/python scripts/make_icons.py
The PNGs are committed; the web app manifest and the apple-touch-icon link name them.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
BRAND = "#0b5d6b"
GOLD = "#ffbf47"
SCALE = 4  # draw large, then downsample: smooth edges without an SVG renderer


def draw(size, *, maskable):
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        # Full bleed: the launcher crops to its own shape; the logo stays inside the
        # 80% safe zone.
        pen.rectangle((0, 0, big, big), fill=BRAND)
        unit, offset = big * 0.7 / 64, big * 0.15
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 12 / 64, fill=BRAND)
        unit, offset = big / 64, 0

    def circle(cx, cy, fill):
        x, y, r = offset + cx * unit, offset + cy * unit, 8 * unit
        pen.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    circle(22, 26, "#ffffff")
    circle(42, 26, GOLD)
    circle(32, 42, "#e6eff0")
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS ignores the manifest's icons and does not honour transparency.
    touch = Image.new("RGB", (180, 180), BRAND)
    touch.paste(draw(180, maskable=True).convert("RGB"))
    touch.save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
