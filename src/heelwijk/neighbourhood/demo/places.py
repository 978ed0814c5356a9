"""The two demo neighbourhoods: their buurten, streets, organisations and demo logins.

Everything here is invented. Rijnstede is not a real municipality; its CBS codes use the
made-up municipality number 0999 in the CBS pattern (WK + municipality + wijk, BU + municipality
+ wijk + buurt). Postcodes have the real format but are synthetic.
"""

from dataclasses import dataclass

# Housing on a street decides which addresses it has: one per number (row houses), a lower and an
# upper home per number ("12" and "12A"), or a small block of flats per number ("12" to "12C").
ROW, SPLIT, FLAT = "row", "split", "flat"
SUFFIXES = {ROW: ("",), SPLIT: ("", "A"), FLAT: ("", "A", "B", "C")}


@dataclass(frozen=True)
class AreaSpec:
    name: str
    cbs_code: str
    postcode_digits: int
    weight: int  # share of the neighbourhood's households, per mille
    streets: tuple[tuple[str, str], ...]  # (street name, housing)


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str  # an Organisation.Kind value
    address: str
    description: str
    domain: str  # under the reserved .example top-level domain


@dataclass(frozen=True)
class LoginSpec:
    email: str
    role: str  # resident | wijkondernemer | representative
    full_name: str = ""  # residents take the name of the person they are linked to
    organisation: str = ""  # representatives: the organisation's name
    scale: str = ""  # representatives: operational | tactical | strategic
    is_staff: bool = False


@dataclass(frozen=True)
class NeighbourhoodSpec:
    slug: str
    name: str
    kind: str  # a Neighbourhood.Kind value
    municipality: str
    cbs_code: str
    city: str
    areas: tuple[AreaSpec, ...]
    organisations: tuple[OrganisationSpec, ...]
    logins: tuple[LoginSpec, ...]


def _org(
    name: str, kind: str, address: str, description: str, domain: str = ""
) -> OrganisationSpec:
    slug = domain or name.lower().replace(" ", "-").replace("'", "")
    return OrganisationSpec(name, kind, address, description, f"{slug}.example")


