"""No personal data leaves through the public statistics or the open data: cases are
seeded with a recognisable name, e-mail address, phone number, address and free text, with
staff replies and notes naming the person, a survey free-text answer, a staff comment on a
measurement and an internal assessment of a promise; none of it, no staff member's name
and no case reference appears on any public page, in any open-data file, in the data
dictionary or in the catalogue, in either language."""

from __future__ import annotations

import pytest

from servicenav.public.opendata import DATASETS
from servicenav.public.tests.conftest import EMAIL, NAME, PHONE, SECRETS

pytestmark = pytest.mark.django_db


def everything_public(client, world) -> dict[str, str]:
    """Every public page (with every unit and period chosen), file and catalogue, as text."""
    tree = world.tree
    urls = [
        "/oppna-data/ordlista.json",
        "/oppna-data/katalog",
        "/oppna-data/katalog.jsonld",
        "/oppna-data/katalog.rdf",
    ]
    urls += [f"/oppna-data/{d.slug}.{fmt}" for d in DATASETS for fmt in ("csv", "json")]
    for prefix in ("", "/en"):
        urls += [f"{prefix}/oppna-data/", f"{prefix}/statistik/synpunkter/"]
        for unit in (tree.kommun, tree.teknik, tree.gata, tree.vatten, tree.social, tree.hemtjanst):
            for period in ("2026", "2026-Q2", "2026-04"):
                urls.append(f"{prefix}/statistik/synpunkter/?unit={unit.pk}&period={period}")
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode("utf-8-sig")
    return texts


def test_no_personal_data_on_any_public_page_or_in_any_file(client, world):
    texts = everything_public(client, world)
    references = [case.reference for case in world.cases]
    assert len(references) > 60

    for url, text in texts.items():
        lowered = text.casefold()
        for secret in SECRETS:
            assert secret.casefold() not in lowered, (url, secret)
        for reference in references:
            assert reference not in text, (url, reference)
        assert world.staff.username not in text, url


def test_the_seeded_personal_data_is_really_there_to_leak(world):
    """The test above would pass on an empty database; this one shows it is not empty."""
    case = world.cases[-1]
    case.refresh_from_db()
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == (NAME, EMAIL, PHONE)
    assert case.events.filter(text__contains="Gunhild").count() == 2
    assert world.survey_round.responses.count() == 12
