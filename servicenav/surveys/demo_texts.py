"""The texts of the demo surveys: questions, options, free-text answers, conclusions and
focus groups, with how the demo's respondents tend to answer each question (see `demo.py`).

Plain data. Everything is made up; the free-text answers and focus-group quotes hold no
names or other personal data."""

from __future__ import annotations

from dataclasses import dataclass

from servicenav.surveys.models import Question

SCALE, SINGLE, MULTIPLE, YES_NO, TEXT = (
    Question.Kind.SCALE,
    Question.Kind.SINGLE,
    Question.Kind.MULTIPLE,
    Question.Kind.YES_NO,
    Question.Kind.TEXT,
)

# Area keys: the demo's story moves areas, not single questions.
BEMOTANDE, INFORMATION, TRYGGHET, VERKSAMHETER, HELHET = (
    "bemotande",
    "information",
    "trygghet",
    "verksamheter",
    "helhet",
)
TILLGANGLIGHET, SVAR = "tillganglighet", "svar"

# Background questions, by key: the demo's respondents differ by them.
AGE, DISTRICT, CONTACT, CHANNEL = "age", "district", "contact", "channel"


@dataclass(frozen=True)
class Labels:
    low_sv: str
    low_en: str
    high_sv: str
    high_en: str


SATISFIED = Labels(
    "Inte alls nöjd", "Not at all satisfied", "Helt och hållet nöjd", "Completely satisfied"
)
FULFILLED = Labels("Inte alls", "Not at all", "Helt och hållet", "Completely")
GOOD = Labels("Mycket dåligt", "Very poor", "Mycket bra", "Very good")


@dataclass(frozen=True)
class Ask:
    """One demo question and how the demo's respondents answer it.

    `mean` is a scale question's mean answer before the story moves it, or the share
    answering yes to a yes/no question; `weights` are how often each option is chosen;
    `dont_know` is the share answering "vet ej"; `follows` how much of its area's movement
    between rounds the question follows."""

    sv: str
    en: str
    kind: str = SCALE
    area: str = ""
    key: str = ""
    mean: float = 0.0
    dont_know: float = 0.0
    follows: float = 1.0
    labels: Labels | None = None
    options: tuple[tuple[str, str], ...] = ()
    weights: tuple[float, ...] = ()
    overall: bool = False
    background: bool = False


@dataclass(frozen=True)
class SurveyText:
    slug: str
    title_sv: str
    title_en: str
    target_group_sv: str
    target_group_en: str
    intro_sv: str
    intro_en: str
    scale_max: int
    areas: tuple[tuple[str, str, str], ...]  # (key, Swedish name, English name)
    asks: tuple[Ask, ...]


def _satisfied(
    sv: str, en: str, area: str, mean: float, dont_know: float = 0.0, follows: float = 1.0
) -> Ask:
    return Ask(sv, en, area=area, mean=mean, dont_know=dont_know, follows=follows, labels=SATISFIED)