LINDENHOF = NeighbourhoodSpec(
    slug="lindenhof",
    name="Lindenhof",
    kind="wijk",
    municipality="Rijnstede",
    cbs_code="WK099901",
    city="Rijnstede",
    areas=(
        AreaSpec(
            "Lindenhof-Centrum",
            "BU09990101",
            6851,
            180,
            (
                ("Lindelaan", SPLIT),
                ("Kerkstraat", SPLIT),
                ("Molenstraat", ROW),
                ("Marktstraat", FLAT),
                ("Kloosterhof", ROW),
                ("Smidsstraat", ROW),
                ("Brouwersgang", SPLIT),
            ),
        ),
        AreaSpec(
            "Bomenbuurt",
            "BU09990102",
            6852,
            240,
            (
                ("Eikenlaan", ROW),
                ("Beukenlaan", ROW),
                ("Esdoornstraat", ROW),
                ("Kastanjelaan", ROW),
                ("Berkenstraat", SPLIT),
                ("Wilgenhof", ROW),
                ("Populierenstraat", FLAT),
                ("Iepenstraat", ROW),
                ("Elzenstraat", ROW),
            ),
        ),
        AreaSpec(
            "Schildersbuurt",
            "BU09990103",
            6853,
            220,
            (
                ("Rembrandtstraat", SPLIT),
                ("Vermeerstraat", SPLIT),
                ("Frans Halsstraat", ROW),
                ("Jan Steenstraat", ROW),
                ("Mondriaanstraat", FLAT),
                ("Van Goghstraat", ROW),
                ("Jozef Israëlsstraat", SPLIT),
                ("Breitnerstraat", ROW),
                ("Hobbemastraat", ROW),
            ),
        ),
        AreaSpec(
            "Vogelbuurt",
            "BU09990104",
            6854,
            200,
            (
                ("Merelstraat", ROW),
                ("Lijsterstraat", ROW),
                ("Spreeuwstraat", FLAT),
                ("Zwaluwstraat", ROW),
                ("Meeuwenlaan", FLAT),
                ("Reigerstraat", ROW),
                ("Kievitstraat", ROW),
                ("Roodborststraat", ROW),
                ("Vinkenstraat", SPLIT),
            ),
        ),
        AreaSpec(
            "Bloemenbuurt",
            "BU09990105",
            6855,
            160,
            (
                ("Tulpstraat", ROW),
                ("Narcissenstraat", ROW),
                ("Rozenlaan", FLAT),
                ("Anjerstraat", ROW),
                ("Irisstraat", ROW),
                ("Lavendelhof", FLAT),
                ("Klaprooslaan", ROW),
                ("Zonnebloemstraat", ROW),
            ),
        ),
    ),
    organisations=(
        _org(
            "Gemeente Rijnstede",
            "municipality",
            "Stadhuisplein 1, 6811 AB Rijnstede",
            "De gemeente: zorg en welzijn (Wmo), jeugd, werk en inkomen, openbare ruimte en het "
            "wijkbudget van Lindenhof.",
        ),
        _org(
            "Woonstichting Rijnstede Thuis",
            "housing",
            "Havenstraat 40, 6812 CD Rijnstede",
            "Verhuurt de sociale huurwoningen in Lindenhof, vooral de flats in de Vogelbuurt en "
            "de Bloemenbuurt.",
        ),
        _org(
            "Wijkbedrijf Lindenhof",
            "wijkbedrijf",
            "Lindeplein 1, 6851 AA Rijnstede",
            "Coöperatie van bewoners die samen inkopen, energie opwekken en werk in de wijk "
            "organiseren.",
        ),
        _org(
            "Welzijn Rijnstede",
            "care",
            "Lindeplein 2, 6851 AA Rijnstede",
            "Buurtwerk, ouderenadvies, hulp bij formulieren en steun voor mantelzorgers.",
        ),
        _org(
            "Sociaal Wijkteam Lindenhof",
            "care",
            "Lindeplein 2, 6851 AA Rijnstede",
            "Eén loket voor vragen over zorg, opvoeden, geld en werk.",
        ),
        _org(
            "Thuiszorg De Linde",
            "care",
            "Lindehoevelaan 4, 6851 AC Rijnstede",
            "Wijkverpleging en huishoudelijke hulp aan huis.",
        ),
        _org(
            "Huisartsenpraktijk Lindenhof",
            "care",
            "Lindeplein 9, 6851 AB Rijnstede",
            "Drie huisartsen, een praktijkondersteuner en een doktersassistente.",
        ),
        _org(
            "Apotheek Lindeplein",
            "care",
            "Lindeplein 11, 6851 AB Rijnstede",
            "Apotheek met bezorging aan huis voor wie slecht ter been is.",
        ),
        _org(
            "Fysiotherapie Lindenhof",
            "care",
            "Lindeplein 13, 6851 AB Rijnstede",
            "Fysiotherapie, beweeggroepen voor ouderen en valpreventie.",
        ),
        _org(
            "Woonzorgcentrum Lindehoeve",
            "care",
            "Lindehoevelaan 2, 6851 AC Rijnstede",
            "Verpleeghuis met 80 plaatsen en een open restaurant voor de buurt.",
        ),
        _org(
            "Basisschool De Kastanje",
            "school",
            "Schoolpad 1, 6852 AA Rijnstede",
            "Openbare basisschool met 310 leerlingen en een brede-schoolprogramma.",
        ),
        _org(
            "Kinderopvang Het Boomhuis",
            "school",
            "Schoolpad 3, 6852 AA Rijnstede",
            "Dagopvang, peuterspeelzaal en buitenschoolse opvang naast de basisschool.",
        ),
        _org(
            "Bakkerij Van der Linden",
            "shop",
            "Lindeplein 4, 6851 AA Rijnstede",
            "Ambachtelijke bakker: brood, banket en taarten, sinds 1962 aan het plein.",
        ),
        _org(
            "Groentezaak Vers van het Land",
            "shop",
            "Lindeplein 6, 6851 AA Rijnstede",
            "Groente en fruit, veel van telers uit de regio.",
        ),
        _org(
            "Fietsenmaker De Spaak",
            "shop",
            "Lindeplein 8, 6851 AA Rijnstede",
            "Reparatie, onderhoud en verkoop van (elektrische) fietsen en scootmobielen.",
        ),
        _org(
            "Slagerij Hermans",
            "shop",
            "Lindeplein 10, 6851 AA Rijnstede",
            "Keurslager met vlees van boerderijen in de buurt.",
        ),
        _org(
            "Buurtsuper Lindeplein",
            "shop",
            "Lindeplein 12, 6851 AA Rijnstede",
            "Kleine supermarkt, elke dag open.",
        ),
        _org(
            "Kapsalon Knipoog",
            "shop",
            "Lindeplein 14, 6851 AA Rijnstede",
            "Kapper, ook aan huis voor wie niet kan komen.",
        ),
        _org(
            "Bloemenwinkel Madelief",
            "shop",
            "Lindeplein 15, 6851 AB Rijnstede",
            "Bloemen en planten, rouw- en bruidswerk.",
        ),
        _org(
            "Boekhandel Het Leesteken",
            "shop",
            "Lindeplein 17, 6851 AB Rijnstede",
            "Boeken, tijdschriften en een hoek met tweedehands boeken.",
        ),
        _org(
            "Eetcafé De Linde",
            "shop",
            "Lindeplein 3, 6851 AB Rijnstede",
            "Eetcafé met een wekelijkse buurtmaaltijd.",
        ),
        _org(
            "Rijnstede Energie",
            "company",
            "Energieweg 8, 6861 AB Rijnstede",
            "Energieleverancier voor stroom en gas; levert ook de stroom van buurtzonnedaken "
            "terug aan bewoners.",
        ),
        _org(
            "GlasNet Rijnstede",
            "company",
            "Energieweg 12, 6861 AB Rijnstede",
            "Internet, tv en bellen over glasvezel.",
        ),
        _org(
            "Onderlinge Verzekeringen Rijnstede",
            "company",
            "Havenstraat 7, 6812 CB Rijnstede",
            "Onderlinge verzekeraar voor inboedel, aansprakelijkheid en zorg.",
        ),
        _org(
            "Onderhoudsbedrijf Kroon",
            "company",
            "Ambachtsweg 21, 6862 AD Rijnstede",
            "Schilderwerk, dakonderhoud en klein onderhoud aan woningen.",
        ),
        _org(
            "Zonnewerk Installatietechniek",
            "company",
            "Ambachtsweg 30, 6862 AD Rijnstede",
            "Plaatst zonnepanelen, warmtepompen en isolatie.",
        ),
        _org(
            "Groenbeheer Rijnstede",
            "company",
            "Ambachtsweg 5, 6862 AC Rijnstede",
            "Onderhoud van plantsoenen en speelplaatsen, met leerwerkplekken.",
        ),
        _org(
            "Stichting Buurthuis De Linde",
            "foundation",
            "Lindehoevelaan 6, 6851 AC Rijnstede",
            "Buurthuis met ruimte voor clubs, cursussen, spreekuren en feesten.",
        ),
        _org(
            "Voedselbank Rijnstede",
            "foundation",
            "Havenstraat 22, 6812 CC Rijnstede",
            "Wekelijks voedselpakketten voor huishoudens die rond moeten komen.",
        ),
        _org(
            "Repair Café Lindenhof",
            "foundation",
            "Lindehoevelaan 6, 6851 AC Rijnstede",
            "Elke eerste zaterdag samen kapotte spullen repareren in het buurthuis.",
        ),
        _org(
            "SV Lindenhof",
            "foundation",
            "Sportlaan 1, 6855 AA Rijnstede",
            "Sportvereniging voor voetbal, jeu de boules en wandelvoetbal.",
            domain="sv-lindenhof",
        ),
    ),
    logins=(
        LoginSpec("bewoner@lindenhof.demo", "resident"),
        LoginSpec(
            "wijkondernemer@lindenhof.demo",
            "wijkondernemer",
            full_name="Marloes Verhoeven",
            is_staff=True,
        ),
        LoginSpec(
            "gemeente@lindenhof.demo",
            "representative",
            full_name="Erik Hoekstra",
            organisation="Gemeente Rijnstede",
            scale="strategic",
        ),
        LoginSpec(
            "leverancier@lindenhof.demo",
            "representative",
            full_name="Joost de Graaf",
            organisation="Rijnstede Energie",
            scale="operational",
        ),
        LoginSpec(
            "winkel@lindenhof.demo",
            "representative",
            full_name="Peter van der Linden",
            organisation="Bakkerij Van der Linden",
            scale="operational",
        ),
    ),
)

