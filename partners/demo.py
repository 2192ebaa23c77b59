"""Demo organizations across Catalonia, of every kind, with people, offers and needs.

Fills ``ctx.organizations`` with every organization by slug, plus the roles the demo accounts
need: ``lead`` (``coordinator`` is its admin), ``partner`` (``member`` is a member, ``jordi``
its admin), ``outsider`` (``outsider`` is its admin) and ``pending`` (an application awaiting
review). Safe to run twice: organizations are found by name before anything is created.
The organizations are invented; any likeness to a real one is a coincidence.
"""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw

from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.services import vocabulary_seed

from .capabilities import terms_changed
from .capability_vocabulary import ensure_terms
from .forms import description_from_text
from .models import CapabilityTerm, Membership, PartnerPage, organization_name_key
from .services import membership_add, organization_apply, organization_approve

DEMO_PASSWORD = "cluster-demo"

SECTORS = [
    "Culture",
    "Disability",
    "Education",
    "Elderly care",
    "Employment",
    "Energy",
    "Environment",
    "Food",
    "Gender equality",
    "Health",
    "Housing",
    "Migration and refuge",
    "Research",
    "Social inclusion",
    "Technology",
    "Youth",
]

REGIONS = [
    "Alt Empordà",
    "Alt Penedès",
    "Anoia",
    "Bages",
    "Baix Camp",
    "Baix Ebre",
    "Baix Llobregat",
    "Barcelonès",
    "Garrotxa",
    "Gironès",
    "Maresme",
    "Osona",
    "Pallars Sobirà",
    "Ripollès",
    "Segrià",
    "Tarragonès",
    "Vallès Occidental",
    "Vallès Oriental",
]

PEOPLE = [
    # username, first name, last name
    ("jordi", "Jordi", "Soler"),
    ("laia", "Laia", "Camps"),
    ("pau", "Pau", "Riera"),
    ("montse", "Montse", "Bosch"),
    ("arnau", "Arnau", "Font"),
]

