"""A schematic map of Catalonia's 43 comarques: one square tile per comarca, laid out on a grid
in roughly its place (north at the top, the coast to the east), drawn as SVG on the server.

It is a tile map, not a survey outline: no open outline of the comarques ships with the portal's
dependencies, and fetching one (or tiles) from a third-party host would break the page's offline
use and its Content Security Policy. Every tile carries the comarca's name, so nobody has to
recognise a shape; the exact counts are in the table beside the map.
"""

from django.utils import translation
from django.utils.text import slugify

# (name, column, row): Aran at the top, the Ebre delta at the bottom, the coast on the right.
TILES = (
    ("Val d'Aran", 1, 0),
    ("Alta Ribagorça", 1, 1),
    ("Pallars Sobirà", 2, 1),
    ("Alt Urgell", 3, 1),
    ("Cerdanya", 4, 1),
    ("Ripollès", 5, 1),
    ("Garrotxa", 6, 1),
    ("Alt Empordà", 7, 1),
    ("Pallars Jussà", 2, 2),
    ("Solsonès", 3, 2),
    ("Berguedà", 4, 2),
    ("Lluçanès", 5, 2),
    ("Osona", 6, 2),
    ("Pla de l'Estany", 7, 2),
    ("Noguera", 1, 3),
    ("Urgell", 2, 3),
    ("Segarra", 3, 3),
    ("Bages", 4, 3),
    ("Moianès", 5, 3),
    ("Selva", 6, 3),
    ("Gironès", 7, 3),
    ("Baix Empordà", 8, 3),
    ("Segrià", 0, 4),
    ("Pla d'Urgell", 1, 4),
    ("Conca de Barberà", 2, 4),
    ("Anoia", 3, 4),
    ("Vallès Occidental", 4, 4),
    ("Vallès Oriental", 5, 4),
    ("Maresme", 6, 4),
    ("Garrigues", 1, 5),
    ("Alt Camp", 2, 5),
    ("Alt Penedès", 3, 5),
    ("Baix Llobregat", 4, 5),
    ("Barcelonès", 5, 5),
    ("Ribera d'Ebre", 0, 6),
    ("Priorat", 1, 6),
    ("Baix Camp", 2, 6),
    ("Tarragonès", 3, 6),
    ("Baix Penedès", 4, 6),
    ("Garraf", 5, 6),
    ("Terra Alta", 0, 7),
    ("Baix Ebre", 1, 7),
    ("Montsià", 1, 8),
)

# Their usual Spanish forms; Catalan and English use the official (Catalan) names, and Aran's
# is Aranese in both.
SPANISH = {
    "Val d'Aran": "Valle de Arán",
    "Alta Ribagorça": "Alta Ribagorza",
    "Pallars Sobirà": "Pallars Sobirá",
    "Alt Urgell": "Alto Urgel",
    "Cerdanya": "Cerdaña",
    "Ripollès": "Ripollés",
    "Garrotxa": "Garrocha",
    "Alt Empordà": "Alto Ampurdán",
    "Pallars Jussà": "Pallars Jussá",
    "Solsonès": "Solsonés",
    "Berguedà": "Bergadá",
    "Lluçanès": "Llusanés",
    "Pla de l'Estany": "Plana del Lago",
    "Noguera": "Noguera",
    "Urgell": "Urgel",
    "Segarra": "Segarra",
    "Moianès": "Moyanés",
    "Selva": "La Selva",
    "Gironès": "Gironés",
    "Baix Empordà": "Bajo Ampurdán",
    "Segrià": "Segriá",
    "Pla d'Urgell": "Llano de Urgel",
    "Conca de Barberà": "Cuenca de Barberá",
    "Vallès Occidental": "Vallés Occidental",
    "Vallès Oriental": "Vallés Oriental",
    "Garrigues": "Garrigas",
    "Alt Camp": "Alto Campo",
    "Alt Penedès": "Alto Panadés",
    "Baix Llobregat": "Bajo Llobregat",
    "Barcelonès": "Barcelonés",
    "Ribera d'Ebre": "Ribera de Ebro",
    "Priorat": "Priorato",
    "Baix Camp": "Bajo Campo",
    "Tarragonès": "Tarragonés",
    "Baix Penedès": "Bajo Panadés",
    "Terra Alta": "Tierra Alta",
    "Baix Ebre": "Bajo Ebro",
    "Montsià": "Montsiá",
}


def label(name, language=None):
    """The comarca ``name`` (a tile's) as readers of ``language`` (the active one) write it."""
    language = (language or translation.get_language() or "")[:2]
    if language == "es":
        return SPANISH.get(name, name)
    return name


TILE = 96  # SVG user units per grid step
GAP = 4
COLUMNS = 1 + max(column for _, column, _ in TILES)
ROWS = 1 + max(row for _, _, row in TILES)
WIDTH = COLUMNS * TILE
HEIGHT = ROWS * TILE

# Light to dark; the text on each keeps a contrast of at least 4.5:1 (WCAG AA).
SHADES = (
    ("#f3f4f6", "#1f2933"),
    ("#d3e5f5", "#1f2933"),
    ("#9fc6e9", "#1f2933"),
    ("#2f6b9e", "#ffffff"),
    ("#173f63", "#ffffff"),
)

_ARTICLES = ("el-", "la-", "les-", "l", "lo-", "the-")


def key(name):
    """The comarca a region's name or slug stands for: "L'Alt Urgell", "alt-urgell" and
    "Alt Urgell" are one comarca; "Aran" is the Val d'Aran."""
    slug = slugify(name)
    for tile_name, _column, _row in TILES:
        tile = slugify(tile_name)
        if slug == tile or slug in {article + tile for article in _ARTICLES}:
            return tile
    return {"aran": "val-daran", "vall-daran": "val-daran"}.get(slug)


def _lines(name):
    """The name on at most two lines of a tile (split at the middle space)."""
    words = name.split()
    if len(words) == 1:
        return [name]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _level(count, top):
    if not count:
        return 0
    return 1 + min(3, (4 * count - 1) // top) if top > 1 else 4


def tiles(counts):
    """Each tile with its place and shade: ``counts`` maps a tile key (``key()``) to
    ``(organizations, projects)``; tiles shade by organizations plus projects."""
    top = max([sum(pair) for pair in counts.values()] or [0])
    out = []
    for name, column, row in TILES:
        organizations, projects = counts.get(slugify(name), (0, 0))
        fill, ink = SHADES[_level(organizations + projects, top)]
        x, y = column * TILE + GAP / 2, row * TILE + GAP / 2
        shown = label(name)
        out.append(
            {
                "name": name,
                "label": shown,
                "x": x,
                "y": y,
                "size": TILE - GAP,
                "cx": x + (TILE - GAP) / 2,
                "lines": [(line, y + 22 + 14 * i) for i, line in enumerate(_lines(shown))],
                "count_y": y + TILE - GAP - 14,
                "organizations": organizations,
                "projects": projects,
                "fill": fill,
                "ink": ink,
            }
        )
    return out