EIKENDAL = NeighbourhoodSpec(
    slug="eikendal",
    name="Eikendal",
    kind="dorp",
    municipality="Rijnstede",
    cbs_code="WK099902",
    city="Eikendal",
    areas=(
        AreaSpec(
            "Dorpskern Eikendal",
            "BU09990201",
            6858,
            750,
            (
                ("Dorpsstraat", ROW),
                ("Kerkpad", ROW),
                ("Molenweg", ROW),
                ("Schoolstraat", ROW),
                ("Eikenlaan", SPLIT),
            ),
        ),
        AreaSpec(
            "Buitengebied Eikendal",
            "BU09990202",
            6859,
            250,
            (("Eikendalseweg", ROW), ("Veldweg", ROW), ("Heideweg", ROW)),
        ),
    ),
    organisations=(
        _org(
            "Gemeente Rijnstede",
            "municipality",
            "Stadhuisplein 1, 6811 AB Rijnstede",
            "De gemeente, ook voor het dorp Eikendal.",
        ),
        _org(
            "Dorpsbedrijf Eikendal",
            "wijkbedrijf",
            "Brink 1, 6858 AA Eikendal",
            "Coöperatie van dorpsbewoners voor de winkel, het dorpshuis en vervoer.",
        ),
        _org(
            "Dorpswinkel Eikendal",
            "shop",
            "Brink 3, 6858 AA Eikendal",
            "Dorpswinkel met postpunt, gerund met vrijwilligers.",
        ),
        _org(
            "Stichting Dorpshuis De Eik",
            "foundation",
            "Brink 5, 6858 AA Eikendal",
            "Dorpshuis voor verenigingen, feesten en de wekelijkse soos.",
        ),
        _org(
            "Basisschool De Eikel",
            "school",
            "Brink 7, 6858 AA Eikendal",
            "Dorpsschool met 90 leerlingen.",
        ),
        _org(
            "Zorgboerderij De Eikenhof",
            "care",
            "Hoevepad 2, 6859 AA Eikendal",
            "Dagbesteding op de boerderij voor ouderen en mensen met een beperking.",
        ),
        _org(
            "Rijnstede Energie",
            "company",
            "Energieweg 8, 6861 AB Rijnstede",
            "Energieleverancier voor stroom en gas.",
        ),
    ),
    logins=(LoginSpec("bewoner@eikendal.demo", "resident"),),
)

DEMO_NEIGHBOURHOODS = (LINDENHOF, EIKENDAL)
EIKENDAL_HOUSEHOLDS = 60