CITIZEN = SurveyText(
    slug="lulea",
    title_sv="Medborgarundersökning",
    title_en="Citizen survey",
    target_group_sv="Invånare 18–84 år i Luleå kommun",
    target_group_en="Residents of Luleå Municipality aged 18–84",
    intro_sv=(
        "Vi vill veta vad du tycker om Luleå som plats att bo på och om kommunens "
        "verksamheter. Det tar ungefär tio minuter. Dina svar är anonyma och redovisas bara "
        "sammanställda."
    ),
    intro_en=(
        "We want to know what you think of Luleå as a place to live and of the municipality's "
        "services. It takes about ten minutes. Your answers are anonymous and only reported "
        "in summary."
    ),
    scale_max=10,
    areas=(
        (BEMOTANDE, "Bemötande och tillgänglighet", "Treatment and accessibility"),
        (INFORMATION, "Information och delaktighet", "Information and participation"),
        (TRYGGHET, "Boende och trygghet", "Housing and safety"),
        (VERKSAMHETER, "Kommunens verksamheter", "Municipal services"),
        (HELHET, "Helhet", "Overall"),
    ),
    asks=(
        _satisfied(
            "Hur nöjd är du med det bemötande du får av kommunens medarbetare?",
            "How satisfied are you with how the municipality's staff treat you?",
            BEMOTANDE,
            7.3,
            0.12,
        ),
        _satisfied(
            "Hur nöjd är du med möjligheten att komma i kontakt med rätt person i kommunen?",
            "How satisfied are you with reaching the right person at the municipality?",
            BEMOTANDE,
            6.6,
            0.14,
        ),
        _satisfied(
            "Hur nöjd är du med hur snabbt du får svar på dina frågor?",
            "How satisfied are you with how quickly your questions are answered?",
            BEMOTANDE,
            6.4,
            0.16,
        ),
        _satisfied(
            "Hur nöjd är du med kommunens e-tjänster?",
            "How satisfied are you with the municipality's e-services?",
            BEMOTANDE,
            6.8,
            0.22,
        ),
        _satisfied(
            "Hur nöjd är du med den information kommunen ger om sina verksamheter?",
            "How satisfied are you with the information the municipality gives about its services?",
            INFORMATION,
            5.9,
        ),
        _satisfied(
            "Hur nöjd är du med kommunens webbplats?",
            "How satisfied are you with the municipality's website?",
            INFORMATION,
            5.8,
            0.15,
        ),
        _satisfied(
            "Hur nöjd är du med möjligheten att påverka kommunens beslut?",
            "How satisfied are you with your chances to influence the municipality's decisions?",
            INFORMATION,
            4.9,
            0.2,
        ),
        _satisfied(
            "Hur nöjd är du med hur kommunen tar tillvara invånarnas synpunkter?",
            "How satisfied are you with how the municipality makes use of residents' views?",
            INFORMATION,
            5.1,
            0.18,
        ),
        _satisfied(
            "Hur nöjd är du med tryggheten i ditt bostadsområde på kvällar och nätter?",
            "How satisfied are you with safety in your neighbourhood in the evenings and at night?",
            TRYGGHET,
            7.0,
            follows=1.2,
        ),
        _satisfied(
            "Hur nöjd är du med belysningen på gator och gång- och cykelvägar?",
            "How satisfied are you with the lighting of streets, footpaths and cycle paths?",
            TRYGGHET,
            6.6,
            follows=0.8,
        ),
        _satisfied(
            "Hur nöjd är du med utbudet av bostäder?",
            "How satisfied are you with the supply of housing?",
            TRYGGHET,
            5.6,
            0.1,
            follows=0.2,
        ),
        _satisfied(
            "Hur nöjd är du med tillgången till grönområden och natur nära där du bor?",
            "How satisfied are you with access to green spaces and nature near where you live?",
            TRYGGHET,
            8.0,
            follows=0.0,
        ),
        _satisfied(
            "Hur nöjd är du med förskolan?",
            "How satisfied are you with preschool?",
            VERKSAMHETER,
            7.1,
            0.55,
        ),
        _satisfied(
            "Hur nöjd är du med grundskolan?",
            "How satisfied are you with compulsory school?",
            VERKSAMHETER,
            6.5,
            0.5,
        ),
        _satisfied(
            "Hur nöjd är du med äldreomsorgen?",
            "How satisfied are you with care for older people?",
            VERKSAMHETER,
            6.0,
            0.55,
        ),
        _satisfied(
            "Hur nöjd är du med biblioteken?",
            "How satisfied are you with the libraries?",
            VERKSAMHETER,
            7.9,
            0.2,
        ),
        _satisfied(
            "Hur nöjd är du med snöröjningen av gator och gång- och cykelvägar?",
            "How satisfied are you with snow clearing of streets, footpaths and cycle paths?",
            VERKSAMHETER,
            5.7,
            0.03,
        ),
        _satisfied(
            "Hur nöjd är du med idrotts- och motionsanläggningarna?",
            "How satisfied are you with sports and exercise facilities?",
            VERKSAMHETER,
            7.2,
            0.25,
        ),
        Ask(
            "Hur nöjd är du sammantaget med kommunens verksamheter?",
            "Overall, how satisfied are you with the municipality's services?",
            area=HELHET,
            mean=6.5,
            labels=SATISFIED,
            overall=True,
        ),
        Ask(
            "Hur väl motsvarar kommunens verksamheter dina förväntningar?",
            "How well do the municipality's services meet your expectations?",
            area=HELHET,
            mean=6.2,
            labels=FULFILLED,
            overall=True,
        ),
        Ask(
            "Hur nöjd är du sammantaget med Luleå som en plats att bo och leva på?",
            "Overall, how satisfied are you with Luleå as a place to live?",
            area=HELHET,
            mean=7.3,
            labels=SATISFIED,
            overall=True,
        ),
        Ask(
            "Hur gammal är du?",
            "How old are you?",
            kind=SINGLE,
            key=AGE,
            background=True,
            options=(
                ("18–29 år", "18–29"),
                ("30–44 år", "30–44"),
                ("45–64 år", "45–64"),
                ("65–84 år", "65–84"),
            ),
            weights=(0.15, 0.23, 0.33, 0.29),
        ),
        Ask(
            "I vilken del av kommunen bor du?",
            "Which part of the municipality do you live in?",
            kind=SINGLE,
            key=DISTRICT,
            background=True,
            options=(
                ("Centrum", "Centrum"),
                ("Björkskatan", "Björkskatan"),
                ("Porsön", "Porsön"),
                ("Hertsön", "Hertsön"),
                ("Bergnäset", "Bergnäset"),
                ("Gammelstad", "Gammelstad"),
                ("Södra Sunderbyn", "Södra Sunderbyn"),
                ("Råneå", "Råneå"),
                ("Annan del av kommunen", "Elsewhere in the municipality"),
            ),
            weights=(0.18, 0.13, 0.1, 0.12, 0.11, 0.09, 0.08, 0.04, 0.15),
        ),
        Ask(
            "Har du haft kontakt med kommunen det senaste året?",
            "Have you been in contact with the municipality in the past year?",
            kind=YES_NO,
            key=CONTACT,
            background=True,
            weights=(0.58, 0.42),
        ),
        Ask(
            "Vad skulle göra Luleå till en bättre plats att bo på?",
            "What would make Luleå a better place to live?",
            kind=TEXT,
        ),
    ),
)

