"""The demo organisation: Luleå kommun, its administrations, services and staff."""

from __future__ import annotations

from servicenav.organisation.models import Role

DEMO_PASSWORD = "servicenav-demo"  # noqa: S105  (printed to the person trying the demo)

MUNICIPALITY = ("lulea", "Luleå kommun", "Luleå Municipality", "kommun@lulea.example")

# (slug, Swedish name, English name, [(slug, Swedish name, English name), ...])
ADMINISTRATIONS = [
    (
        "kommunledning",
        "Kommunledningsförvaltningen",
        "Municipal Executive Office",
        [
            ("kontaktcenter", "Kontaktcenter", "Contact Centre"),
            ("hr", "HR-avdelningen", "Human Resources"),
        ],
    ),
    (
        "barn-utbildning",
        "Barn- och utbildningsförvaltningen",
        "Children and Education",
        [
            ("forskola", "Förskola", "Preschool"),
            ("grundskola", "Grundskola", "Compulsory School"),
            ("skolskjuts", "Skolskjuts", "School Transport"),
        ],
    ),
    (
        "socialforvaltningen",
        "Socialförvaltningen",
        "Social Services",
        [
            ("hemtjanst", "Hemtjänst", "Home Care"),
            ("aldreboende", "Äldreboende", "Residential Care for Older People"),
            ("forsorjningsstod", "Försörjningsstöd", "Income Support"),
            ("lss", "Stöd enligt LSS", "Disability Support (LSS)"),
        ],
    ),
    (
        "stadsbyggnad",
        "Stadsbyggnadsförvaltningen",
        "City Planning and Building",
        [
            ("bygglov", "Bygglov", "Building Permits"),
            ("lantmateri", "Lantmäteri", "Land Surveying"),
        ],
    ),
    (
        "teknik",
        "Tekniska förvaltningen",
        "Technical Services",
        [
            ("gata-park", "Gata och park", "Streets and Parks"),
            ("vatten-avlopp", "Vatten och avlopp", "Water and Sewage"),
            ("avfall", "Avfall och återvinning", "Waste and Recycling"),
        ],
    ),
    (
        "kultur-fritid",
        "Kultur- och fritidsförvaltningen",
        "Culture and Leisure",
        [
            ("bibliotek", "Bibliotek", "Libraries"),
            ("idrott-bad", "Idrott och bad", "Sports and Swimming"),
        ],
    ),
    (
        "miljo",
        "Miljöförvaltningen",
        "Environment",
        [
            ("livsmedel", "Livsmedelskontroll", "Food Control"),
            ("miljotillsyn", "Miljötillsyn", "Environmental Inspection"),
        ],
    ),
]

# (username, first name, last name, role, unit slug)
STAFF = [
    ("admin", "Alva", "Administratör", Role.ADMINISTRATOR, "lulea"),
    ("kvalitet", "Kim", "Kvalitetssamordnare", Role.QUALITY_COORDINATOR, "lulea"),
    ("ledning", "Lo", "Ledningsgrupp", Role.VIEWER, "lulea"),
    ("chef", "Charlie", "Verksamhetschef", Role.UNIT_MANAGER, "teknik"),
    ("handlaggare", "Hedda", "Handläggare", Role.CASE_HANDLER, "gata-park"),
    ("handlaggare2", "Hugo", "Handläggare", Role.CASE_HANDLER, "hemtjanst"),
]
