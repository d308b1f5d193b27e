"""Turns what a visitor types into a query that reads French the way they write it.

SQLite's full-text index already ignores case and accents, but it neither stems words
nor knows French filler words, so "les événements" would find nothing on a page titled
"Événement". PostgreSQL's ``french_unaccent`` configuration (see this app's migration)
does all of that itself; the query built here is just as valid there.
"""

import re

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


def singular_and_plurals(word):
    """French plurals mostly add s or x: match "atelier", "ateliers", "jeu" and "jeux"."""
    stem = word[:-1] if len(word) > 3 and word[-1] in "sx" else word
    return [stem, stem + "s", stem + "x"]


def build_query(text):
    """Every meaningful word must appear, in the singular or the plural; None if no word."""
    terms = [Or([PlainText(form) for form in singular_and_plurals(w)]) for w in words(text)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else And(terms)