SERVICE = SurveyText(
    slug="kontaktcenter",
    title_sv="Servicemätning Kontaktcenter",
    title_en="Contact Centre service survey",
    target_group_sv="Besökare som fått hjälp",
    target_group_en="People who were helped",
    intro_sv=(
        "Du har nyligen haft kontakt med Kontaktcenter. Berätta hur det gick – det tar två "
        "minuter och är anonymt."
    ),
    intro_en=(
        "You were recently in touch with the Contact Centre. Tell us how it went – it takes "
        "two minutes and is anonymous."
    ),
    scale_max=5,
    areas=(
        (TILLGANGLIGHET, "Tillgänglighet", "Accessibility"),
        (SVAR, "Bemötande och svar", "Treatment and answers"),
        (HELHET, "Helhet", "Overall"),
    ),
    asks=(
        Ask(
            "Hur lätt var det att komma i kontakt med oss?",
            "How easy was it to get in touch with us?",
            area=TILLGANGLIGHET,
            mean=4.1,
            labels=GOOD,
        ),
        Ask(
            "Hur upplevde du väntetiden?",
            "How did you find the waiting time?",
            area=TILLGANGLIGHET,
            mean=3.9,
            labels=GOOD,
        ),
        Ask(
            "Hur var bemötandet?",
            "How were you treated?",
            area=SVAR,
            mean=4.5,
            labels=GOOD,
        ),
        Ask(
            "Hur tydligt var svaret du fick?",
            "How clear was the answer you got?",
            area=SVAR,
            mean=4.2,
            labels=GOOD,
        ),
        Ask(
            "Fick du svar på din fråga?",
            "Did you get an answer to your question?",
            kind=YES_NO,
            mean=0.86,
        ),
        Ask(
            "Hur var din kontakt med oss som helhet?",
            "How was your contact with us overall?",
            area=HELHET,
            mean=4.2,
            labels=GOOD,
            overall=True,
        ),
        Ask(
            "Vad gällde din kontakt?",
            "What was your contact about?",
            kind=MULTIPLE,
            options=(
                ("Bygglov och boende", "Building permits and housing"),
                ("Förskola och skola", "Preschool and school"),
                ("Avfall, vatten och avlopp", "Waste, water and sewage"),
                ("Gator, parker och snöröjning", "Streets, parks and snow clearing"),
                ("Omsorg och stöd", "Care and support"),
                ("Något annat", "Something else"),
            ),
            weights=(0.14, 0.18, 0.22, 0.2, 0.12, 0.14),
        ),
        Ask(
            "Hur kontaktade du oss?",
            "How did you contact us?",
            kind=SINGLE,
            key=CHANNEL,
            background=True,
            options=(
                ("Telefon", "Phone"),
                ("E-post", "E-mail"),
                ("Besök", "Visit"),
                ("Chatt", "Chat"),
            ),
            weights=(0.58, 0.24, 0.12, 0.06),
        ),
        Ask("Vad kan vi göra bättre?", "What could we do better?", kind=TEXT),
    ),
)


