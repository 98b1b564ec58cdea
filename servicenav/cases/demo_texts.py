"""What the demo's citizens write and what the demo's staff answer, per demo unit.

Plain data for `servicenav.cases.demo`. Texts are made up; names, e-mail addresses
(example.org and friends) and phone numbers (the series PTS keeps for fiction) are fake.
Placeholders in braces are filled in from the lists at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

WINTER = frozenset({11, 12, 1, 2, 3, 4})
SUMMER = frozenset({5, 6, 7, 8, 9})
DARK = frozenset({9, 10, 11, 12, 1, 2, 3})
SCHOOL = frozenset({1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12})
ALL_YEAR = frozenset(range(1, 13))

COMPLAINT, SUGGESTION, PRAISE, QUESTION = "complaint", "suggestion", "praise", "question"


@dataclass(frozen=True)
class Text:
    """One kind of feedback a unit gets, and how it usually ends."""

    kind: str
    category: str
    text: str
    reply: str
    outcome: str = "answered"  # actioned, answered, no_action or referred
    referred_to: str = ""
    months: frozenset[int] = ALL_YEAR
    summary: str = ""  # praise: the anonymised good-example summary


def complaint(category: str, text: str, reply: str, **options: object) -> Text:
    return Text(COMPLAINT, category, text, reply, **options)  # type: ignore[arg-type]


def suggestion(category: str, text: str, reply: str, **options: object) -> Text:
    return Text(SUGGESTION, category, text, reply, **options)  # type: ignore[arg-type]


def praise(category: str, text: str, summary: str, **options: object) -> Text:
    reply = "Tack för dina fina ord! Vi har delat ditt beröm med alla i arbetsgruppen."
    return Text(PRAISE, category, text, reply, summary=summary, **options)  # type: ignore[arg-type]


def question(category: str, text: str, reply: str, **options: object) -> Text:
    return Text(QUESTION, category, text, reply, **options)  # type: ignore[arg-type]


# unit slug: (share of all feedback, [(Swedish category, English category), ...])
UNITS: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "gata-park": (
        22,
        [
            ("Snöröjning", "Snow clearing"),
            ("Halkbekämpning", "Gritting"),
            ("Gatubelysning", "Street lighting"),
            ("Lekplatser", "Playgrounds"),
            ("Gator och trottoarer", "Streets and pavements"),
            ("Parker och grönytor", "Parks and green spaces"),
        ],
    ),
    "avfall": (
        10,
        [
            ("Sophämtning", "Waste collection"),
            ("Återvinningscentral", "Recycling centre"),
            ("Kärl och abonnemang", "Bins and subscriptions"),
        ],
    ),
    "vatten-avlopp": (
        7,
        [
            ("Dricksvatten", "Drinking water"),
            ("Läckor och avlopp", "Leaks and sewers"),
            ("Taxor och anslutning", "Charges and connections"),
        ],
    ),
    "grundskola": (
        9,
        [
            ("Undervisning", "Teaching"),
            ("Trygghet och studiero", "Safety and calm"),
            ("Skolmat", "School meals"),
            ("Lokaler", "Premises"),
        ],
    ),
    "forskola": (
        7,
        [
            ("Placering och kö", "Places and queue"),
            ("Verksamhet och personal", "Activities and staff"),
            ("Lokaler och utemiljö", "Premises and outdoor areas"),
        ],
    ),
    "skolskjuts": (
        5,
        [("Tider och hållplatser", "Times and stops"), ("Rätt till skolskjuts", "Eligibility")],
    ),
    "hemtjanst": (
        8,
        [
            ("Tider och kontinuitet", "Times and continuity"),
            ("Bemötande", "Treatment"),
            ("Trygghetslarm", "Safety alarms"),
        ],
    ),
    "aldreboende": (
        5,
        [("Omvårdnad", "Care"), ("Mat och måltider", "Meals"), ("Aktiviteter", "Activities")],
    ),
    "bibliotek": (
        6,
        [
            ("Öppettider", "Opening hours"),
            ("Medier och lån", "Media and loans"),
            ("Evenemang", "Events"),
        ],
    ),
    "idrott-bad": (
        7,
        [
            ("Badhus", "Swimming baths"),
            ("Spår och anläggningar", "Trails and grounds"),
            ("Bokning", "Booking"),
        ],
    ),
    "bygglov": (
        5,
        [
            ("Handläggningstid", "Processing time"),
            ("Rådgivning", "Advice"),
            ("Tillsyn", "Enforcement"),
        ],
    ),
    "kontaktcenter": (
        5,
        [
            ("Telefon och väntetid", "Phone and waiting"),
            ("E-tjänster och webb", "E-services and web"),
        ],
    ),
    "forsorjningsstod": (2, [("Handläggning", "Processing")]),
    "miljotillsyn": (2, [("Buller och störningar", "Noise and nuisance"), ("Eldning", "Burning")]),
}

TEXTS: dict[str, list[Text]] = {
    "gata-park": [
        complaint(
            "Snöröjning",
            "Det har inte plogats på {gata} i {omrade} sedan i söndags. Det går inte att ta sig "
            "fram med barnvagn och i morse satt två bilar fast.",
            "Plogbilen har nu kört {gata}. Vi har också påmint entreprenören om att gatan "
            "ska prioriteras när det kommer mycket snö.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Snöröjning",
            "Plogbilen lämnade en meterhög vall framför vår infart på {gata} {nr} igen. Jag är "
            "78 år och orkar inte skotta bort den själv.",
            "Vi har tagit bort vallen vid din infart och lagt in en notering till förarna. Du kan "
            "också ansöka om snöröjningshjälp för äldre via Kontaktcenter.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Halkbekämpning",
            "Gångvägen mellan {omrade} och centrum är spegelblank. Jag såg två personer ramla i "
            "morse. Varför sandas det inte?",
            "Gångvägen är sandad och ligger nu med i den prioriterade slingan för halkbekämpning.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Snöröjning",
            "Cykelbanan längs {gata} plogas alltid sist. Vi som cyklar året runt behöver också "
            "komma fram till jobbet.",
            "Cykelbanorna plogas i den ordning tekniska nämnden har beslutat. Huvudstråken ska "
            "vara klara före kl. 07, och från nästa säsong ingår din sträcka i dem.",
            months=WINTER,
        ),
        complaint(
            "Gatubelysning",
            "Tre gatlampor är släckta på {gata} vid busshållplatsen. Det är kolsvart på kvällarna "
            "och känns otryggt att gå hem.",
            "Tack för felanmälan! Lamporna är lagade.",
            outcome="actioned",
            months=DARK,
        ),
        complaint(
            "Gatubelysning",
            "Gatlampan utanför {gata} {nr} blinkar hela nätterna och lyser rakt in i vårt sovrum.",
            "Armaturen är utbytt och lampan lyser nu som den ska.",
            outcome="actioned",
            months=DARK,
        ),
        complaint(
            "Lekplatser",
            "Gungan på lekplatsen i {omrade} är trasig, kedjan har gått av. Barnen kan skada sig.",
            "Gungan spärrades av samma dag och har nu fått en ny kedja.",
            outcome="actioned",
            months=SUMMER,
        ),
        complaint(
            "Gator och trottoarer",
            "Det är ett djupt potthål på {gata} vid korsningen mot {gata2}. Jag fick punktering "
            "i går kväll.",
            "Potthålet är lagat. Vill du begära ersättning för punkteringen gör du en "
            "skadeanmälan via kommunens webbplats.",
            outcome="actioned",
            months=SUMMER,
        ),
        complaint(
            "Parker och grönytor",
            "Gräset i parken vid {omrade} har inte klippts på flera veckor och det ligger skräp "
            "överallt efter helgerna.",
            "Parken är klippt och städad. Vi har lagt till extra tömning av papperskorgarna "
            "på måndagar under sommaren.",
            outcome="actioned",
            months=SUMMER,
        ),
        complaint(
            "Gator och trottoarer",
            "E4:an vid {omrade} var inte plogad i morse och flera bilar hade kört i diket.",
            "E4 är en statlig väg som Trafikverket sköter. Vi har skickat din synpunkt till "
            "Trafikverket, som svarar dig direkt.",
            outcome="referred",
            referred_to="Trafikverket (E4 är en statlig väg)",
            months=WINTER,
        ),
        complaint(
            "Parker och grönytor",
            "Ungdomar kör moped genom gångtunneln vid {omrade} varje kväll. Det är bara en "
            "tidsfråga innan någon blir påkörd.",
            "Att köra moped i gångtunneln är ett brott och något polisen hanterar. Vi har lämnat "
            "din synpunkt till Polisen och ser över om tunneln kan få bommar.",
            outcome="referred",
            referred_to="Polisen",
        ),
        question(
            "Snöröjning",
            "När plogas {omrade}? Det har kommit över 30 cm snö och ingenting har hänt ännu.",
            "Vid kraftigt snöfall plogas huvudgator och bussgator först, sedan bostadsgatorna. "
            "{omrade} beräknas vara klart inom två dygn.",
            months=WINTER,
        ),
        question(
            "Gator och trottoarer",
            "Får vi sätta upp ett eget farthinder på {gata}? Bilarna kör alldeles för fort.",
            "Nej, farthinder på kommunens gator sätter bara kommunen upp. Vi gör en "
            "hastighetsmätning på {gata} under hösten och återkommer med resultatet.",
        ),
        suggestion(
            "Parker och grönytor",
            "Ställ gärna ut fler bänkar längs strandpromenaden i {omrade}. Många äldre behöver "
            "kunna vila en stund.",
            "Tack för förslaget! Fyra nya bänkar ställs ut till sommaren.",
            outcome="actioned",
        ),
        suggestion(
            "Lekplatser",
            "Lekplatsen i {omrade} behöver något för de minsta barnen, till exempel en sandlåda "
            "med tak och en babygunga.",
            "Tack! Lekplatsen ska rustas 2027 och ditt förslag finns med i planeringen.",
        ),
        suggestion(
            "Parker och grönytor",
            "Kan ni sätta upp fler papperskorgar vid badplatsen i {omrade}? Skräpet blåser ut i "
            "vattnet varje helg.",
            "Två nya papperskorgar med lock är uppsatta vid badplatsen.",
            outcome="actioned",
            months=SUMMER,
        ),
        praise(
            "Snöröjning",
            "Stort tack till plogföraren som kom i natt! {gata} var klar redan kl. 6 och hen tog "
            "till och med bort vallen vid min infart.",
            "En boende tackar snöröjningen för en tidigt plogad gata och en förare som tog bort "
            "vallen vid infarten utan att någon bett om det.",
            months=WINTER,
        ),
        praise(
            "Parker och grönytor",
            "Blomsterplanteringarna i Stadsparken är fantastiska i år. Det gör hela stan gladare!",
            "En invånare berömmer årets blomsterplanteringar i Stadsparken.",
            months=SUMMER,
        ),
        praise(
            "Gatubelysning",
            "Tack för att ni lagade belysningen i gångtunneln vid {omrade} så snabbt. Jag anmälde "
            "i går och i dag lyser det!",
            "En invånare tackar för att trasig belysning i en gångtunnel lagades dagen efter "
            "felanmälan.",
            months=DARK,
        ),
    ],
    "avfall": [
        complaint(
            "Sophämtning",
            "Soptunnan på {gata} {nr} har inte tömts på två veckor. Det luktar och fåglarna drar "
            "ut skräpet på gatan.",
            "Vi ber om ursäkt. Kärlet är tömt och chauffören har fått din adress markerad i "
            "körlistan.",
            outcome="actioned",
        ),
        complaint(
            "Sophämtning",
            "Sopbilen hoppar över oss varje gång det har snöat, trots att vi skottar fram kärlet "
            "till vägkanten.",
            "Kärlet töms i morgon. Vi har bett chauffören kontakta oss innan en tömning hoppas "
            "över, så att du får veta varför.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Kärl och abonnemang",
            "Locket på vårt matavfallskärl gick sönder vid tömningen i fredags.",
            "Ett nytt lock levereras inom en vecka, utan kostnad.",
            outcome="actioned",
        ),
        complaint(
            "Återvinningscentral",
            "Kön till återvinningscentralen i Sörbyn var över en timme i lördags. Det måste gå "
            "att organisera bättre.",
            "Vårens helger är de mest besökta. Vi öppnar en extra infart i maj och visar "
            "kötiden på webbplatsen.",
            months=SUMMER,
        ),
        question(
            "Kärl och abonnemang",
            "Kan jag byta till ett mindre kärl? Vi är bara två i hushållet nu.",
            "Ja. Beställ bytet via e-tjänsten Mitt abonnemang, så byter vi kärl inom två veckor.",
        ),
        question(
            "Återvinningscentral",
            "Var lämnar jag gamla lysrör, batterier och en trasig brandvarnare?",
            "Allt det tar återvinningscentralerna emot kostnadsfritt. Batterier kan du också "
            "lämna i butikernas batteriholkar.",
        ),
        suggestion(
            "Återvinningscentral",
            "Ha kvällsöppet på återvinningscentralen på våren, då vill alla städa trädgården.",
            "Tack! Från april till juni har vi öppet till kl. 20 på tisdagar och torsdagar.",
            outcome="actioned",
        ),
        praise(
            "Sophämtning",
            "Sophämtarna på {gata} är alltid så trevliga och ställer tillbaka kärlen "
            "prydligt. Tack!",
            "En boende berömmer sophämtarna för gott bemötande och för att kärlen ställs "
            "tillbaka prydligt.",
        ),
    ],
    "vatten-avlopp": [
        question(
            "Dricksvatten",
            "Vattnet i kranen är brunt sedan i morse här i {omrade}. Kan vi dricka det?",
            "Missfärgningen kommer från en spolning av ledningarna och är ofarlig. Spola kallt "
            "vatten några minuter tills det är klart.",
        ),
        complaint(
            "Läckor och avlopp",
            "Det luktar avlopp från brunnen utanför {gata} {nr}, särskilt när det är varmt.",
            "Ledningen är spolad och brunnen har fått ett nytt vattenlås.",
            outcome="actioned",
            months=SUMMER,
        ),
        complaint(
            "Dricksvatten",
            "Vi har haft mycket lågt vattentryck på {gata} i flera veckor.",
            "En ventil i området var delvis stängd efter en reparation. Den är nu öppnad och "
            "trycket är normalt igen.",
            outcome="actioned",
        ),
        complaint(
            "Läckor och avlopp",
            "Det läcker vatten ur marken vid {gata} {nr}, det har bildats en stor pöl på "
            "trottoaren.",
            "Läckan hittades och lagades samma vecka. Trottoaren återställs när tjälen gått ur.",
            outcome="actioned",
        ),
        question(
            "Taxor och anslutning",
            "Varför har VA-taxan höjts så mycket i år?",
            "Taxan höjs för att finansiera förnyelsen av ledningsnätet och det nya reningsverket. "
            "Beslutet och beräkningen finns på kommunens webbplats.",
        ),
        question(
            "Taxor och anslutning",
            "Hur gör jag för att ansluta fritidshuset i {omrade} till det kommunala avloppet?",
            "Fyll i ansökan om servisanmälan i e-tjänsten. Området ingår i verksamhetsområdet "
            "från 2027.",
        ),
        praise(
            "Läckor och avlopp",
            "Tack till VA-jouren som kom mitt i natten när vår källare svämmade över. Snabba, "
            "lugna och hjälpsamma!",
            "En villaägare tackar VA-jouren för en snabb och lugn insats en natt när källaren "
            "svämmade över.",
        ),
    ],
    "grundskola": [
        complaint(
            "Trygghet och studiero",
            "Min son har blivit retad och knuffad på rasterna i flera veckor och jag upplever "
            "inte att skolan gör något.",
            "Rektor har kontaktat er och skolan har startat en utredning enligt skollagen. Fler "
            "vuxna finns nu ute på rasterna.",
            outcome="actioned",
            months=SCHOOL,
        ),
        complaint(
            "Skolmat",
            "Skolmaten på {skola} räcker inte. De sista klasserna får bara rester kvar.",
            "Köket har ändrat portionsplaneringen och lagar nu mer av huvudrätten.",
            outcome="actioned",
            months=SCHOOL,
        ),
        complaint(
            "Lokaler",
            "Ventilationen i klassrummen på {skola} fungerar inte, det var 28 grader inne i dag.",
            "Fastighetsförvaltningen har bytt en trasig fläktmotor.",
            outcome="actioned",
            months=frozenset({5, 6, 8, 9}),
        ),
        complaint(
            "Undervisning",
            "Vår dotter har haft vikarie i matematik hela terminen och har inte fått några "
            "omdömen.",
            "En ny lärare börjar efter jullovet och rektor har bett mentor boka ett "
            "utvecklingssamtal med er.",
            months=SCHOOL,
        ),
        question(
            "Undervisning",
            "Hur ansöker vi om skolbyte till {skola}?",
            "Ansökan om skolbyte görs i e-tjänsten Skolval. Beskedet kommer inom tre veckor.",
        ),
        suggestion(
            "Trygghet och studiero",
            "Inför mobilfria lektioner på alla skolor i kommunen.",
            "Från höstterminen samlas mobiltelefonerna in under skoldagen på alla grundskolor.",
            outcome="actioned",
        ),
        praise(
            "Undervisning",
            "Tack till mentorn i klass 8B på {skola} som har stöttat vår dotter genom en tuff "
            "termin.",
            "En förälder tackar en mentor för stödet till en elev under en svår termin.",
            months=SCHOOL,
        ),
    ],
    "forskola": [
        complaint(
            "Placering och kö",
            "Vi har stått i kö i fyra månader och fått plats på andra sidan stan, trots att vi "
            "önskade {forskola}.",
            "Du står kvar i kö för omplacering till {forskola} och får besked så snart en plats "
            "blir ledig.",
        ),
        complaint(
            "Verksamhet och personal",
            "Det är ny vikarie på avdelningen nästan varje dag. Vårt barn på två år blir otryggt.",
            "Förskolechefen har anställt två vikarier som nu går fast på avdelningen.",
            outcome="actioned",
        ),
        complaint(
            "Lokaler och utemiljö",
            "Gården på {forskola} är full av is och vattenpölar, barnen halkar hela tiden.",
            "Gården är sandad och ett dike grävs för att leda bort vattnet i vår.",
            outcome="actioned",
            months=WINTER,
        ),
        question(
            "Placering och kö",
            "Hur många timmar får mitt barn vara på förskolan när jag är föräldraledig?",
            "Under föräldraledighet har barnet rätt till 15 timmar i veckan.",
        ),
        suggestion(
            "Verksamhet och personal",
            "Kan förskolan servera vegetarisk mat oftare?",
            "Förskolorna serverar vegetariskt två dagar i veckan från och med nästa månad.",
            outcome="actioned",
        ),
        praise(
            "Verksamhet och personal",
            "Personalen på {forskola} är helt fantastisk. Vår dotter springer in varje morgon och "
            "inskolningen blev så trygg.",
            "En förälder berömmer förskolans personal för en trygg inskolning och för glädjen "
            "barnet känner varje morgon.",
        ),
    ],
    "skolskjuts": [
        complaint(
            "Tider och hållplatser",
            "Skolbussen från {omrade} kom inte i morse och barnen stod i 20 minusgrader i 40 "
            "minuter.",
            "Bussbolaget har fått en avvikelse och ska nu ringa föräldrarna när en tur blir sen.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Tider och hållplatser",
            "Chauffören kör alldeles för fort på grusvägen genom {omrade}.",
            "Vi har tagit upp det med bussbolaget, som har följt upp med chauffören.",
            outcome="actioned",
            months=SCHOOL,
        ),
        question(
            "Rätt till skolskjuts",
            "Vår dotter börjar på {skola} i höst. Har hon rätt till skolskjuts från {omrade}?",
            "Ja, avståndet är längre än fyra kilometer. Ansökan görs i e-tjänsten senast 15 juni.",
        ),
        question(
            "Tider och hållplatser",
            "Varför går inte länsbussen till {omrade} tidigare på morgonen?",
            "Länstrafikens tidtabeller bestämmer Region Norrbotten. Vi har skickat din fråga dit.",
            outcome="referred",
            referred_to="Region Norrbotten (Länstrafiken)",
        ),
        praise(
            "Tider och hållplatser",
            "Vår chaufför Kenneth hälsar alltid på barnen och väntar tills de kommit in genom "
            "dörren. Tack!",
            "En förälder tackar skolskjutsens chaufför för omtanken om barnen vid varje hållplats.",
            months=SCHOOL,
        ),
    ],
    "hemtjanst": [
        complaint(
            "Tider och kontinuitet",
            "Hemtjänsten kommer på olika tider varje dag till min mamma på {gata}. Hon blir "
            "orolig och vet inte när hon ska vänta dem.",
            "Mammas besök ligger nu på fasta tider och hon har fått ett schema på kylskåpet.",
            outcome="actioned",
        ),
        complaint(
            "Tider och kontinuitet",
            "Det kommer så många olika personer till min pappa. Förra veckan räknade vi till 14.",
            "Pappa har fått en kontaktperson och ett mindre team som i första hand går till honom.",
            outcome="actioned",
        ),
        complaint(
            "Trygghetslarm",
            "Trygghetslarmet fungerade inte i helgen när min mor ramlade i badrummet.",
            "Larmet är utbytt och testat. Vi har gått igenom alla larm av samma modell.",
            outcome="actioned",
        ),
        complaint(
            "Bemötande",
            "Personalen pratar i telefon med varandra under besöken hos min far.",
            "Enhetschefen har tagit upp bemötandet på arbetsplatsträffen.",
        ),
        question(
            "Tider och kontinuitet",
            "Hur ansöker jag om hemtjänst för min make som har fått en demensdiagnos?",
            "Kontakta biståndshandläggarna via Kontaktcenter, så bokar de ett hembesök.",
        ),
        praise(
            "Bemötande",
            "Tack till {personal} i hemtjänsten i {omrade} för värme och humor. Pappa längtar "
            "efter era besök.",
            "En anhörig tackar hemtjänstpersonalen för värme och humor som gör besöken till "
            "dagens höjdpunkt.",
        ),
        praise(
            "Bemötande",
            "Ni var fantastiska under mammas sista tid hemma. Tack för allt.",
            "En anhörig tackar hemtjänsten för omsorgen i livets slutskede.",
        ),
        suggestion(
            "Tider och kontinuitet",
            "Det vore bra om anhöriga kunde se i en app när hemtjänsten kommer.",
            "Vi inför digital besöksinformation till anhöriga under nästa år.",
        ),
    ],
    "aldreboende": [
        complaint(
            "Omvårdnad",
            "Min mamma på {boende} kommer nästan aldrig ut. Personalen hinner inte gå ut med "
            "henne.",
            "Boendet har infört promenadpass varje dag med hjälp av frivilliga.",
            outcome="actioned",
        ),
        complaint(
            "Mat och måltider",
            "Maten på {boende} är ofta kall när den serveras.",
            "Boendet har fått nya värmevagnar.",
            outcome="actioned",
        ),
        suggestion(
            "Aktiviteter",
            "Kunde ni ordna fler aktiviteter på helgerna, till exempel musik?",
            "Från nästa månad kommer kulturskolan och spelar varannan söndag.",
            outcome="actioned",
        ),
        question(
            "Omvårdnad",
            "Hur ansöker man om plats på särskilt boende?",
            "Ansökan görs hos biståndshandläggaren, som du når via Kontaktcenter.",
        ),
        praise(
            "Aktiviteter",
            "Stort tack för den fina sommarfesten på {boende}! Mamma pratade om den i flera dagar.",
            "En anhörig tackar äldreboendet för en sommarfest som de boende pratade om länge.",
            months=SUMMER,
        ),
    ],
    "bibliotek": [
        complaint(
            "Öppettider",
            "Stadsbiblioteket stänger redan kl. 16 på lördagar. Det passar inte oss som arbetar.",
            "Öppettiderna bestäms inom budgeten; vi prövar längre lördagsöppet under hösten.",
        ),
        complaint(
            "Medier och lån",
            "Det är väldigt stökigt i läsesalen på eftermiddagarna, omöjligt att plugga.",
            "Läsesalen är nu en tyst zon och personalen går runt oftare.",
            outcome="actioned",
        ),
        question(
            "Medier och lån",
            "Kan jag låna e-böcker om jag bor i Boden men jobbar i Luleå?",
            "Ja, alla som bor, arbetar eller studerar i Norrbotten kan få lånekort.",
        ),
        suggestion(
            "Medier och lån",
            "Köp in fler ljudböcker på arabiska och somaliska.",
            "Vi har köpt in 60 nya titlar och tar gärna emot fler tips.",
            outcome="actioned",
        ),
        suggestion(
            "Öppettider",
            "Inför meröppet på biblioteket i {omrade}.",
            "Meröppet kräver ombyggnad av entrén och finns med i planen för 2027.",
        ),
        praise(
            "Evenemang",
            "Sagostunden med {personal} på biblioteket i {omrade} är veckans höjdpunkt för våra "
            "barn!",
            "En förälder berömmer bibliotekets sagostund som veckans höjdpunkt för barnen.",
        ),
        praise(
            "Medier och lån",
            "Tack för hjälpen med att komma igång med e-legitimationen. Så tålmodig personal!",
            "En besökare tackar bibliotekets personal för tålamod och hjälp med e-legitimation.",
        ),
    ],
    "idrott-bad": [
        complaint(
            "Badhus",
            "Det var bara 24 grader i undervisningsbassängen. Barnen frös under simskolan.",
            "Värmeväxlaren var trasig och är lagad; bassängen håller 30 grader igen.",
            outcome="actioned",
        ),
        complaint(
            "Spår och anläggningar",
            "Elljusspåret i {omrade} har inte preparerats på en vecka trots nysnö.",
            "Spåret är preparerat. Pistmaskinen var på reparation men är tillbaka.",
            outcome="actioned",
            months=WINTER,
        ),
        complaint(
            "Badhus",
            "Duschen på damsidan har varit trasig i tre veckor.",
            "Duschen är lagad.",
            outcome="actioned",
        ),
        complaint(
            "Spår och anläggningar",
            "Någon kör snöskoter i skidspåret i {omrade} varje kväll och förstör det.",
            "Skoterkörning i spåret är olaglig. Vi har polisanmält och satt upp nya skyltar.",
            outcome="referred",
            referred_to="Polisen",
            months=WINTER,
        ),
        question(
            "Bokning",
            "Hur bokar vår förening en idrottshall för träningar på torsdagar?",
            "Föreningar bokar i bokningssystemet; säsongsbokningen öppnar 1 maj.",
        ),
        suggestion(
            "Spår och anläggningar",
            "Bygg en pulkabacke med belysning i {omrade}.",
            "Det finns inte pengar i årets budget, men förslaget tas med i planeringen.",
            outcome="no_action",
        ),
        praise(
            "Spår och anläggningar",
            "Skidspåren vid {omrade} är i toppskick i år, tack till spårpatrullen!",
            "En skidåkare berömmer spårpatrullen för välpreparerade spår hela säsongen.",
            months=WINTER,
        ),
    ],
    "bygglov": [
        complaint(
            "Handläggningstid",
            "Vi skickade in vår bygglovsansökan för tre månader sedan och har inte hört något.",
            "Ansökan var inte komplett; handläggaren har nu mejlat vad som saknas. Beslut "
            "kommer inom tio veckor från komplett ansökan.",
        ),
        complaint(
            "Tillsyn",
            "Grannen bygger ett stort garage på {gata} {nr} utan bygglov.",
            "Vi har öppnat ett tillsynsärende och besökt fastigheten.",
            outcome="actioned",
        ),
        question(
            "Rådgivning",
            "Behöver jag bygglov för ett attefallshus på 25 kvadratmeter?",
            "Nej, men du behöver göra en anmälan och få startbesked innan du börjar bygga.",
        ),
        question(
            "Rådgivning",
            "Hur högt staket får jag sätta upp mot gatan?",
            "Ett staket som är högre än 1,1 meter kräver bygglov inom detaljplanerat område.",
        ),
        suggestion(
            "Rådgivning",
            "Ni borde ha drop-in på kvällstid för oss som jobbar dagtid.",
            "Från och med september har bygglovsavdelningen drop-in första tisdagen i månaden "
            "kl. 16–19.",
            outcome="actioned",
        ),
        praise(
            "Rådgivning",
            "Tack för ett mycket bra rådgivningsmöte, handläggaren förklarade allt tydligt.",
            "En sökande tackar för ett tydligt och hjälpsamt rådgivningsmöte.",
        ),
    ],
    "kontaktcenter": [
        complaint(
            "Telefon och väntetid",
            "Jag fick vänta i telefonkö i 35 minuter och sedan bröts samtalet.",
            "Ett fel i växeln bröt samtal under en förmiddag. Det är åtgärdat och du kan nu "
            "också välja att bli uppringd.",
            outcome="actioned",
        ),
        complaint(
            "E-tjänster och webb",
            "E-tjänsten för ansökan om parkeringstillstånd fungerar inte med BankID på mobilen.",
            "Felet låg hos leverantören och är rättat.",
            outcome="actioned",
        ),
        question(
            "Telefon och väntetid",
            "Vilka tider har Kontaktcenter öppet i jul och nyår?",
            "Vi har öppet 8–12 på klämdagarna och stängt på helgdagarna. Tiderna finns på webben.",
            months=frozenset({12}),
        ),
        question(
            "Telefon och väntetid",
            "Var vänder jag mig för att byta vårdcentral?",
            "Vården sköts av Region Norrbotten. Vi har skickat frågan vidare till dem.",
            outcome="referred",
            referred_to="Region Norrbotten",
        ),
        suggestion(
            "E-tjänster och webb",
            "Det vore bra med en chatt på kommunens webbplats.",
            "En chatt öppnar på webbplatsen under våren.",
            outcome="actioned",
        ),
        praise(
            "Telefon och väntetid",
            "Tack till personen på Kontaktcenter som hjälpte mig att hitta rätt blankett. Så "
            "vänligt!",
            "En invånare tackar Kontaktcenter för vänlig och effektiv hjälp att hitta rätt.",
        ),
    ],
    "forsorjningsstod": [
        complaint(
            "Handläggning",
            "Jag har väntat i fem veckor på besked om ekonomiskt bistånd.",
            "Ansökan var ofullständig. Din handläggare har ringt dig och beslutet kommer denna "
            "vecka.",
        ),
        praise(
            "Handläggning",
            "Min handläggare har varit ett stort stöd när allt var som tyngst. Tack.",
            "En invånare tackar sin handläggare för stödet under en svår tid.",
        ),
    ],
    "miljotillsyn": [
        complaint(
            "Eldning",
            "Grannen på {gata} eldar plast och byggavfall i trädgården.",
            "Vi har besökt fastigheten och förelagt ägaren att sluta elda avfall.",
            outcome="actioned",
        ),
        complaint(
            "Buller och störningar",
            "Det bullrar från byggarbetsplatsen vid {gata} redan kl. 6 på morgonen.",
            "Byggherren har fått besked om att bullrande arbete får börja först kl. 7.",
            outcome="actioned",
        ),
        question(
            "Buller och störningar",
            "Får vindkraftverket vid {omrade} låta så här mycket?",
            "Tillståndet för vindkraftverket prövas av Länsstyrelsen i Norrbotten; vi har "
            "skickat din fråga dit.",
            outcome="referred",
            referred_to="Länsstyrelsen i Norrbotten",
        ),
    ],
}

NO_ACTION_REASONS = [
    "Åtgärden ryms inte i årets budget men finns med i planeringen framåt.",
    "Platsen är privat mark; vi har informerat fastighetsägaren.",
    "Gällande beslut står fast; vi har förklarat bakgrunden i svaret.",
    "Vi har besökt platsen och ser inget behov av åtgärd just nu.",
]
NOTES = [
    "Ringt upp och pratat med personen, hen var nöjd med förklaringen.",
    "Skickat vidare till arbetsledaren för bedömning.",
    "Liknande synpunkter från samma område förra månaden.",
    "Kollat med entreprenören, de åtgärdar i veckan.",
    "Tas upp på nästa APT.",
    "Bifogat foto från platsbesöket i ärendet i verksamhetssystemet.",
]
WAIT_FOR_CITIZEN = (
    "Kan du beskriva närmare var det är, eller skicka en bild?",
    "Vi väntar på mer information från den som lämnat synpunkten.",
    "Här är en bild och närmare beskrivning. Det är strax efter busshållplatsen.",
)
WAIT_FOR_OTHERS = [
    "Väntar på svar från entreprenören.",
    "Väntar på besked från fastighetsförvaltningen.",
    "Väntar på yttrande från bussbolaget.",
]
REOPEN_REASONS = [
    "Det är fortfarande inte åtgärdat.",
    "Samma problem igen den här veckan.",
    "Jag förstår inte svaret, kan någon ringa mig?",
]

STREETS = [
    "Storgatan", "Kungsgatan", "Smedjegatan", "Rådstugatan", "Köpmangatan", "Stationsgatan",
    "Hertsövägen", "Bergnäsvägen", "Mjölkuddsvägen", "Skurholmsvägen", "Gammelstadsvägen",
    "Lulsundsgatan", "Sandviksgatan", "Residensgatan", "Nygatan", "Varvsgatan", "Hamngatan",
    "Örnäsvägen", "Björkskatavägen", "Porsövägen",
]  # fmt: skip
AREAS = [
    "Hertsön", "Bergnäset", "Porsön", "Mjölkudden", "Lulsundet", "Svartöstaden", "Skurholmen",
    "Gammelstad", "Kronan", "Björkskatan", "Örnäset", "Notviken", "Malmudden", "Råneå",
    "Sunderbyn", "Södra hamn", "Storheden", "Antnäs",
]  # fmt: skip
SCHOOLS = ["Björkskolan", "Tallbackaskolan", "Älvdalsskolan", "Norrskensskolan", "Strandskolan"]
PRESCHOOLS = ["förskolan Nyckelpigan", "förskolan Polstjärnan", "Solgläntans förskola"]
HOMES = ["Lärkans äldreboende", "Strandgårdens äldreboende", "Tallhemmet"]
STAFF_NAMES = ["Maria", "Ahmed", "Lena", "Jonas", "Sanna", "Pekka", "Elsa", "Yusuf"]
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mikael", "Elin",
    "Jonas", "Linnea", "Oskar", "Emma", "Nils", "Ida", "Gustav", "Frida", "Anders", "Sofia",
    "Henrik", "Malin", "Åsa", "Björn", "Helena", "Mats", "Kristina", "Stefan", "Leila", "Omar",
]  # fmt: skip
LAST_NAMES = [
    "Lindqvist", "Nilsson", "Lundberg", "Öberg", "Sandström", "Holmgren", "Forsberg",
    "Isaksson", "Nyström", "Engström", "Lindström", "Björk", "Strand", "Granberg", "Backman",
    "Öhman", "Lidström", "Burman", "Marklund", "Nordström", "Westerlund", "Rahimi",
]  # fmt: skip
MAIL_DOMAINS = ["example.org", "example.net", "example.com"]

# Handlers for the demo units that the organisation demo gives none:
# unit slug: (username, first name, last name). Their password is unusable.
HANDLERS = {
    "vatten-avlopp": ("va", "Viktor", "Vikström"),
    "avfall": ("avfall", "Amira", "Holm"),
    "grundskola": ("grundskola", "Gustav", "Berglund"),
    "forskola": ("forskola", "Fanny", "Lindgren"),
    "skolskjuts": ("skolskjuts", "Siri", "Nordmark"),
    "aldreboende": ("aldreboende", "Ebba", "Sundqvist"),
    "bibliotek": ("bibliotek", "Britta", "Öqvist"),
    "idrott-bad": ("idrott", "Isak", "Wikström"),
    "bygglov": ("bygglov", "Bengt", "Rönnbäck"),
    "kontaktcenter": ("kontaktcenter", "Klara", "Nyberg"),
    "forsorjningsstod": ("forsorjning", "Fredrik", "Lundmark"),
    "miljotillsyn": ("miljo", "Mikael", "Stenlund"),
}
