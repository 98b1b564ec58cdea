"""Luleå kommun's three service values, so that every installation starts with them."""

from django.db import migrations

VALUES = [
    (
        "engagemang",
        "Engagemang",
        "Engagement",
        "Vi bryr oss om den vi möter och om att tjänsten blir bra.",
        "We care about the person we meet and about getting the service right.",
    ),
    (
        "ansvarstagande",
        "Ansvarstagande",
        "Responsibility",
        "Vi tar ansvar för helheten, håller det vi lovar och återkopplar.",
        "We take responsibility for the whole, keep our promises and get back to people.",
    ),
    (
        "kompetens",
        "Kompetens",
        "Competence",
        "Vi kan vårt uppdrag, lär av varandra och utvecklar tjänsterna.",
        "We know our job, learn from each other and keep improving our services.",
    ),
]


def add_values(apps, schema_editor):
    ServiceValue = apps.get_model("organisation", "ServiceValue")
    for position, (code, name_sv, name_en, description_sv, description_en) in enumerate(VALUES):
        ServiceValue.objects.get_or_create(
            code=code,
            defaults={
                "name_sv": name_sv,
                "name_en": name_en,
                "description_sv": description_sv,
                "description_en": description_en,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]
    operations = [migrations.RunPython(add_values, migrations.RunPython.noop)]
