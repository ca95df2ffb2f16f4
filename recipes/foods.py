"""Which food names are the same food: "egg" and "eggs", "tomato" and "tomatoes".

Not a singulariser: a key that an English singular and its plural both reach, so a
shopping list sums them. Only the last word (the head noun: "cherry tomatoes") is
folded, and the key is never shown. A few endings are made alike on both sides rather
than undone exactly ("berry" and "berries" both become "berrie"), which needs no word
list: what matters is that the two forms meet and different foods do not.
"""

import re

_WORD = re.compile(r"[^\W\d_]+")  # letters only
# Singulars that end in s: left alone ("hummus", "couscous", "asparagus", "swiss").
_SINGULAR_S_ENDINGS = ("ss", "us", "is")
# Sibilant ends take -es in the plural ("peach" -> "peaches"): the key adds the e.
_SIBILANT_ENDINGS = ("ch", "sh", "x", "z", "ss")


def _fold(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(_SINGULAR_S_ENDINGS):
        word = word[:-1]  # eggs, tomatoes, berries, leaves, peaches -> ...e
    if word.endswith(_SIBILANT_ENDINGS):
        return word + "e"  # peach ~ peache(s), glass ~ glasse(s)
    if word.endswith("oe"):
        return word[:-1]  # tomatoe(s) ~ tomato, avocado(s)
    if word.endswith("y"):
        return word[:-1] + "ie"  # berry ~ berrie(s), cookie(s)
    if word.endswith("fe"):
        return word[:-2] + "ve"  # knife ~ knive(s)
    if word.endswith("f"):
        return word[:-1] + "ve"  # leaf ~ leave(s), loaf ~ loave(s)
    return word


def food_key(food: str) -> str:
    """The food's name, lowercased with its spaces folded and its last word's plural
    folded into its singular's key."""
    words = food.lower().split()
    if words and _WORD.fullmatch(words[-1]):
        words[-1] = _fold(words[-1])
    return " ".join(words)