ORGANIZATIONS = [
    {
        "key": "lead",
        "title": "Fundació Impuls Digital",
        "kind": "foundation",
        "region": "Barcelonès",
        "city": "Barcelona",
        "sectors": ["Education", "Technology", "Youth"],
        "sdgs": [4, 8, 10],
        "offers": ["digital skills", "training", "mentoring", "volunteers"],
        "seeks": ["funding", "meeting rooms", "job placement"],
        "summary": "Digital skills and first jobs for young people at risk of exclusion in the "
        "Barcelona area.",
        "description": "We run coding clubs, digital literacy courses and mentoring "
        "programmes for young people aged 16 to 25 in Ciutat Vella, Nou Barris and "
        "Sant Martí.\n\nOur volunteers come from tech companies of the 22@ district; "
        "together we have trained more than 1,200 young people since 2015.",
        "website": "https://impulsdigital.example.org",
        "admin": "coordinator",
        "members": ["pau"],
        "colour": "#0b5d6b",
    },
    {
        "key": "partner",
        "title": "Associació Joves en Xarxa",
        "kind": "ngo",
        "region": "Gironès",
        "city": "Girona",
        "sectors": ["Youth", "Social inclusion"],
        "sdgs": [4, 10],
        "offers": ["youth work", "volunteers", "communication"],
        "seeks": ["digital skills", "training"],
        "summary": "Youth workers and open youth centres in the neighbourhoods of Girona and "
        "Salt.",
        "description": "Our youth workers meet young people where they are: in the street, "
        "in open centres and in secondary schools of Santa Eugènia, Sant Narcís and Salt."
        "\n\nWe look for partners that bring training and job opportunities to them.",
        "website": "https://jovesenxarxa.example.org",
        "admin": "jordi",
        "members": ["member"],
        "colour": "#b5442a",
    },
    {
        "key": "outsider",
        "title": "Cooperativa Terra Viva",
        "kind": "cooperative",
        "region": "Segrià",
        "city": "Lleida",
        "sectors": ["Food", "Environment", "Employment"],
        "sdgs": [2, 12, 15],
        "offers": ["agroecology", "logistics", "job placement"],
        "seeks": ["communication", "funding"],
        "summary": "An agroecological cooperative of the Lleida plain that trains and employs "
        "seasonal farm workers.",
        "description": "Terra Viva grows organic fruit and vegetables on 40 hectares of the "
        "Segrià and sells them through consumer groups in Lleida and Barcelona.\n\n"
        "Every season we train and hire people who arrived recently in Catalonia.",
        "website": "https://terraviva.example.coop",
        "admin": "outsider",
        "members": [],
        "colour": "#3f7e44",
    },
    {
        "title": "Campus Tarragona d'Innovació Social",
        "kind": "university",
        "region": "Tarragonès",
        "city": "Tarragona",
        "sectors": ["Research", "Education"],
        "sdgs": [4, 9, 17],
        "offers": ["research", "evaluation", "data analysis", "volunteers"],
        "seeks": ["funding", "meeting rooms"],
        "summary": "University researchers and student volunteers who measure and improve "
        "social programmes.",
        "description": "Our social innovation lab brings together researchers in sociology, "
        "economics and computer science.\n\nWe evaluate social programmes, compute their "
        "social return on investment and place student volunteers with partners.",
        "website": "https://innovaciosocial.example.edu",
        "admin": "montse",
        "members": ["arnau"],
        "colour": "#19486a",
    },
    {
        "title": "Consorci de Serveis Socials del Bages",
        "kind": "public_body",
        "region": "Bages",
        "city": "Manresa",
        "sectors": ["Social inclusion", "Elderly care", "Housing"],
        "sdgs": [1, 10, 11],
        "offers": ["social workers", "meeting rooms", "local knowledge"],
        "seeks": ["volunteers", "digital skills"],
        "summary": "The public social services of the 30 municipalities of the Bages.",
        "description": "We coordinate primary social services, home care and housing "
        "emergencies across the Bages.\n\nWe open our facilities in Manresa to projects "
        "that reach people our services do not reach yet.",
        "website": "https://serveissocialsbages.example.cat",
        "admin": "pau",
        "members": [],
        "colour": "#00689d",
    },
    {
        "title": "Tecnologia Solidària SL",
        "kind": "company",
        "region": "Vallès Occidental",
        "city": "Sabadell",
        "sectors": ["Technology", "Employment"],
        "sdgs": [8, 9],
        "offers": ["software development", "cloud hosting", "mentoring", "volunteers"],
        "seeks": ["job placement", "communication"],
        "summary": "A software company that gives 10% of its hours to social projects.",
        "description": "We build web and mobile applications for companies in the Vallès."
        "\n\nOur engineers mentor young people and build tools for NGOs pro bono.",
        "website": "https://tecnologiasolidaria.example.com",
        "admin": "arnau",
        "members": [],
        "colour": "#a21942",
    },
    {
        "title": "Fundació Llar Compartida",
        "kind": "foundation",
        "region": "Baix Llobregat",
        "city": "Cornellà de Llobregat",
        "sectors": ["Housing", "Social inclusion", "Elderly care"],
        "sdgs": [1, 11],
        "offers": ["housing", "social workers", "legal advice"],
        "seeks": ["volunteers", "funding"],
        "summary": "Shared housing that brings together older people living alone and young "
        "people who need a home.",
        "description": "We match older people with spare rooms and students or young workers "
        "who need affordable housing.\n\nOur social workers follow every pair.",
        "website": "https://llarcompartida.example.org",
        "admin": "montse",
        "members": [],
        "colour": "#bf8b2e",
    },
    {
        "title": "Associació Dones Emprenedores del Maresme",
        "kind": "ngo",
        "region": "Maresme",
        "city": "Mataró",
        "sectors": ["Gender equality", "Employment"],
        "sdgs": [5, 8],
        "offers": ["mentoring", "entrepreneurship training", "networking"],
        "seeks": ["funding", "digital skills", "legal advice"],
        "summary": "Women who start and grow businesses in the Maresme, helping each other.",
        "description": "We run a mentoring network of 150 women entrepreneurs and a "
        "business school for women returning to work.",
        "website": "https://donesemprenedores.example.org",
        "admin": "laia",
        "members": ["montse"],
        "colour": "#dd1367",
    },
    {
        "title": "Cooperativa Energia del Pirineu",
        "kind": "cooperative",
        "region": "Pallars Sobirà",
        "city": "Sort",
        "sectors": ["Energy", "Environment"],
        "sdgs": [7, 13],
        "offers": ["renewable energy", "energy audits", "training"],
        "seeks": ["volunteers", "communication"],
        "summary": "A renewable energy cooperative of the Pyrenees fighting energy poverty in "
        "mountain villages.",
        "description": "Our 900 members own small hydro and solar plants.\n\nWe run energy "
        "audits for vulnerable households and train local installers.",
        "website": "https://energiapirineu.example.coop",
        "admin": "pau",
        "members": [],
        "colour": "#fcc30b",
    },
    {
        "title": "Rebost Solidari de l'Ebre",
        "kind": "ngo",
        "region": "Baix Ebre",
        "city": "Tortosa",
        "sectors": ["Food", "Social inclusion"],
        "sdgs": [2, 12],
        "offers": ["logistics", "volunteers", "warehouse space"],
        "seeks": ["transport", "funding"],
        "summary": "Food collection and distribution for families in need in the Terres de "
        "l'Ebre.",
        "description": "We rescue surplus food from farms and supermarkets and distribute it "
        "through 25 local entities.",
        "website": "https://rebostebre.example.org",
        "admin": "jordi",
        "members": [],
        "colour": "#dda63a",
    },
    {
        "title": "Centre Universitari de Salut Comunitària",
        "kind": "university",
        "region": "Gironès",
        "city": "Salt",
        "sectors": ["Health", "Research"],
        "sdgs": [3],
        "offers": ["research", "psychologists", "training"],
        "seeks": ["volunteers", "data analysis"],
        "summary": "Nursing and psychology students and lecturers working on community "
        "health in the Girona area.",
        "description": "Our students do their placements in community health projects: "
        "health literacy, mental health first aid and healthy ageing.",
        "website": "https://salutcomunitaria.example.edu",
        "admin": "montse",
        "members": [],
        "colour": "#4c9f38",
    },
    {
        "title": "Xarxa Veïnal d'Osona",
        "kind": "other",
        "region": "Osona",
        "city": "Vic",
        "sectors": ["Social inclusion", "Culture"],
        "sdgs": [11, 16],
        "offers": ["local knowledge", "volunteers", "meeting rooms"],
        "seeks": ["training", "communication"],
        "summary": "A network of neighbourhood associations of Osona that welcome newcomers.",
        "description": "We bring together 40 neighbourhood associations: language exchange, "
        "welcome walks and community festivals.",
        "website": "https://xarxaveinal.example.cat",
        "admin": "arnau",
        "members": [],
        "colour": "#fd6925",
    },
    {
        "title": "Acollida i Refugi",
        "kind": "ngo",
        "region": "Barcelonès",
        "city": "Barcelona",
        "sectors": ["Migration and refuge", "Social inclusion"],
        "sdgs": [10, 16],
        "offers": ["legal advice", "translation", "psychologists"],
        "seeks": ["housing", "job placement", "volunteers"],
        "summary": "Legal, psychological and housing support for refugees and asylum seekers.",
        "description": "Our team of lawyers, psychologists and interpreters accompanies "
        "people seeking asylum from their arrival until they can live on their own.",
        "website": "https://acollidarefugi.example.org",
        "admin": "laia",
        "members": [],
        "colour": "#26bde2",
    },
    {
        "title": "Impremta Social Anoia SCCL",
        "kind": "cooperative",
        "region": "Anoia",
        "city": "Igualada",
        "sectors": ["Employment", "Disability"],
        "sdgs": [8, 10],
        "offers": ["printing", "job placement", "training"],
        "seeks": ["digital skills", "communication"],
        "summary": "A printing works in Igualada where people with disabilities learn a trade "
        "and earn a wage.",
        "description": "We are a social initiative cooperative: 60% of our 35 workers have a "
        "disability.",
        "website": "https://impremtasocial.example.coop",
        "admin": "jordi",
        "members": [],
        "colour": "#56c02b",
    },
    {
        "title": "Grup Logístic Penedès SA",
        "kind": "company",
        "region": "Alt Penedès",
        "city": "Vilafranca del Penedès",
        "sectors": ["Employment", "Food"],
        "sdgs": [9, 12],
        "offers": ["transport", "logistics", "warehouse space"],
        "seeks": ["job placement", "volunteers"],
        "summary": "A logistics company that lends lorries and warehouse space to food "
        "banks and hires through social programmes.",
        "description": "Our fleet serves the wine and food industry of the Penedès.\n\n"
        "Empty return trips carry food for the cluster's partners.",
        "website": "https://logisticpenedes.example.com",
        "admin": "pau",
        "members": [],
        "colour": "#0a97d9",
    },
    {
        "key": "pending",
        "title": "Associació Cultural El Teler",
        "kind": "ngo",
        "region": "Ripollès",
        "city": "Ripoll",
        "sectors": ["Culture", "Youth"],
        "sdgs": [4, 11],
        "offers": ["meeting rooms", "cultural programming"],
        "seeks": ["volunteers", "funding"],
        "summary": "Theatre, music and textile heritage workshops for young people of the "
        "Ripollès.",
        "description": "We turned an old textile mill into a cultural centre run by young people.",
        "website": "https://elteler.example.cat",
        "admin": "laia",
        "members": [],
        "colour": "#e5243b",
        "approve": False,
    },
]


