"""The capability terms the portal ships with: services, target groups, languages and quality
labels, each by its code (what profiles store), with its English, Spanish and Catalan names, in
the order the forms show them.

``ensure_terms`` creates the ones missing and leaves any term already there (same vocabulary and
code) as editors have it. The migration that made the vocabularies editors' terms runs it; so
does ``seed_demo``, because a database emptied after its migrations (a flushed test database)
would otherwise have no terms for the demo organizations' profiles. Safe to run twice.
"""

# vocabulary: ((code, English, Spanish, Catalan), ...) in the order the forms showed them
TERMS = {
    "service": (
        ("training", "Training and education", "Formación y educación", "Formació i educació"),
        (
            "employment",
            "Employment and job placement",
            "Empleo e inserción laboral",
            "Ocupació i inserció laboral",
        ),
        ("housing", "Housing support", "Apoyo a la vivienda", "Suport a l'habitatge"),
        (
            "care",
            "Care and home support",
            "Cuidados y atención domiciliaria",
            "Cures i atenció domiciliària",
        ),
        ("health", "Health and mental health", "Salud y salud mental", "Salut i salut mental"),
        (
            "counselling",
            "Counselling and social support",
            "Orientación y apoyo social",
            "Orientació i suport social",
        ),
        ("legal", "Legal advice", "Asesoramiento jurídico", "Assessorament jurídic"),
        ("food", "Food aid", "Ayuda alimentaria", "Ajuda alimentària"),
        (
            "digital",
            "Digital skills and technology",
            "Competencias digitales y tecnología",
            "Competències digitals i tecnologia",
        ),
        (
            "culture",
            "Culture, leisure and sport",
            "Cultura, ocio y deporte",
            "Cultura, lleure i esport",
        ),
        (
            "research",
            "Research and evaluation",
            "Investigación y evaluación",
            "Recerca i avaluació",
        ),
        (
            "advocacy",
            "Advocacy and awareness",
            "Incidencia y sensibilización",
            "Incidència i sensibilització",
        ),
        (
            "volunteering",
            "Volunteer management",
            "Gestión del voluntariado",
            "Gestió del voluntariat",
        ),
        (
            "funding",
            "Funding and fundraising",
            "Financiación y captación de fondos",
            "Finançament i captació de fons",
        ),
    ),
    "target_group": (
        ("children", "Children", "Infancia", "Infància"),
        ("youth", "Young people", "Jóvenes", "Joves"),
        ("older", "Older people", "Personas mayores", "Gent gran"),
        (
            "disability",
            "People with disabilities",
            "Personas con discapacidad",
            "Persones amb discapacitat",
        ),
        (
            "mental_health",
            "People with mental health problems",
            "Personas con problemas de salud mental",
            "Persones amb problemes de salut mental",
        ),
        (
            "migrants",
            "Migrants and refugees",
            "Personas migrantes y refugiadas",
            "Persones migrants i refugiades",
        ),
        ("women", "Women", "Mujeres", "Dones"),
        (
            "homeless",
            "People experiencing homelessness",
            "Personas sin hogar",
            "Persones sense llar",
        ),
        ("unemployed", "Unemployed people", "Personas en paro", "Persones en atur"),
        ("families", "Families", "Familias", "Famílies"),
        (
            "prison",
            "People in or leaving prison",
            "Personas en prisión o que salen de ella",
            "Persones a la presó o que en surten",
        ),
        ("general", "General public", "Público general", "Públic general"),
    ),
    "language": (
        ("ca", "Catalan", "Catalán", "Català"),
        ("es", "Spanish", "Castellano", "Castellà"),
        ("en", "English", "Inglés", "Anglès"),
        ("fr", "French", "Francés", "Francès"),
        ("ar", "Arabic", "Árabe", "Àrab"),
        ("ber", "Amazigh", "Amazig", "Amazic"),
        ("ro", "Romanian", "Rumano", "Romanès"),
        ("ur", "Urdu", "Urdu", "Urdú"),
        ("zh", "Chinese", "Chino", "Xinès"),
        ("sign", "Sign language", "Lengua de signos", "Llengua de signes"),
    ),
    "quality_label": (
        ("iso9001", "ISO 9001", "ISO 9001", "ISO 9001"),
        ("iso14001", "ISO 14001", "ISO 14001", "ISO 14001"),
        ("efqm", "EFQM", "EFQM", "EFQM"),
        (
            "lealtad",
            "Fundación Lealtad accreditation",
            "Acreditación de la Fundación Lealtad",
            "Acreditació de la Fundación Lealtad",
        ),
        ("bcorp", "B Corp", "B Corp", "B Corp"),
        ("ecas", "ECAS quality mark", "Sello de calidad ECAS", "Segell de qualitat ECAS"),
        (
            "social_economy",
            "Social economy mark (Mercat Social)",
            "Sello de economía social (Mercat Social)",
            "Segell d'economia social (Mercat Social)",
        ),
        ("other", "Other recognised label", "Otro sello reconocido", "Un altre segell reconegut"),
    ),
}


def ensure_terms(term_model):
    """Create the shipped terms that ``term_model`` (``partners.CapabilityTerm``, or the
    migration's historical model) does not have yet; return how many were created."""
    created = 0
    for facet, terms in TERMS.items():
        for position, (code, name, name_es, name_ca) in enumerate(terms, start=1):
            _term, made = term_model.objects.get_or_create(
                facet=facet,
                code=code,
                defaults={
                    "name": name,
                    "name_es": name_es,
                    "name_ca": name_ca,
                    "sort_order": position * 10,
                },
            )
            created += made
    return created