# Free-text answers: (text, themes). `demo.py` picks a different handful each round.
CITIZEN_TEXTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Bättre snöröjning på gång- och cykelvägarna, de plogas alldeles för sent på morgonen.",
        ("Snöröjning",),
    ),
    (
        "Plogvallarna vid övergångsställena gör det svårt att ta sig fram med barnvagn.",
        ("Snöröjning",),
    ),
    (
        "Sanda trottoarerna oftare i centrum när det är halt, många äldre vågar inte gå ut.",
        ("Snöröjning", "Äldre"),
    ),
    (
        "Mer belysning på gångvägen mellan Porsön och universitetet, den är mörk och otrygg.",
        ("Trygghet", "Belysning"),
    ),
    (
        "Jag känner mig inte längre trygg i centrum på kvällarna, särskilt runt busstorget.",
        ("Trygghet", "Centrum"),
    ),
    ("Fler vuxna ute på kvällarna, till exempel nattvandrare eller fältare.", ("Trygghet",)),
    ("Trasiga gatlampor lagas för långsamt i vårt område.", ("Belysning", "Trygghet")),
    ("Det har blivit mer skadegörelse och nedskräpning kring skolan på helgerna.", ("Trygghet",)),
    (
        "Busstrafiken till Råneå behöver gå oftare, särskilt på kvällar och helger.",
        ("Kollektivtrafik", "Landsbygd"),
    ),
    ("Billigare bussresor för ungdomar och pensionärer.", ("Kollektivtrafik",)),
    (
        "Bussarna är ofta försenade på vintern och det finns ingen information vid hållplatsen.",
        ("Kollektivtrafik", "Information"),
    ),
    (
        "Fler hyresrätter som vanliga inkomsttagare har råd med. Kön är alldeles för lång.",
        ("Bostäder",),
    ),
    ("Det behövs fler små lägenheter för unga som vill flytta hemifrån.", ("Bostäder", "Unga")),
    ("Bygg inte bort grönområdena när nya bostäder planeras.", ("Bostäder", "Natur och miljö")),
    (
        "Mer information om vad som händer i kommunen, även i lokaltidningen, inte bara på nätet.",
        ("Information",),
    ),
    (
        "Webbplatsen är svår att hitta i. Jag hittar aldrig rätt blankett.",
        ("Information", "Webbplats"),
    ),
    (
        "Den nya webbplatsen är mycket bättre, nu hittar jag det jag söker.",
        ("Information", "Webbplats", "Beröm"),
    ),
    ("Berätta tidigare om vägarbeten och avstängningar.", ("Information",)),
    (
        "Lyssna på oss som bor i byarna innan ni fattar beslut som rör oss.",
        ("Delaktighet", "Landsbygd"),
    ),
    ("Fler öppna möten där man kan träffa politiker och tjänstepersoner.", ("Delaktighet",)),
    ("Medborgardialogen om Stadsviken var bra, gör fler sådana.", ("Delaktighet", "Beröm")),
    (
        "Det känns som att synpunkter inte leder någonstans. Återkoppla vad som händer.",
        ("Delaktighet", "Bemötande"),
    ),
    (
        "Mer aktiviteter för ungdomar på kvällarna, till exempel en öppen fritidsgård i centrum.",
        ("Kultur och fritid", "Unga"),
    ),
    ("Bibliotekets öppettider borde vara längre på helgerna.", ("Kultur och fritid",)),
    ("Fler konstgräsplaner och en ny simhall.", ("Kultur och fritid",)),
    (
        "Underhåll elljusspåren bättre, de är fantastiska när de fungerar.",
        ("Kultur och fritid", "Natur och miljö"),
    ),
    ("Isbanan på fjärden är det bästa med Luleå. Behåll den!", ("Kultur och fritid", "Beröm")),
    ("Mindre klasser och fler lärare i grundskolan.", ("Skola och förskola",)),
    ("Förskolan har fantastisk personal men grupperna är för stora.", ("Skola och förskola",)),
    ("Bättre skolmat och mer tid att äta.", ("Skola och förskola",)),
    ("Mer personal inom hemtjänsten så att de hinner stanna en stund.", ("Äldreomsorg",)),
    ("Det är svårt att få plats på äldreboende när man behöver det.", ("Äldreomsorg",)),
    ("Fler parkbänkar och offentliga toaletter i centrum.", ("Centrum", "Äldre")),
    ("Gör centrum levande, det står för många butikslokaler tomma.", ("Centrum",)),
    ("Fler cykelvägar som hänger ihop, särskilt till Bergnäset.", ("Trafik",)),
    ("Sänk hastigheten på genomfartsvägarna i bostadsområdena.", ("Trafik", "Trygghet")),
    ("Återvinningsstationerna är ofta överfulla.", ("Natur och miljö",)),
    ("Ta bättre hand om stränderna och badplatserna på sommaren.", ("Natur och miljö",)),
    ("Det är redan en bra plats att bo på. Fortsätt som ni gör!", ("Beröm",)),
    ("Personalen på kontaktcenter var jättehjälpsam när jag ringde.", ("Bemötande", "Beröm")),
    ("Svara på mejl snabbare. Jag har väntat i tre veckor.", ("Bemötande",)),
    ("Se till att det finns vårdcentral och affär kvar i byarna.", ("Landsbygd",)),
    (
        "Mer satsningar på kultur, till exempel konserter och teater för barn.",
        ("Kultur och fritid",),
    ),
    ("Färre beslut som ändras fram och tillbaka, det skapar oro.", ("Delaktighet",)),
)
# More answers about safety as the story goes on, fewer about information.
CITIZEN_THEME_TREND = {"Trygghet": (0.7, 1.2, 2.4), "Information": (1.6, 1.1, 0.7)}

