"""Demo data of the quality network, told through the services: members with the demo
quality coordinator (`kvalitet`) as chair, a directive in two versions, three meetings with
decisions and action items, and a draft service report for the last ended tertial.
Loading again adds nothing once the network has members."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from servicenav.core.periods import Period, PeriodKind
from servicenav.network import services
from servicenav.network.models import Member, Report
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from servicenav.core.progress import Writable

CHAIR = "kvalitet"
ADOPTED_BY = "Kommundirektörens ledningsgrupp"
MEMBERS = ("chef", "ledning", "handlaggare")

DIRECTIVE_1 = (
    "Kommundirektörens ledningsgrupp ger nätverket för kvalitet och service i uppdrag att "
    "hålla samman kommunens gemensamma syn på service och utveckla dess kvalitet: följa upp "
    "servicedeklarationer, synpunkter, enkäter och nyckeltal, sprida goda exempel och "
    "rapportera till ledningsgruppen varje tertial."
)
DIRECTIVE_2 = DIRECTIVE_1 + (
    "\n\nFrån och med i år rapporterar nätverket även årsvis, med jämförelser mot Kolada och "
    "en särskild genomgång av löften som inte hållits."
)

# (days before today, agenda, minutes, decisions, action items as (text, owner, due in days))
MEETINGS = [
    (
        120,
        "1. Nätverkets uppdrag\n2. Synpunktsstatistik\n3. Övrigt",
        "Nätverket gick igenom direktivet och den senaste statistiken över synpunkter.",
        ["Nätverket träffas var sjätte vecka.", "Svarstider följs upp på varje möte."],
        [("Ta fram en mall för tertialrapporten", CHAIR, -90, True)],
    ),
    (
        60,
        "1. Servicedeklarationer som inte hålls\n2. Enkätresultat",
        "Två löften hölls inte under perioden; förvaltningarna förklarar varför.",
        ["Förvaltningarna redovisar åtgärder för löften som inte hållits."],
        [
            ("Samla in förklaringar från förvaltningarna", "chef", -20, False),
            ("Boka fokusgrupp om bemötande", "handlaggare", 20, False),
        ],
    ),
    (
        10,
        "1. Tertialrapporten\n2. Goda exempel",
        "Utkastet till tertialrapporten gicks igenom.",
        ["Rapporten lämnas till ledningsgruppen när sammanfattningen är skriven."],
        [("Skriva sammanfattning och slutsatser", CHAIR, 1, False)],
    ),
]


def load_demo_network(stdout: Writable, today: date) -> int:
    """Add the demo network when it has no members; returns how many meetings were added."""
    if Member.objects.exists():
        stdout.write("Demo network: already there.\n")
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[CHAIR, *MEMBERS])}
    if CHAIR not in users:
        stdout.write("Demo network: the demo staff are missing; nothing added.\n")
        return 0
    with transaction.atomic():
        chair = users[CHAIR]
        services.member_add(user=chair, chair=True, by=None)
        for username in MEMBERS:
            if username in users:
                services.member_add(user=users[username], by=chair)
        services.directive_adopt(
            text=DIRECTIVE_1,
            adopted_on=today - timedelta(days=400),
            adopted_by=ADOPTED_BY,
            by=chair,
        )
        services.directive_adopt(
            text=DIRECTIVE_2, adopted_on=today - timedelta(days=30), adopted_by=ADOPTED_BY, by=chair
        )
        for days, agenda, minutes, decisions, items in MEETINGS:
            meeting = services.meeting_create(
                held_on=today - timedelta(days=days), agenda=agenda, minutes=minutes, by=chair
            )
            for text in decisions:
                services.decision_add(meeting=meeting, text=text, by=chair)
            for text, owner, due, done in items:
                item = services.action_item_add(
                    meeting=meeting,
                    text=text,
                    owner=users.get(owner, chair),
                    due_on=today + timedelta(days=due),
                    by=chair,
                )
                if done:
                    services.action_item_set_status(
                        item=item, status="done", by=chair, today=item.due_on
                    )
        period = Period.containing(today, PeriodKind.TERTIAL).previous()
        if not Report.objects.filter(period=period.code).exists():
            services.report_create(period=period, by=chair, today=today)
    stdout.write(
        f"Demo network: {Member.objects.count()} members, 2 directive versions, "
        f"{len(MEETINGS)} meetings, a draft report for {period.code}.\n"
    )
    return len(MEETINGS)
