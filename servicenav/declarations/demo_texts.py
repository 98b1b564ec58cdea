"""The texts of the demo service declarations: what each demo unit promises, the comments
of its self-assessments and the explanations of promises not kept (see `demo.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from servicenav.core.periods import PeriodKind
from servicenav.declarations.models import Commitment, Measure


@dataclass(frozen=True)
class Promise:
    sv: str
    en: str
    measure: str = ""  # blank: qualitative, assessed by the unit
    limit_days: int | None = None
    threshold: int | None = None
    kept: tuple[str, ...] = ()  # comments on a period it was kept, qualitative only
    missed: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        if not self.measure:
            return {"text_sv": self.sv, "text_en": self.en, "kind": Commitment.Kind.QUALITATIVE}
        return {
            "text_sv": self.sv,
            "text_en": self.en,
            "kind": Commitment.Kind.MEASURABLE,
            "measure": self.measure,
            "limit_days": self.limit_days,
            "threshold": Decimal(self.threshold or 0),
        }


@dataclass(frozen=True)
class NewVersion:
    """What changed in a later version: texts, reworded promises (by order), new ones."""

    texts: dict[str, str]
    reworded: dict[int, Promise] = field(default_factory=dict)
    added: tuple[Promise, ...] = ()


@dataclass(frozen=True)
class Spec:
    slug: str
    period_kind: PeriodKind
    texts: dict[str, str]
    promises: tuple[Promise, ...]
    # Months from today to the review-by date; None: a year after approval, long past.
    review_in_months: int | None
    second: NewVersion | None = None


def _acknowledged(days: int, threshold: int) -> Promise:
    word = "arbetsdag" if days == 1 else "arbetsdagar"
    unit = "working day" if days == 1 else "working days"
    return Promise(
        f"Vi bekräftar att vi har tagit emot din synpunkt inom {days} {word}.",
        f"We confirm that we have received your feedback within {days} {unit}.",
        Measure.ACKNOWLEDGED_WITHIN,
        days,
        threshold,
    )


def _answered(days: int, threshold: int) -> Promise:
    return Promise(
        f"Du får svar på din synpunkt inom {days} arbetsdagar.",
        f"You get an answer to your feedback within {days} working days.",
        Measure.ANSWERED_WITHIN,
        days,
        threshold,
    )


IF_WE_FAIL = {
    "if_we_fail_sv": "Om vi inte håller det vi lovar vill vi veta det. Lämna en synpunkt, så "
    "får du en förklaring och besked om vad vi gör för att det inte ska hända igen. Du kan "
    "också ringa Kontaktcenter på 0920-45 30 00.",
    "if_we_fail_en": "If we do not keep a promise, we want to know. Send us your feedback and "
    "you will get an explanation and hear what we do so that it does not happen again. You "
    "can also call the Contact Centre on 0920-45 30 00.",
}

LIBRARY_HELP = Promise(
    "Du får ett personligt bemötande och hjälp att hitta det du söker.",
    "You are met as a person and get help to find what you are looking for.",
    kept=(
        "Inga klagomål på bemötandet under perioden, och flera berömmande synpunkter om "
        "hjälpsam personal i informationsdisken.",
        "Besöksenkäten visar att 94 % är nöjda med bemötandet. Inga klagomål.",
    ),
    missed=(
        "Två klagomål på att det var svårt att få hjälp kvällstid, när bara en person "
        "bemannade informationsdisken.",
    ),
)

DECLARATIONS = (
    Spec(
        slug="bibliotek",
        period_kind=PeriodKind.TERTIAL,
        texts={
            "service_sv": "Biblioteken i Luleå",
            "service_en": "Luleå's libraries",
            "summary_sv": "Stadsbiblioteket och våra fem filialbibliotek är öppna för alla. Du "
            "kan låna böcker, ljudböcker, tidningar och filmer, använda datorer och wifi, få "
            "hjälp att söka information och delta i aktiviteter för barn och vuxna. Det är "
            "gratis att låna.",
            "summary_en": "The city library and our five branch libraries are open to everyone. "
            "You can borrow books, audiobooks, newspapers and films, use computers and wifi, "
            "get help finding information and take part in activities for children and "
            "adults. Borrowing is free.",
            "we_expect_sv": "Att du tar hand om det du lånar och lämnar tillbaka det i tid, så "
            "att fler kan låna. Att du visar hänsyn mot andra besökare och mot personalen.",
            "we_expect_en": "That you take care of what you borrow and return it on time, so "
            "that others can borrow it too, and that you show consideration for other visitors "
            "and the staff.",
            "contact_sv": "Stadsbiblioteket, Kulturens hus, Skeppsbrogatan 17. Telefon "
            "0920-45 30 00, e-post bibliotek@lulea.example.",
            "contact_en": "The City Library, Kulturens hus, Skeppsbrogatan 17. Phone "
            "+46 920-45 30 00, e-mail bibliotek@lulea.example.",
            **IF_WE_FAIL,
        },
        promises=(
            _acknowledged(2, 95),
            _answered(10, 85),
            LIBRARY_HELP,
            Promise(
                "Vi har sagostunder och läsfrämjande aktiviteter för barn varje vecka under "
                "terminerna.",
                "We hold story times and reading activities for children every week during "
                "school terms.",
                kept=(
                    "Sagostunder varje vecka på alla bibliotek enligt programmet.",
                    "Alla planerade aktiviteter genomfördes; sommarboken lockade 420 barn.",
                ),
                missed=(
                    "Sagostunderna på två filialer ställdes in i tre veckor på grund av "
                    "sjukdom, och vi hade ingen vikarie.",
                ),
            ),
        ),
        review_in_months=None,  # replaced by the second version, which sets its own
        second=NewVersion(
            texts={
                "summary_sv": "Stadsbiblioteket och våra fem filialbibliotek är öppna för alla. "
                "Du kan låna böcker, ljudböcker, tidningar och filmer, använda datorer och "
                "wifi, få hjälp att söka information och delta i aktiviteter för barn och "
                "vuxna. Det är gratis att låna. Med meröppet kommer du in på filialerna med "
                "ditt lånekort och en PIN-kod klockan 7–22 alla dagar, även när personalen "
                "inte är där.",
                "summary_en": "The city library and our five branch libraries are open to "
                "everyone. You can borrow books, audiobooks, newspapers and films, use "
                "computers and wifi, get help finding information and take part in "
                "activities for children and adults. Borrowing is free. With self-service "
                "opening you can let yourself into the branch libraries with your library "
                "card and a PIN from 7 am to 10 pm every day, even when no staff are there.",
            },
            reworded={
                3: Promise(
                    "Du får ett personligt bemötande och hjälp att hitta det du söker – på "
                    "plats, i telefon och i chatten.",
                    "You are met as a person and get help to find what you are looking for – "
                    "at the library, on the phone and in the chat.",
                )
            },
            added=(
                Promise(
                    "Meröppet är tillgängligt klockan 7–22 alla dagar på filialbiblioteken.",
                    "Self-service opening is available from 7 am to 10 pm every day at the "
                    "branch libraries.",
                    kept=(
                        "Meröppet fungerade enligt plan hela perioden.",
                        "Inga driftstopp i passersystemet under perioden.",
                    ),
                    missed=(
                        "Passersystemet i Råneå låg nere i fyra dagar efter ett strömavbrott, "
                        "och reservdelen dröjde.",
                    ),
                ),
            ),
        ),
    ),
    Spec(
        slug="bygglov",
        period_kind=PeriodKind.QUARTER,
        texts={
            "service_sv": "Bygglov",
            "service_en": "Building permits",
            "summary_sv": "Du behöver bygglov för att bygga nytt, bygga till eller ändra "
            "användningen av en byggnad. Vi handlägger ansökningar om bygglov, marklov och "
            "rivningslov, tar emot anmälningar, ger råd innan du söker och gör tillsyn enligt "
            "plan- och bygglagen.",
            "summary_en": "You need a building permit to build, extend or change the use of a "
            "building. We handle applications for building, site and demolition permits and "
            "notifications, give advice before you apply, and supervise under the Planning "
            "and Building Act.",
            "we_expect_sv": "Att din ansökan är komplett, med ritningar och de uppgifter som "
            "behövs, så att vi kan handlägga den utan dröjsmål. Att du inte börjar bygga innan "
            "du har fått startbesked.",
            "we_expect_en": "That your application is complete, with drawings and the details "
            "we need, so that we can handle it without delay, and that you do not start "
            "building before you have been given starting clearance.",
            "contact_sv": "Bygglovsenheten, Stadshuset, Rådstugatan 11. Telefontid vardagar "
            "9–11 på 0920-45 30 00, e-post bygglov@lulea.example.",
            "contact_en": "Building Permits, the City Hall, Rådstugatan 11. Phone hours "
            "weekdays 9–11 on +46 920-45 30 00, e-mail bygglov@lulea.example.",
            **IF_WE_FAIL,
        },
        promises=(
            Promise(
                "Du får beslut inom tio veckor från att din ansökan är komplett.",
                "You get a decision within ten weeks of your application being complete.",
                kept=(
                    "Alla beslut under perioden fattades inom tio veckor; mediantiden var "
                    "fyra veckor enligt ärendesystemet.",
                    "Samtliga beslut inom tio veckor. Mediantiden var fem veckor.",
                ),
                missed=(
                    "Tre ärenden tog mer än tio veckor under semesterperioden, när två "
                    "handläggare var föräldralediga.",
                ),
            ),
            Promise(
                "Du får en namngiven handläggare som du kan kontakta under hela ärendet.",
                "You get a named case officer you can contact throughout your case.",
                kept=(
                    "Alla ärenden hade en namngiven handläggare från första kontakten.",
                    "Uppfyllt. Handläggarens namn står i varje bekräftelse.",
                ),
                missed=(
                    "Vid ett byte av ärendesystem fick några sökande bekräftelser utan "
                    "handläggarens namn.",
                ),
            ),
            _acknowledged(2, 95),
            _answered(15, 85),
        ),
        review_in_months=4,
    ),
    Spec(
        slug="avfall",
        period_kind=PeriodKind.QUARTER,
        texts={
            "service_sv": "Sophämtning och återvinning",
            "service_en": "Waste collection and recycling",
            "summary_sv": "Vi hämtar hushållsavfall och matavfall hos villor, fritidshus och "
            "flerbostadshus i hela kommunen och driver återvinningscentralerna. Där kan du "
            "lämna grovavfall, farligt avfall och elavfall utan kostnad.",
            "summary_en": "We collect household and food waste from houses, holiday homes and "
            "blocks of flats all over the municipality and run the recycling centres, where "
            "you can leave bulky, hazardous and electrical waste free of charge.",
            "we_expect_sv": "Att ditt kärl står vid tomtgränsen senast klockan 6 på "
            "hämtningsdagen med locket stängt, att vägen fram är skottad och sandad på "
            "vintern och att du sorterar ditt avfall.",
            "we_expect_en": "That your bin is at the edge of your property by 6 am on "
            "collection day with the lid closed, that the way to it is cleared of snow and "
            "gritted in winter, and that you sort your waste.",
            "contact_sv": "Kundtjänst avfall, telefon 0920-45 30 00, e-post avfall@lulea.example.",
            "contact_en": "Waste customer service, phone +46 920-45 30 00, e-mail "
            "avfall@lulea.example.",
            **IF_WE_FAIL,
        },
        promises=(
            Promise(
                "Vi tömmer ditt kärl på utsatt dag. Har vi missat det, kommer vi inom 2 "
                "arbetsdagar efter att du har hört av dig.",
                "We empty your bin on the day set. If we have missed it, we come within 2 "
                "working days of you telling us.",
                kept=(
                    "Entreprenörens rapport: alla missade hämtningar åtgärdades inom två "
                    "arbetsdagar.",
                    "Få missade hämtningar, alla åtgärdade inom två arbetsdagar.",
                ),
                missed=(
                    "Snöovädret gjorde att flera rutter blev två dagar sena, och ett 40-tal "
                    "missade hämtningar åtgärdades först efter tre till fyra dagar.",
                ),
            ),
            _acknowledged(2, 90),
            _answered(10, 85),
            Promise(
                "Återvinningscentralerna har öppet de tider vi har annonserat.",
                "The recycling centres are open at the times we have announced.",
                kept=(
                    "Öppet enligt annonserade tider hela perioden.",
                    "Inga avvikelser från öppettiderna.",
                ),
                missed=(
                    "Hertsöns återvinningscentral stängde två timmar tidigare tre dagar i rad "
                    "på grund av personalbrist.",
                ),
            ),
        ),
        review_in_months=None,
    ),
    Spec(
        slug="forskola",
        period_kind=PeriodKind.TERTIAL,
        texts={
            "service_sv": "Förskola",
            "service_en": "Preschool",
            "summary_sv": "Förskolan är till för barn från ett år tills de börjar i "
            "förskoleklass. Barnen leker, utforskar och lär sig i en trygg miljö, utifrån "
            "läroplanen för förskolan. Kommunen har ett 40-tal förskolor i hela Luleå.",
            "summary_en": "Preschool is for children from the age of one until they start "
            "the preschool class. Children play, explore and learn in a safe setting, "
            "following the national preschool curriculum. The municipality runs some forty "
            "preschools all over Luleå.",
            "we_expect_sv": "Att du söker plats minst fyra månader innan du behöver den, att du "
            "håller barnets schema aktuellt i e-tjänsten och att du berättar för oss om något "
            "händer som påverkar ditt barn.",
            "we_expect_en": "That you apply for a place at least four months before you need "
            "it, keep your child's schedule up to date in the e-service, and tell us if "
            "something happens that affects your child.",
            "contact_sv": "Barn- och utbildningsförvaltningens placeringsenhet, telefon "
            "0920-45 30 00, e-post forskola@lulea.example.",
            "contact_en": "The placement office of Children and Education, phone "
            "+46 920-45 30 00, e-mail forskola@lulea.example.",
            **IF_WE_FAIL,
        },
        promises=(
            Promise(
                "Du får erbjudande om förskoleplats inom fyra månader från att du har sökt.",
                "You are offered a preschool place within four months of applying.",
                kept=(
                    "Alla som sökte fick erbjudande inom fyra månader.",
                    "Samtliga erbjudanden inom fyra månader, de flesta inom två.",
                ),
                missed=(
                    "Inför hösten fick 12 familjer på Hertsön erbjudande först efter fem "
                    "månader, eftersom en ny förskola blev försenad.",
                ),
            ),
            Promise(
                "Ditt barn får en planerad inskolning där du är med.",
                "Your child gets a planned settling-in period with you there.",
                kept=(
                    "Alla nya barn hade en planerad inskolning med vårdnadshavare.",
                    "Uppfyllt enligt förskolornas rapporter.",
                ),
                missed=(
                    "Två förskolor fick korta inskolningarna i augusti på grund av personalbrist.",
                ),
            ),
            _acknowledged(2, 95),
            _answered(10, 85),
        ),
        review_in_months=6,
    ),
    Spec(
        slug="kontaktcenter",
        period_kind=PeriodKind.TERTIAL,
        texts={
            "service_sv": "Kontaktcenter",
            "service_en": "Contact Centre",
            "summary_sv": "Kontaktcenter är din väg in till kommunen. Ring 0920-45 30 00, "
            "mejla, chatta eller besök oss i Stadshuset. Vi svarar på frågor om kommunens "
            "alla verksamheter, hjälper dig med e-tjänster och tar emot synpunkter och "
            "felanmälningar.",
            "summary_en": "The Contact Centre is your way into the municipality. Call "
            "+46 920-45 30 00, e-mail, chat or visit us in the City Hall. We answer questions "
            "about everything the municipality does, help you with e-services and take your "
            "feedback and fault reports.",
            "we_expect_sv": "Att du berättar vad ditt ärende gäller och lämnar kontaktuppgifter "
            "om du vill ha svar, och att du bemöter våra medarbetare med respekt.",
            "we_expect_en": "That you tell us what your matter is about, leave your contact "
            "details if you want an answer, and treat our staff with respect.",
            "contact_sv": "Kontaktcenter, Stadshuset, Rådstugatan 11. Öppet vardagar 8–17. "
            "Telefon 0920-45 30 00, e-post kontaktcenter@lulea.example.",
            "contact_en": "Contact Centre, the City Hall, Rådstugatan 11. Open weekdays "
            "8 am–5 pm. Phone +46 920-45 30 00, e-mail kontaktcenter@lulea.example.",
            **IF_WE_FAIL,
        },
        promises=(
            Promise(
                "Du får ett vänligt och personligt bemötande när du kontaktar oss.",
                "You are met in a friendly and personal way when you contact us.",
                kept=(
                    "Inga klagomål på bemötandet; flera berömmande synpunkter.",
                    "Medborgarundersökningen: 91 % nöjda med bemötandet.",
                ),
                missed=(
                    "Tre klagomål på bemötandet i telefon under en period med långa köer och "
                    "flera nya medarbetare.",
                ),
            ),
            Promise(
                "Vi löser minst åtta av tio frågor direkt när du ringer eller besöker oss.",
                "We settle at least eight in ten questions straight away when you call or "
                "visit us.",
                kept=(
                    "Telefonistatistiken: 84 % av frågorna löstes direkt.",
                    "82 % löstes direkt vid första kontakten.",
                ),
                missed=(
                    "Bara 74 % löstes direkt, eftersom många frågor gällde en ny e-tjänst "
                    "för bygglov som vi ännu inte hade utbildats i.",
                ),
            ),
            _acknowledged(1, 90),
            Promise(
                "Du får svar inom den tid vi lovar i vår bekräftelse.",
                "You get an answer within the time we promise in our confirmation.",
                Measure.ANSWERED_BY_DEADLINE,
                None,
                90,
            ),
        ),
        review_in_months=8,
    ),
)

# Why a promise was not kept, and what the unit will do: (explanation, planned action).
EXPLANATIONS = {
    Measure.ACKNOWLEDGED_WITHIN: (
        (
            "Under semesterperioden var vi färre, och synpunkter som kom in via sociala "
            "medier registrerades sent.",
            "En gemensam inkorg bevakas nu varje arbetsdag av två personer, även under semestern.",
        ),
        (
            "Synpunkter som kom in med post registrerades först när posten hade sorterats, "
            "ibland efter flera dagar.",
            "Posten sorteras nu samma dag, och brev skannas in direkt.",
        ),
    ),
    Measure.ANSWERED_WITHIN: (
        (
            "Flera ärenden krävde svar från en entreprenör, vilket tog längre tid än väntat.",
            "Handläggaren skickar nu ett delbesked när svaret dröjer, och entreprenörens "
            "svarstid ingår i det nya avtalet.",
        ),
        (
            "Två handläggare var sjukskrivna samtidigt och ärendena fördelades om för sent.",
            "Vi har infört en veckovis genomgång av öppna ärenden med en ersättare för varje "
            "handläggare.",
        ),
    ),
    Measure.ANSWERED_BY_DEADLINE: (
        (
            "Frågor som skickades vidare till andra förvaltningar blev liggande där.",
            "Kontaktcenter bevakar nu vidareskickade ärenden och påminner efter fem dagar.",
        ),
    ),
    "": (
        (
            "Perioden hade hög arbetsbelastning och flera nya medarbetare som ännu inte hade "
            "fått introduktion.",
            "Alla nya medarbetare går introduktionen under första veckan, och vi följer upp "
            "på arbetsplatsträffarna.",
        ),
        (
            "Vi planerade inte för bortfallet, och det fanns ingen ersättare.",
            "Vi har tagit fram en reservplan som provas vid nästa arbetsplatsträff.",
        ),
    ),
}