SERVICE_TEXTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Det tog över 20 minuter att komma fram i telefon.", ("Väntetid", "Telefon")),
    ("Kortare kötid i telefon, jag gav upp första gången.", ("Väntetid", "Telefon")),
    ("Erbjud att ringa upp i stället för att man måste vänta i kö.", ("Väntetid", "Telefon")),
    ("Svara på e-post snabbare, det tog en vecka.", ("Väntetid", "E-post")),
    ("Jättetrevlig och kunnig person som hjälpte mig. Tack!", ("Bemötande", "Beröm")),
    ("Ni var snabba och vänliga, inget att klaga på.", ("Beröm",)),
    ("Jag fick ett tydligt svar direkt, mycket bra.", ("Svar", "Beröm")),
    ("Jag blev kopplad runt till tre olika personer innan någon kunde svara.", ("Svar",)),
    ("Svaret var svårt att förstå, skriv enklare.", ("Svar", "Klarspråk")),
    ("Återkom när ni lovar att återkomma.", ("Svar",)),
    ("Längre öppettider i receptionen, jag jobbar dagtid.", ("Öppettider",)),
    ("Öppet någon kväll i veckan vore bra.", ("Öppettider",)),
    ("Chatten är smidig, men den borde vara öppen längre.", ("Chatt", "Öppettider")),
    ("Bra att det finns chatt nu, då slipper jag ringa.", ("Chatt", "Beröm")),
    ("Mer information på webben så att man inte behöver ringa alls.", ("Webbplats",)),
    ("Det var svårt att hitta telefonnumret på webbplatsen.", ("Webbplats",)),
    ("Mer hjälp på andra språk än svenska.", ("Språk",)),
    ("Personalen verkade stressad men gjorde sitt bästa.", ("Bemötande", "Väntetid")),
    ("Bättre skyltning till receptionen i stadshuset.", ("Besök",)),
    ("Fortsätt så här!", ("Beröm",)),
)
SERVICE_WAITING_THEME = "Väntetid"  # what people write about in the dip


