"""GSM 03.38, the 7-bit alphabet every phone reads: what fits in one text message.

An SMS carries 160 septets. A character of the basic table costs one, one of the
extension table (€ [ ] { } ^ ~ | \\ and form feed) two, through the escape. One
character outside both (ç, ê, ’, a non-breaking space…) turns the whole message into
UCS-2: 70 characters, or 67 per part once split, so a reminder becomes two or three
paid messages. `normalise` maps French text onto the basic table, and every SMS we
send goes through it.
"""

import math
import unicodedata

# The basic table in code order (0x1B, the escape, is not a character of its own).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "\f^{}\\[~]|€"
BASIC_SET = frozenset(BASIC) - {"\x1b"}
EXTENSION_SET = frozenset(EXTENSION)

SINGLE_SEPTETS = 160
CONCATENATED_SEPTETS = 153
SINGLE_UCS2 = 70
CONCATENATED_UCS2 = 67

# What French (and a few neighbours) write that GSM-7 lacks, mapped onto what it has.
# Letters it keeps (é è à ù, Ç, É, Ä Ö Ü…) stay; the rest lose their accent.
REPLACEMENTS = {
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "‚": "'",
    "′": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "‑": "-",
    "−": "-",
    "…": "...",
    "\u00a0": " ",  # no-break space, before ":" in French formats
    "\u202f": " ",  # narrow no-break space, French typography's before ; ! ?
    "\u2009": " ",
    "\u2007": " ",
    "\t": " ",
    "•": "-",
    "·": ".",
}


def is_gsm7(text):
    return all(char in BASIC_SET or char in EXTENSION_SET for char in text)


def septets(text):
    """How many septets `text` takes in GSM-7 (extension characters count two)."""
    return sum(2 if char in EXTENSION_SET else 1 for char in text)


def segments(text):
    """How many SMS `text` is billed as: GSM-7 if it can be, else UCS-2."""
    if is_gsm7(text):
        size, single, part = septets(text), SINGLE_SEPTETS, CONCATENATED_SEPTETS
    else:
        # UCS-2 counts UTF-16 code units: an emoji takes two.
        size, single, part = len(text.encode("utf-16-le")) // 2, SINGLE_UCS2, CONCATENATED_UCS2
    return 1 if size <= single else math.ceil(size / part)


def fits_one_segment(text):
    return is_gsm7(text) and septets(text) <= SINGLE_SEPTETS


def normalise(text):
    """`text` in GSM-7 only: typographic quotes, dashes and spaces made plain, accents
    GSM-7 lacks dropped (ç → c, â → a, ô → o…), anything else left unreadable replaced
    by "?" rather than turning the message into UCS-2."""
    return "".join(_gsm7_char(char) for char in text)


def _gsm7_char(char):
    if char in BASIC_SET or char in EXTENSION_SET:
        return char
    if char in REPLACEMENTS:
        return REPLACEMENTS[char]
    bare = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    if bare and all(part in BASIC_SET for part in bare):
        return bare
    return "?"
