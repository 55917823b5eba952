"""Given names that are the same person's name: Robert/Bob, William/Bill, José/Pepe, Francisco/Paco, Giuseppe/Peppe.

English names come from the `nicknames` package (a hand-curated data set);
Portuguese, Spanish and a few Italian ones, which it lacks and our customers mostly have, from
the small table below. Names are compared folded (lower case, no accents).
"""

from __future__ import annotations

from functools import lru_cache

from nicknames import NickNamer

# Folded given name → its common short forms in Brazil, Portugal and Spanish-speaking countries.
LATIN_NICKNAMES: dict[str, tuple[str, ...]] = {
    "jose": ("pepe", "ze", "pepito", "chepe"),
    "francisco": ("paco", "pancho", "chico", "quico", "kiko", "chicao"),
    "antonio": ("toninho", "tonho", "tono", "tonio", "toni"),
    "eduardo": ("edu", "dudu", "lalo"),
    "roberto": ("beto", "tito", "robertinho"),
    "alberto": ("beto", "albertinho"),
    "guillermo": ("memo", "guille"),
    "manuel": ("manolo", "manu", "mane", "manel"),
    "jesus": ("chucho", "chuy", "chus"),
    "ignacio": ("nacho",),
    "enrique": ("quique",),
    "dolores": ("lola",),
    "rosario": ("charo",),
    "guadalupe": ("lupe",),
    "luis": ("lucho", "luisinho"),
    "luiz": ("luizinho",),
    "alejandro": ("ale", "alex", "jando"),
    "alexandre": ("alex", "xande"),
    "fernando": ("nando", "fer"),
    "fernanda": ("nanda", "fer", "fe"),
    "gabriel": ("gabi", "biel"),
    "gabriela": ("gabi", "gaby"),
    "rafael": ("rafa",),
    "rafaela": ("rafa",),
    "ricardo": ("rico", "cadu", "ricky"),
    "carlos": ("caca", "carlinhos", "charly"),
    "mariana": ("mari",),
    "isabel": ("bel", "isa", "chabela"),
    "isabela": ("bela", "isa"),
    "beatriz": ("bia", "bea"),
    "juliana": ("ju", "juli"),
    "patricia": ("pati", "paty"),
    "rodrigo": ("digo", "rodri"),
    "vinicius": ("vini",),
    "henrique": ("rique", "henri"),
    "joao": ("joaozinho", "jao"),
    "pedro": ("pedrinho", "perico", "pepo"),
    "jorge": ("jorginho", "coco"),
    "margarida": ("guida",),
    "margarita": ("rita", "marga"),
    "concepcion": ("concha", "conchita"),
    "consuelo": ("chelo",),
    "josefa": ("pepa", "fina"),
    "josefina": ("pepa", "fina"),
    "teresa": ("tere", "teca"),
    "guilherme": ("gui",),
    "leonardo": ("leo",),
    "gustavo": ("guga", "guto", "tavo"),
    "daniel": ("dani",),
    "daniela": ("dani",),
    "marcelo": ("celo", "marcelinho"),
    "luciana": ("lu",),
    "cristina": ("cris", "tina"),
    "cristiano": ("cris",),
    "raimundo": ("mundinho",),
    "sebastiao": ("tiao",),
    "sebastian": ("seba",),
    "santiago": ("santi", "chago"),
    "federico": ("fede",),
    "maximiliano": ("maxi", "max"),
    "valentina": ("vale", "valen"),
    "agustin": ("agus", "tincho"),
    "martin": ("tincho",),
    "agustina": ("agus", "tina"),
    "joaquim": ("quim",),
    "joaquin": ("quino", "joaco", "chimo"),
    "maria": ("malu", "mari", "mariquita"),
    "giuseppe": ("peppe", "beppe", "pino"),
    "giovanni": ("gianni", "nino"),
    "francesco": ("franco", "checco"),
}

_namer = NickNamer()
_LATIN_LINKS: dict[str, set[str]] = {}
for _full, _shorts in LATIN_NICKNAMES.items():
    for _short in _shorts:
        _LATIN_LINKS.setdefault(_full, set()).add(_short)
        _LATIN_LINKS.setdefault(_short, set()).add(_full)


@lru_cache(maxsize=65536)
def name_family(given: str) -> frozenset[str]:
    """`given` (folded) and every name it is a nickname of or a formal name for."""
    related = {given, *_LATIN_LINKS.get(given, ())}
    related |= _namer.nicknames_of(given) | _namer.canonicals_of(given)
    return frozenset(related)


def same_given_name(a: str, b: str) -> bool:
    """Whether two folded given names can be the same person's: equal, or one a nickname of the other."""
    if a == b:
        return True
    family_a, family_b = name_family(a), name_family(b)
    # Bob and Rob are both Robert: a shared formal name links two nicknames.
    return b in family_a or a in family_b or bool(family_a & family_b - {a, b})