# Conclusions on the citizen survey's first two rounds, and on the service survey's worst
# month: (text, actions decided, what was done).
CITIZEN_CONCLUSIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Information och delaktighet har lägst index av alla frågeområden och påverkar "
        "helhetsbetyget näst mest: området hamnar i Prioritera! i prioriteringsmatrisen. "
        "Invånare över 65 år är minst nöjda med informationen, och många fritextsvar handlar "
        "om en svår webbplats.",
        "Gör om kommunens webbplats med klarspråk och bättre sökfunktion.\n"
        "Skicka ett informationsblad till alla hushåll två gånger om året.\n"
        "Håll medborgardialoger i Centrum och Råneå.",
        "Den nya webbplatsen lanserades i oktober efter tester med invånare. Två "
        "informationsblad har gått ut till alla hushåll. Medborgardialoger hölls i Råneå "
        "(45 deltagare) och om Stadsviken i Centrum (120 deltagare).",
    ),
    (
        "Information och delaktighet har förbättrats sedan förra mätningen. Tryggheten på "
        "kvällar och nätter och belysningen har däremot fått sämre betyg, mest bland dem som "
        "bor i Centrum; samma sak syns i fritextsvaren.",
        "Gör trygghetsvandringar i Centrum, på Hertsön och på Porsön tillsammans med "
        "polisen och bostadsbolagen.\n"
        "Inventera belysningen på gång- och cykelvägar och byt trasiga armaturer.",
        "Trygghetsvandringar hölls i Centrum och på Hertsön; Porsön flyttades till hösten. "
        "Belysningen är inventerad och 140 armaturer byttes, men tryggheten fortsatte att "
        "sjunka i nästa mätning: frågan lyfts till kommunens brottsförebyggande råd.",
    ),
)
SERVICE_CONCLUSION = (
    "Väntetiden i telefon blev tydligt sämre efter bytet av telefonisystem, samtidigt som två "
    "tjänster var vakanta. Tillgängligheten föll mest bland dem som ringde.",
    "Inför återuppringning när kön är längre än tio minuter.\nTillsätt de vakanta tjänsterna.",
    "Återuppringning infördes två månader senare och båda tjänsterna är tillsatta. "
    "Betygen för tillgänglighet är tillbaka på tidigare nivå.",
)

