"""The Spanish and Catalan names of the sectors, regions and tags the portal ships with.

``fill_translations`` gives every existing row named here (by its English name, ignoring case)
its Spanish and Catalan names where they are empty: an editor's own wording is kept. The
migration that added the translated names runs it on existing data, and the demo data runs it
after making its sectors and tags. Rows not named here are translated by editors under
Taxonomies in the admin.
"""

from django.db.models.functions import Lower

# English name: (Spanish, Catalan)
SECTORS = {
    "education": ("Educación", "Educació"),
    "youth": ("Juventud", "Joventut"),
    "technology": ("Tecnología", "Tecnologia"),
    "housing": ("Vivienda", "Habitatge"),
    "community": ("Comunidad", "Comunitat"),
    "health": ("Salud", "Salut"),
    "elderly care": ("Atención a las personas mayores", "Atenció a la gent gran"),
    "employment": ("Empleo", "Ocupació"),
    "social inclusion": ("Inclusión social", "Inclusió social"),
    "childhood and youth": ("Infancia y juventud", "Infància i joventut"),
    "disability": ("Discapacidad", "Discapacitat"),
    "migration and refuge": ("Migración y refugio", "Migració i refugi"),
    "environment": ("Medio ambiente", "Medi ambient"),
    "culture": ("Cultura", "Cultura"),
    "digital inclusion": ("Inclusión digital", "Inclusió digital"),
    "food security": ("Seguridad alimentaria", "Seguretat alimentària"),
    "gender equality": ("Igualdad de género", "Igualtat de gènere"),
    "food": ("Alimentación", "Alimentació"),
    "research": ("Investigación", "Recerca"),
    "energy": ("Energía", "Energia"),
}

# Catalan comarques keep their Catalan name in Catalan; Spanish uses its usual forms.
REGIONS = {
    "barcelonès": ("Barcelonés", "Barcelonès"),
    "vallès occidental": ("Vallés Occidental", "Vallès Occidental"),
    "vallès oriental": ("Vallés Oriental", "Vallès Oriental"),
    "baix llobregat": ("Bajo Llobregat", "Baix Llobregat"),
    "maresme": ("Maresme", "Maresme"),
    "gironès": ("Gironés", "Gironès"),
    "segrià": ("Segriá", "Segrià"),
    "tarragonès": ("Tarragonés", "Tarragonès"),
    "bages": ("Bages", "Bages"),
    "osona": ("Osona", "Osona"),
    "garraf": ("Garraf", "Garraf"),
    "alt penedès": ("Alto Panadés", "Alt Penedès"),
    "baix camp": ("Bajo Campo", "Baix Camp"),
    "baix empordà": ("Bajo Ampurdán", "Baix Empordà"),
    "alt empordà": ("Alto Ampurdán", "Alt Empordà"),
    "selva": ("La Selva", "la Selva"),
    "anoia": ("Anoia", "Anoia"),
    "baix penedès": ("Bajo Panadés", "Baix Penedès"),
    "garrotxa": ("Garrotxa", "Garrotxa"),
    "ripollès": ("Ripollés", "Ripollès"),
    "pallars jussà": ("Pallars Jussá", "Pallars Jussà"),
    "madrid": ("Madrid", "Madrid"),
    "valència": ("Valencia", "València"),
    "illes balears": ("Islas Baleares", "Illes Balears"),
    "aragó": ("Aragón", "Aragó"),
    "catalonia": ("Cataluña", "Catalunya"),
    "spain": ("España", "Espanya"),
}

TAGS = {
    "agroecology": ("agroecología", "agroecologia"),
    "cloud hosting": ("alojamiento en la nube", "allotjament al núvol"),
    "communication": ("comunicación", "comunicació"),
    "cultural programming": ("programación cultural", "programació cultural"),
    "data analysis": ("análisis de datos", "anàlisi de dades"),
    "digital skills": ("competencias digitales", "competències digitals"),
    "energy audits": ("auditorías energéticas", "auditories energètiques"),
    "entrepreneurship training": ("formación en emprendimiento", "formació en emprenedoria"),
    "evaluation": ("evaluación", "avaluació"),
    "funding": ("financiación", "finançament"),
    "housing": ("vivienda", "habitatge"),
    "job placement": ("inserción laboral", "inserció laboral"),
    "laptops": ("ordenadores portátiles", "ordinadors portàtils"),
    "legal advice": ("asesoramiento jurídico", "assessorament jurídic"),
    "local knowledge": ("conocimiento del territorio", "coneixement del territori"),
    "logistics": ("logística", "logística"),
    "meeting rooms": ("salas de reuniones", "sales de reunions"),
    "mentoring": ("mentoría", "mentoria"),
    "networking": ("trabajo en red", "treball en xarxa"),
    "printing": ("impresión", "impressió"),
    "psychologists": ("psicólogos", "psicòlegs"),
    "renewable energy": ("energías renovables", "energies renovables"),
    "research": ("investigación", "recerca"),
    "social workers": ("trabajadores sociales", "treballadors socials"),
    "software development": ("desarrollo de software", "desenvolupament de programari"),
    "training": ("formación", "formació"),
    "translation": ("traducción", "traducció"),
    "transport": ("transporte", "transport"),
    "volunteers": ("voluntarios", "voluntaris"),
    "warehouse space": ("espacio de almacén", "espai de magatzem"),
    "web development": ("desarrollo web", "desenvolupament web"),
    "youth work": ("trabajo con jóvenes", "treball amb joves"),
}


def _translate_named(model, names):
    """Fill the empty Spanish and Catalan names of ``model``'s rows named in ``names``."""
    for row in model.objects.annotate(lowered=Lower("name")).filter(lowered__in=list(names)):
        spanish, catalan = names[row.lowered]
        row.name_es = row.name_es or spanish
        row.name_ca = row.name_ca or catalan
        row.save(update_fields=["name_es", "name_ca"])


def fill_translations(*, sector_model, region_model, tag_model, tag_translation_model):
    """Translate the rows of the given models (historical models in a migration) named here."""
    _translate_named(sector_model, SECTORS)
    _translate_named(region_model, REGIONS)
    for tag in tag_model.objects.annotate(lowered=Lower("name")).filter(lowered__in=list(TAGS)):
        spanish, catalan = TAGS[tag.lowered]
        translation, _created = tag_translation_model.objects.get_or_create(tag=tag)
        translation.name_es = translation.name_es or spanish
        translation.name_ca = translation.name_ca or catalan
        translation.save()