# The summaries in Spanish and Catalan of more than half of the organizations, by title.
# The descriptions the organizations wrote in Spanish and Catalan as well (plain text,
# paragraphs separated by a blank line).
DESCRIPTION_TRANSLATIONS = {
    "Fundació Impuls Digital": {
        "es": "Organizamos clubes de programación, cursos de alfabetización digital y programas "
        "de mentoría para jóvenes de 16 a 25 años en Ciutat Vella, Nou Barris y Sant Martí.\n\n"
        "Nuestros voluntarios vienen de empresas tecnológicas del distrito 22@; juntos hemos "
        "formado a más de 1.200 jóvenes desde 2015.",
        "ca": "Organitzem clubs de programació, cursos d'alfabetització digital i programes de "
        "mentoria per a joves de 16 a 25 anys a Ciutat Vella, Nou Barris i Sant Martí.\n\n"
        "Els nostres voluntaris vénen d'empreses tecnològiques del districte 22@; junts hem "
        "format més de 1.200 joves des del 2015.",
    },
    "Associació Joves en Xarxa": {
        "es": "Nuestros educadores van a encontrar a los jóvenes allí donde están: en la calle, "
        "en los centros abiertos y en los institutos de Santa Eugènia, Sant Narcís y Salt.\n\n"
        "Buscamos socios que les acerquen formación y oportunidades de trabajo.",
        "ca": "Els nostres educadors van a trobar els joves allà on són: al carrer, als centres "
        "oberts i als instituts de Santa Eugènia, Sant Narcís i Salt.\n\n"
        "Busquem socis que els acostin formació i oportunitats de feina.",
    },
    "Cooperativa Terra Viva": {
        "es": "Terra Viva cultiva fruta y verdura ecológicas en 40 hectáreas del Segrià y las "
        "vende a través de grupos de consumo de Lleida y Barcelona.\n\n"
        "Cada temporada formamos y contratamos a personas recién llegadas a Cataluña.",
        "ca": "Terra Viva conrea fruita i verdura ecològiques en 40 hectàrees del Segrià i les "
        "ven a través de grups de consum de Lleida i Barcelona.\n\n"
        "Cada temporada formem i contractem persones arribades fa poc a Catalunya.",
    },
    "Campus Tarragona d'Innovació Social": {
        "es": "Nuestro laboratorio de innovación social reúne a investigadores de sociología, "
        "economía e informática.\n\n"
        "Evaluamos programas sociales, calculamos su retorno social de la inversión y ponemos "
        "a estudiantes voluntarios en contacto con los socios.",
        "ca": "El nostre laboratori d'innovació social reuneix investigadors de sociologia, "
        "economia i informàtica.\n\n"
        "Avaluem programes socials, en calculem el retorn social de la inversió i posem "
        "estudiants voluntaris en contacte amb els socis.",
    },
    "Consorci de Serveis Socials del Bages": {
        "es": "Coordinamos los servicios sociales básicos, la atención domiciliaria y las "
        "emergencias de vivienda en todo el Bages.\n\n"
        "Abrimos nuestras instalaciones de Manresa a proyectos que llegan a personas a las que "
        "nuestros servicios todavía no llegan.",
        "ca": "Coordinem els serveis socials bàsics, l'atenció domiciliària i les emergències "
        "d'habitatge a tot el Bages.\n\n"
        "Obrim les nostres instal·lacions de Manresa a projectes que arriben a persones a qui "
        "els nostres serveis encara no arriben.",
    },
    "Tecnologia Solidària SL": {
        "es": "Desarrollamos aplicaciones web y móviles para empresas del Vallès.\n\n"
        "Nuestros ingenieros hacen de mentores de jóvenes y crean herramientas para ONG sin "
        "cobrar.",
        "ca": "Desenvolupem aplicacions web i mòbils per a empreses del Vallès.\n\n"
        "Els nostres enginyers fan de mentors de joves i creen eines per a ONG sense cobrar.",
    },
    "Fundació Llar Compartida": {
        "es": "Ponemos en contacto a personas mayores que tienen una habitación libre con "
        "estudiantes o jóvenes trabajadores que necesitan una vivienda asequible.\n\n"
        "Nuestras trabajadoras sociales acompañan a cada pareja.",
        "ca": "Posem en contacte gent gran que té una habitació lliure amb estudiants o joves "
        "treballadors que necessiten un habitatge assequible.\n\n"
        "Les nostres treballadores socials acompanyen cada parella.",
    },
    "Associació Dones Emprenedores del Maresme": {
        "es": "Impulsamos una red de mentoría de 150 mujeres emprendedoras y una escuela de "
        "negocios para mujeres que vuelven al mundo laboral.",
        "ca": "Impulsem una xarxa de mentoria de 150 dones emprenedores i una escola de negocis "
        "per a dones que tornen al món laboral.",
    },
    "Rebost Solidari de l'Ebre": {
        "es": "Recuperamos los excedentes de alimentos de granjas y supermercados y los "
        "repartimos a través de 25 entidades locales.",
        "ca": "Recuperem els excedents d'aliments de granges i supermercats i els repartim a "
        "través de 25 entitats locals.",
    },
    "Cooperativa Energia del Pirineu": {
        "es": "Nuestras 900 personas socias son propietarias de pequeñas centrales "
        "hidroeléctricas y solares.\n\nHacemos auditorías energéticas para hogares "
        "vulnerables y formamos a instaladores del territorio.",
        "ca": "Les nostres 900 persones sòcies són propietàries de petites centrals "
        "hidroelèctriques i solars.\n\nFem auditories energètiques per a llars vulnerables i "
        "formem instal·ladors del territori.",
    },
    "Centre Universitari de Salut Comunitària": {
        "es": "Nuestros estudiantes hacen las prácticas en proyectos de salud comunitaria: "
        "alfabetización en salud, primeros auxilios en salud mental y envejecimiento "
        "saludable.",
        "ca": "Els nostres estudiants fan les pràctiques en projectes de salut comunitària: "
        "alfabetització en salut, primers auxilis en salut mental i envelliment saludable.",
    },
    "Xarxa Veïnal d'Osona": {
        "es": "Reunimos 40 asociaciones vecinales: intercambio de idiomas, paseos de "
        "bienvenida y fiestas comunitarias.",
        "ca": "Aplegem 40 associacions veïnals: intercanvi d'idiomes, passejades de benvinguda "
        "i festes comunitàries.",
    },
    "Acollida i Refugi": {
        "es": "Nuestro equipo de abogados, psicólogos e intérpretes acompaña a las personas "
        "que piden asilo desde su llegada hasta que pueden vivir por su cuenta.",
        "ca": "El nostre equip d'advocats, psicòlegs i intèrprets acompanya les persones que "
        "demanen asil des que arriben fins que poden viure pel seu compte.",
    },
    "Impremta Social Anoia SCCL": {
        "es": "Somos una cooperativa de iniciativa social: el 60 % de nuestras 35 personas "
        "trabajadoras tiene una discapacidad.",
        "ca": "Som una cooperativa d'iniciativa social: el 60 % de les nostres 35 persones "
        "treballadores té una discapacitat.",
    },
    "Grup Logístic Penedès SA": {
        "es": "Nuestra flota sirve a la industria del vino y la alimentación del Penedès."
        "\n\nLos viajes de vuelta en vacío llevan alimentos para los socios del clúster.",
        "ca": "La nostra flota serveix la indústria del vi i l'alimentació del Penedès."
        "\n\nEls viatges de tornada en buit porten aliments per als socis del clúster.",
    },
    "Associació Cultural El Teler": {
        "es": "Convertimos una antigua fábrica textil en un centro cultural gestionado por "
        "jóvenes.",
        "ca": "Vam convertir una antiga fàbrica tèxtil en un centre cultural gestionat per joves.",
    },
}

