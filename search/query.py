"""Turns what a visitor types into a query that reads French the way they write it.

SQLite's full-text index already ignores case and accents, but it neither stems words
nor knows French filler words, so "les événements" would find nothing on a page titled
"Événement". PostgreSQL's ``french_unaccent`` configuration (see this app's migration)
does all of that itself; the query built here is just as valid there.

Nor does either know what young people type for what pages say: "rdv" for
"rendez-vous", "job" for "emploi". Each word also finds its synonyms, and words about
booking (`asks_to_book`) put the booking flow first, whatever the pages say.
"""

import re
import unicodedata

from wagtail.search.query import And, Or, PlainText

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Words that carry no meaning on their own: requiring them would hide good pages.
FILLER_WORDS = frozenset(
    """
    au aux avec ce ces comment dans de des du elle en est et il je la le les leur lui ma
    mes mon ne nos notre nous on ou où par pas pour quand que quel quelle quels quelles
    qui quoi sa se ses son sont sur ta te tes ton tu un une vos votre vous
    """.split()
)


# Words said for one another; a word typed finds pages with any word of its group. Written
# without accents (`plain`): the indexes ignore them. Several words ("rendez vous", as
# "rendez-vous" is indexed) must all appear.
SYNONYMS = [
    {"rdv", "rendez vous", "rendezvous"},
    {"conseille", "conseiller", "conseillere", "conseillers", "conseilleres"},
    {"cv", "curriculum vitae"},
    {"job", "emploi", "travail", "boulot", "taf"},
    {"alternance", "apprentissage"},
    {"appart", "appartement", "logement"},
]
SYNONYMS_OF = {word: group for group in SYNONYMS for word in group}

# Any of these typed, the booking flow is offered above the pages found.
BOOKING_WORDS = frozenset({"rdv", "rendez", "rendezvous", "reserver", "reservation"})


def plain(word):
    """The word in lower case without its accents, as the indexes compare them."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def clean_query(text):
    """The query as shown back to the visitor: whitespace collapsed, length bounded."""
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def words(text):
    """Meaningful words: letters and digits only (punctuation would break the index
    syntax), no elided letters such as the l of "l'atelier", no filler words unless
    they are all there is."""
    found = [word.lower() for word in re.findall(r"\w+", text) if len(word) > 1]
    meaningful = [word for word in found if word not in FILLER_WORDS]
    return (meaningful or found)[:MAX_TERMS]


def singular(word):
    """French plurals mostly add s or x: "ateliers" is "atelier", "jeux" is "jeu"."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def singular_and_plurals(word):
    """Match "atelier", "ateliers", "jeu" and "jeux"."""
    stem = singular(word)
    return [stem, stem + "s", stem + "x"]


def forms_of(word):
    """What may stand for the word in a page: its singular and plurals, and its
    synonyms (those of several words as they are)."""
    said = SYNONYMS_OF.get(plain(word)) or SYNONYMS_OF.get(plain(singular(word)), {word})
    return sorted(
        {form for one in said for form in ([one] if " " in one else singular_and_plurals(one))}
    )


def build_query(text):
    """Every meaningful word must appear, in the singular or the plural, or one of its
    synonyms; None if no word."""
    terms = [Or([PlainText(form) for form in forms_of(word)]) for word in words(text)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)


def asks_to_book(text):
    """Whether the visitor is looking for the booking flow: "rdv", "prendre rendez-vous",
    "réserver"…"""
    return any(plain(word) in BOOKING_WORDS for word in words(text))
