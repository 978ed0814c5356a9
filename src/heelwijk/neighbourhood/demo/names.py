"""First names by birth cohort and surnames, for the synthetic residents of the demo.

The lists were put together for this project from general knowledge of which names were common
in the Netherlands in each period; no name list was copied. Every combination is invented.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cohort:
    """Names given to children born from `since` on (until the next cohort starts)."""

    since: int
    male: tuple[str, ...]
    female: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _surnames(text: str) -> tuple[tuple[str, str], ...]:
    """'van der Meer, Jansen' -> (('van der', 'Meer'), ('', 'Jansen')); prefixes are lower case."""
    result = []
    for full in text.split(","):
        words = full.split()
        prefix = [w for w in words[:-1] if w[0].islower() or w[0] == "'"]
        result.append((" ".join(prefix), " ".join(words[len(prefix) :])))
    return tuple(result)


DUTCH_COHORTS: tuple[Cohort, ...] = (
    Cohort(
        0,
        _words(
            "Jan Kees Henk Willem Gerrit Piet Koos Theo Wim Ad Bert Gerard Frans Joop Ton "
            "Jaap Klaas Dirk Harm Cor"
        ),
        _words(
            "Maria Joke Annie Corrie Willy Lies Gerda Riet Ria Truus Tineke Greet Nel Bep "
            "Mien Jopie Dinie Hennie Trijntje Alie"
        ),
    ),
    Cohort(
        1950,
        _words(
            "Hans Peter Rob Paul Jan Gerard Henk Ronald René Frank Martin John Marcel Erik "
            "Wim Ruud Jos Harry Arie Leo"
        ),
        _words(
            "Marianne Ingrid Anja Monique Yvonne Petra Els Ineke Marian Anneke Karin "
            "Annemarie Jolanda Wilma Hanneke Carla Margreet Astrid Gonnie José"
        ),
    ),
    Cohort(
        1970,
        _words(
            "Mark Dennis Jeroen Marco Patrick Michel Edwin Arjan Richard Sander Martijn Bas "
            "Wouter Joost Niels Stefan Remco Erwin Vincent Maarten"
        ),
        _words(
            "Linda Sandra Marjolein Esther Wendy Mirjam Saskia Marieke Nicole Kim Ilse "
            "Marloes Suzanne Chantal Miranda Judith Anouk Femke Manon Kirsten"
        ),
    ),
    Cohort(
        1990,
        _words(
            "Tim Thomas Daan Lars Thijs Bram Jesse Niek Stijn Ruben Jelle Koen Max Joris "
            "Rick Luuk Sven Kevin Bart Tom"
        ),
        _words(
            "Lotte Sanne Lisa Laura Iris Eva Fleur Anne Julia Sophie Femke Britt Lieke Romy "
            "Demi Lisanne Maud Isa Kim Esmee"
        ),
    ),
    Cohort(
        2010,
        _words(
            "Noah Liam Luuk Finn Sem Lucas Daan Levi Mees Milan Bram James Adam Siem Jens "
            "Boaz Teun Olivier Gijs Ties"
        ),
        _words(
            "Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Evi Liv Lotte Saar Olivia Noor "
            "Fenna Nina Lina Hailey Roos"
        ),
    ),
)

DUTCH_SURNAMES = _surnames(
    "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, "
    "de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, "
    "de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan, "
    "Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn, de Bruin, "
    "van der Heijden, Schouten, van Beek, Willems, van Vliet, van de Ven, Hoekstra, Maas, "
    "Verhoeven, Koster, van Dam, van der Wal, Prins, Blom, Huisman, Peeters, de Lange, Kuipers, "
    "van Wijk, Post, Kuiper, Veenstra, Kramer, van den Brink, Scholten, van Wijngaarden, "
    "Timmermans, Groen, Gerritsen, Martens, Koning, van Rijn, Molenaar, Sanders, Wouters, "
    "de Vos, Evers, Bosch, Verbeek, Koopman, Hermans, Postma, Hoekman, van Doorn, Boer, "
    "van Loon, Aarts, van der Laan, Zwart, van Es, Schipper, Wolters, ter Horst, van 't Hof, "
    "in 't Veld, Claassen, van Gelder, Bouwman, op den Kamp, Vink, Mol, van Vugt, Rutten, "
    "ten Brink, van der Zee, Pronk"
)


@dataclass(frozen=True)
class Origin:
    """Names common among residents whose families came from elsewhere, part of every Dutch
    neighbourhood. One pool per origin keeps first names and surnames together."""

    weight: int  # share among residents of non-Dutch origin, per cent
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]


OTHER_ORIGINS: tuple[Origin, ...] = (
    Origin(
        30,
        _words("Mehmet Ahmet Mustafa Hüseyin Emre Burak Kerem Yusuf Mert Can"),
        _words("Fatma Ayşe Hatice Emine Zeynep Elif Esra Dilara Merve Büşra"),
        _surnames("Yilmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydin, Doğan, Arslan, Koç"),
    ),
    Origin(
        30,
        _words("Mohamed Abdelkader Hassan Driss Youssef Hamza Ayoub Rayan Ilias Bilal"),
        _words("Fatima Khadija Aicha Malika Rachida Yasmina Nour Salma Ikram Meryem"),
        _surnames(
            "el Amrani, Bouzid, Benali, el Idrissi, Ouali, Tahiri, Bakkali, Boukhari, Azzouzi, "
            "el Khatib"
        ),
    ),
    Origin(
        15,
        _words("Ramesh Krishna Rohan Anil Sunil Vikash Ravi Dinesh"),
        _words("Sarita Kamla Priya Anjali Shanti Reshma Sita Nisha"),
        _surnames("Ramdin, Sewbalak, Soekhoe, Jagroep, Ramsaran, Mahabier, Bhikhie"),
    ),
    Origin(
        12,
        _words("Tadeusz Andrzej Jakub Piotr Tomasz Marek Kamil"),
        _words("Halina Grażyna Zofia Agnieszka Katarzyna Magda Joanna"),
        _surnames("Nowak, Mazur, Wójcik, Kowalczyk, Krawczyk, Kaczmarek"),
    ),
    Origin(
        5,
        _words("Kwame Kofi Kwabena Yaw Kojo"),
        _words("Akosua Ama Abena Efua Adjoa"),
        _surnames("Mensah, Owusu, Boateng, Asante, Appiah"),
    ),
    Origin(
        4,
        _words("Minh Tuan Hung Duc"),
        _words("Linh Lan Mai Huong"),
        _surnames("Nguyen, Tran, Le, Pham"),
    ),
    Origin(
        4,
        _words("Ahmad Khaled Omar Samer Rami"),
        _words("Rana Lina Hala Reem Dima"),
        _surnames("Haddad, Hamid, Darwish, Aziz, Said"),
    ),
)


def cohort_for(cohorts: tuple[Cohort, ...], birth_year: int) -> Cohort:
    chosen = cohorts[0]
    for cohort in cohorts:
        if cohort.since <= birth_year:
            chosen = cohort
    return chosen