SUMMARY_TRANSLATIONS = {
    "Fundació Impuls Digital": {
        "es": "Competencias digitales y primer empleo para jóvenes en riesgo de exclusión del "
        "área de Barcelona.",
        "ca": "Competències digitals i primera feina per a joves en risc d'exclusió de l'àrea "
        "de Barcelona.",
    },
    "Associació Joves en Xarxa": {
        "es": "Educadores juveniles y centros abiertos para jóvenes en los barrios de Girona y "
        "Salt.",
        "ca": "Educadors juvenils i centres oberts per a joves als barris de Girona i Salt.",
    },
    "Cooperativa Terra Viva": {
        "es": "Una cooperativa agroecológica de la llanura de Lleida que forma y contrata a "
        "temporeros del campo.",
        "ca": "Una cooperativa agroecològica de la plana de Lleida que forma i contracta "
        "treballadors agrícoles de temporada.",
    },
    "Campus Tarragona d'Innovació Social": {
        "es": "Investigadores universitarios y estudiantes voluntarios que miden y mejoran "
        "programas sociales.",
        "ca": "Investigadors universitaris i estudiants voluntaris que mesuren i milloren "
        "programes socials.",
    },
    "Consorci de Serveis Socials del Bages": {
        "es": "Los servicios sociales públicos de los 30 municipios del Bages.",
        "ca": "Els serveis socials públics dels 30 municipis del Bages.",
    },
    "Tecnologia Solidària SL": {
        "es": "Una empresa de software que dedica el 10 % de sus horas a proyectos sociales.",
        "ca": "Una empresa de programari que dedica el 10 % de les seves hores a projectes "
        "socials.",
    },
    "Fundació Llar Compartida": {
        "es": "Vivienda compartida que une a personas mayores que viven solas con jóvenes que "
        "necesitan un hogar.",
        "ca": "Habitatge compartit que uneix gent gran que viu sola amb joves que necessiten "
        "una llar.",
    },
    "Associació Dones Emprenedores del Maresme": {
        "es": "Mujeres que crean y hacen crecer empresas en el Maresme y se ayudan entre ellas.",
        "ca": "Dones que creen i fan créixer empreses al Maresme i s'ajuden entre elles.",
    },
    "Rebost Solidari de l'Ebre": {
        "es": "Recogida y reparto de alimentos para familias necesitadas de las Terres de l'Ebre.",
        "ca": "Recollida i repartiment d'aliments per a famílies necessitades de les Terres de "
        "l'Ebre.",
    },
    "Cooperativa Energia del Pirineu": {
        "es": "Una cooperativa de energía renovable del Pirineo que combate la pobreza "
        "energética en los pueblos de montaña.",
        "ca": "Una cooperativa d'energia renovable del Pirineu que combat la pobresa energètica "
        "als pobles de muntanya.",
    },
    "Centre Universitari de Salut Comunitària": {
        "es": "Estudiantes y profesorado de enfermería y psicología que trabajan en salud "
        "comunitaria en las comarcas de Girona.",
        "ca": "Estudiants i professorat d'infermeria i psicologia que treballen en salut "
        "comunitària a les comarques de Girona.",
    },
    "Xarxa Veïnal d'Osona": {
        "es": "Una red de asociaciones vecinales de Osona que acogen a las personas recién "
        "llegadas.",
        "ca": "Una xarxa d'associacions veïnals d'Osona que acullen les persones nouvingudes.",
    },
    "Acollida i Refugi": {
        "es": "Apoyo jurídico, psicológico y de vivienda para personas refugiadas y "
        "solicitantes de asilo.",
        "ca": "Suport jurídic, psicològic i d'habitatge per a persones refugiades i "
        "sol·licitants d'asil.",
    },
    "Impremta Social Anoia SCCL": {
        "es": "Una imprenta de Igualada donde personas con discapacidad aprenden un oficio y "
        "ganan un sueldo.",
        "ca": "Una impremta d'Igualada on persones amb discapacitat aprenen un ofici i guanyen "
        "un sou.",
    },
    "Grup Logístic Penedès SA": {
        "es": "Una empresa de logística que presta camiones y espacio de almacén a los bancos "
        "de alimentos y contrata a través de programas sociales.",
        "ca": "Una empresa de logística que presta camions i espai de magatzem als bancs "
        "d'aliments i contracta a través de programes socials.",
    },
    "Associació Cultural El Teler": {
        "es": "Talleres de teatro, música y patrimonio textil para jóvenes del Ripollès.",
        "ca": "Tallers de teatre, música i patrimoni tèxtil per a joves del Ripollès.",
    },
}