# Curated quotes: (free-text answer to shorten, the published quote).
CITIZEN_QUOTES = (
    "Medborgardialogen om Stadsviken var bra, gör fler sådana.",
    "Den nya webbplatsen är mycket bättre, nu hittar jag det jag söker.",
)
SERVICE_QUOTE = "Bra att det finns chatt nu, då slipper jag ringa."


@dataclass(frozen=True)
class FocusGroupText:
    unit: str
    with_survey: bool  # next to the unit's demo survey, when it has one
    months_ago: int
    target_group: str
    participants: int
    method: str
    summary: str
    themes: str
    quotes: str
    actions: str


FOCUS_GROUPS = (
    FocusGroupText(
        unit="bibliotek",
        with_survey=False,
        months_ago=7,
        target_group="Unga 16–19 år om bibliotekets öppettider",
        participants=7,
        method="Semistrukturerad gruppintervju, 90 min",
        summary=(
            "Sju gymnasieelever från tre skolor diskuterade när och hur de använder "
            "Stadsbiblioteket. Biblioteket är viktigt som lugn studieplats, särskilt inför "
            "prov, men stänger för tidigt på vardagskvällar och har för kort öppet på helger. "
            "Flera visste inte att det finns grupprum att boka eller att meröppet finns på "
            "filialerna. Digitala lån används lite; de flesta vill ha fysiska böcker och en "
            "plats att vara på."
        ),
        themes=(
            "Öppettider på kvällar och helger\n"
            "Biblioteket som studieplats\n"
            "Kännedom om grupprum och meröppet\n"
            "Trygg plats att vara på"
        ),
        quotes=(
            "Biblioteket är det enda stället där jag faktiskt får plugga.\n"
            "Det stänger precis när man har ätit middag och skulle börja.\n"
            "Jag visste inte ens att man kunde boka grupprum.\n"
            "På söndagar finns det ingenstans att vara."
        ),
        actions=(
            "Förlängda öppettider till 21 på tisdagar och torsdagar under provperioderna.\n"
            "Grupprum bokningsbara via webben.\n"
            "Information om meröppet på gymnasieskolornas lärplattform."
        ),
    ),
    FocusGroupText(
        unit="kontaktcenter",
        with_survey=True,
        months_ago=4,
        target_group="Seniorer 70+ om kommunens digitala tjänster",
        participants=8,
        method="Semistrukturerad gruppintervju, 90 min",
        summary=(
            "Åtta personer mellan 70 och 86 år, från PRO och SPF, berättade om hur de "
            "använder kommunens e-tjänster och Kontaktcenter. De flesta har smarta telefoner "
            "men tycker att e-legitimation och långa formulär är svåra. Många föredrar att "
            "ringa och uppskattar ett personligt bemötande, men upplevde de långa telefonköerna "
            "förra vintern som mycket frustrerande. Återuppringning uppfattades som en klar "
            "förbättring. Chatten var okänd för nästan alla."
        ),
        themes=(
            "E-legitimation och inloggning\n"
            "Telefon som förstahandsval\n"
            "Väntetid och återuppringning\n"
            "Behov av personlig hjälp\n"
            "Kännedom om chatten"
        ),
        quotes=(
            "Jag klarar mig med mobilen, men när det ska loggas in ger jag upp.\n"
            "Det bästa är när en människa svarar.\n"
            "Att de ringer upp är jättebra, då kan man göra annat under tiden.\n"
            "Chatt? Det visste jag inte att ni hade."
        ),
        actions=(
            "Drop-in med digital hjälp på Kontaktcenter varannan onsdag, tillsammans med "
            "biblioteket.\n"
            "Kortare formulär för de fem vanligaste e-tjänsterna.\n"
            "Informera om chatten och återuppringning i seniortidningen."
        ),
    ),
)