# Capability profiles: (services, target groups, languages, quality labels, territories served
# beyond the organization's own region, paid staff band, volunteers band).
CAPABILITY_PROFILES = {
    "Fundació Impuls Digital": (
        ["digital", "training"],
        ["youth", "unemployed"],
        ["ca", "es", "en"],
        ["iso9001"],
        ["Barcelonès", "Baix Llobregat", "Vallès Occidental"],
        "10-49",
        "10-49",
    ),
    "Associació Joves en Xarxa": (
        ["training", "culture", "volunteering"],
        ["youth", "migrants"],
        ["ca", "es", "ar"],
        [],
        ["Gironès", "Barcelonès"],
        "1-9",
        "50-249",
    ),
    "Cooperativa Terra Viva": (
        ["employment", "food"],
        ["unemployed", "migrants"],
        ["ca", "es", "ro"],
        ["social_economy"],
        ["Segrià"],
        "10-49",
        "1-9",
    ),
    "Campus Tarragona d'Innovació Social": (
        ["research", "training"],
        ["youth", "general"],
        ["ca", "es", "en"],
        [],
        ["Tarragonès", "Baix Ebre"],
        "250+",
        "10-49",
    ),
    "Consorci de Serveis Socials del Bages": (
        ["counselling", "care", "housing"],
        ["families", "older", "disability"],
        ["ca", "es"],
        [],
        ["Bages", "Osona"],
        "50-249",
        "0",
    ),
    "Fundació Llar Compartida": (
        ["housing", "counselling"],
        ["homeless", "older"],
        ["ca", "es"],
        ["lealtad"],
        ["Baix Llobregat", "Barcelonès"],
        "10-49",
        "50-249",
    ),
    "Associació Dones Emprenedores del Maresme": (
        ["employment", "training"],
        ["women", "unemployed"],
        ["ca", "es", "fr"],
        [],
        ["Maresme"],
        "1-9",
        "10-49",
    ),
    "Rebost Solidari de l'Ebre": (
        ["food", "volunteering"],
        ["families", "general"],
        ["ca", "es", "ar"],
        [],
        ["Baix Ebre"],
        "1-9",
        "50-249",
    ),
    "Acollida i Refugi": (
        ["legal", "counselling", "housing"],
        ["migrants", "women", "children"],
        ["ca", "es", "ar", "ber", "ur"],
        ["ecas"],
        ["Barcelonès", "Gironès"],
        "10-49",
        "50-249",
    ),
}


def _capability_fields(title, regions):
    profile = CAPABILITY_PROFILES.get(title)
    if profile is None:
        return {}
    services, groups, languages, labels, territories, staff, volunteers = profile
    return {
        "capabilities": {
            "service": services,
            "target_group": groups,
            "language": languages,
            "quality_label": labels,
        },
        "territories": [regions[name] for name in territories],
        "staff_band": staff,
        "volunteer_band": volunteers,
    }


def _person(username, first, last, hashed):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.cluster.test",
            "first_name": first,
            "last_name": last,
        },
    )
    if created:
        # One hash for every demo person: hashing is slow on purpose, the password is public.
        user.password = hashed()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _logo(title, colour):
    """A small generated logo: the organization's initials on its colour."""
    initials = "".join(word[0] for word in title.split() if word[0].isupper())[:3]
    image = PILImage.new("RGB", (240, 120), colour)
    draw = ImageDraw.Draw(image)
    draw.text((20, 30), initials, fill="#ffffff", font_size=56)
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{slugify(title)}.png", out.getvalue(), content_type="image/png")


def seed(ctx):
    sectors = {
        name: Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in SECTORS
    }
    regions = {
        name: Region.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in REGIONS
    }
    sdgs = {sdg.number: sdg for sdg in SustainableDevelopmentGoal.objects.all()}
    hashes = []

    def hashed():
        if not hashes:
            hashes.append(make_password(DEMO_PASSWORD))
        return hashes[0]

    for username, first, last in PEOPLE:
        ctx.users[username] = _person(username, first, last, hashed)
    editor = ctx.users["editor"]
    # The tags the portal ships with are the approved vocabulary: the organizations below use
    # them, and nothing they type waits for review.
    vocabulary_seed()
    # The capability terms the profiles below use (a flushed database has lost the migration's).
    if ensure_terms(CapabilityTerm):
        terms_changed()
    created = 0
    for spec in ctx.progress(ORGANIZATIONS, "organizations"):
        organization = PartnerPage.objects.filter(
            name_key=organization_name_key(spec["title"])
        ).first()
        admin = ctx.users[spec["admin"]]
        if organization is None:
            approve = spec.get("approve", True)
            organization = organization_apply(
                user=admin,
                title=spec["title"],
                # Approved ones are published directly: no review e-mails to the moderators.
                submit=not approve,
                logo_file=_logo(spec["title"], spec["colour"]),
                kind=spec["kind"],
                summary=spec["summary"],
                description=description_from_text(spec["description"]),
                region=regions[spec["region"]],
                city=spec["city"],
                website=spec["website"],
                contact_email=f"hello@{spec['website'].split('//')[1]}",
                sectors=[sectors[name] for name in spec["sectors"]],
                sdgs=[sdgs[number] for number in spec["sdgs"] if number in sdgs],
                offers=spec["offers"],
                seeks=spec["seeks"],
                text_translations={
                    code: {
                        "summary": summary,
                        "description": DESCRIPTION_TRANSLATIONS.get(spec["title"], {}).get(
                            code, ""
                        ),
                    }
                    for code, summary in SUMMARY_TRANSLATIONS.get(spec["title"], {}).items()
                },
                **_capability_fields(spec["title"], regions),
            )
            if approve:
                organization = organization_approve(organization=organization, user=editor)
            created += 1
        # Only add who is missing: a role changed while trying the demo stays as it is.
        present = set(organization.memberships.values_list("user_id", flat=True))
        if admin.pk not in present:
            membership_add(organization=organization, user=admin, role=Membership.Role.ADMIN)
        for username in spec["members"]:
            if ctx.users[username].pk not in present:
                membership_add(organization=organization, user=ctx.users[username])
        ctx.organizations[organization.slug] = organization
        if "key" in spec:
            ctx.organizations[spec["key"]] = organization
    ctx.log(
        f"organizations: {created} new, {len(ORGANIZATIONS)} in all "
        f"({len(SECTORS)} sectors, {len(REGIONS)} regions)"
    )
