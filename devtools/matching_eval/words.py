"""Name pools, nicknames, email providers and companies of the evaluation set.

Written for this set and kept apart from the demo data's lists and from the
matcher's own tables, so that neither can drift into the other: the set has to
stay a test of the matcher, not a copy of what it already knows.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> list[str]:
    return text.split()


class NamePool(NamedTuple):
    female: list[str]
    male: list[str]
    surnames: list[str]
    common_surnames: list[str]  # drawn from more often, so many people share them
    female_compound: list[str]  # two given names people always write together
    male_compound: list[str]
    particles: dict[str, str]  # surname -> the particle some families write before it ("da Silva")


POOLS: dict[str, NamePool] = {
    "pt": NamePool(
        _words(
            """Ana Maria Juliana Fernanda Camila Beatriz Larissa Letícia Patrícia Aline Bruna Amanda Gabriela Mariana
            Luíza Isabela Carolina Tatiane Vanessa Renata Débora Cláudia Simone Sandra Raquel Priscila Thaís Natália
            Helena Alice Lívia Sofia Valentina Yasmin Jéssica Adriana Luciana Daniela Francisca Antônia Márcia Rosana
            Sônia Vera Lúcia Célia Elaine Kátia Michele Viviane Rafaela Marcela Roberta Paula Júlia Isabel Alessandra"""
        ),
        _words(
            """João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Gabriel Rafael Daniel Marcelo Bruno
            Eduardo Felipe Rodrigo Thiago Matheus Gustavo Leonardo Vinícius André Fábio Ricardo Sérgio Márcio Diego
            Caio Otávio Henrique Davi Arthur Guilherme Roberto Alberto Renato Juliano Luciano Adriano Mário Fernando
            Alexandre Raimundo Sebastião Wagner Edson Cristiano Heitor Breno Diogo Júlio Manuel Joaquim"""
        ),
        _words(
            """Oliveira Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Almeida Lopes Soares
            Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso
            Ramos Gonçalves Santana Teixeira Araújo Pinto Correia Cavalcanti Monteiro Moura Azevedo Batista Magalhães
            Brandão Guimarães Figueiredo Campos Siqueira Tavares Borges Pacheco Rezende Medeiros Xavier Aguiar Peixoto
            Bezerra Queiroz Fontes Sampaio Coelho Miranda Farias Duarte Conceição Jesus"""
        ),
        _words("Silva Santos Souza Oliveira Pereira Lima Costa Ferreira"),
        ["Ana Paula", "Maria Eduarda", "Maria Luíza", "Ana Clara", "Maria Clara", "Ana Beatriz", "Maria Fernanda"],
        ["João Pedro", "Luiz Carlos", "José Carlos", "João Vitor", "Carlos Eduardo", "Luiz Fernando", "José Roberto"],
        {
            "Silva": "da",
            "Costa": "da",
            "Rocha": "da",
            "Conceição": "da",
            "Santos": "dos",
            "Souza": "de",
            "Oliveira": "de",
            "Almeida": "de",
            "Lima": "de",
            "Andrade": "de",
            "Carvalho": "de",
            "Freitas": "de",
            "Jesus": "de",
        },
    ),
    "es": NamePool(
        _words(
            """María Guadalupe Sofía Valentina Camila Lucía Martina Daniela Fernanda Gabriela Andrea Paula Carmen Laura
            Ana Isabel Elena Natalia Mariana Ximena Florencia Agustina Rocío Victoria Carolina Alejandra Verónica
            Claudia Patricia Julieta Pilar Inés Marta Renata Regina Dolores Rosario Mercedes Graciela Concepción
            Cristina Consuelo Adriana Luciana Manuela Francisca Antonia Julia Marcela Roberta"""
        ),
        _words(
            """José Juan Luis Carlos Jorge Miguel Javier Alejandro Francisco Antonio Manuel Pedro Diego Fernando Ricardo
            Sergio Andrés Santiago Mateo Sebastián Martín Nicolás Matías Tomás Joaquín Facundo Gonzalo Pablo Raúl Óscar
            Iván Emilio Rodrigo Héctor Álvaro Felipe Ignacio Jesús Enrique Eduardo Alberto Roberto Guillermo Ramón
            Federico Maximiliano Mario Daniel Gabriel Marcelo Julio Adrián"""
        ),
        _words(
            """Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz
            Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano
            Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido
            Cortés Castillo Guerrero Flores Rivera Mendoza Cruz Reyes Aguilar Vargas Rojas Acosta Benítez Herrera
            Peralta Sosa Giménez Quiroga Ibarra Salazar Cabrera Villalobos Espinoza Figueroa León Valle"""
        ),
        _words("García Hernández Martínez López González Rodríguez Pérez Sánchez"),
        ["María José", "María Fernanda", "Ana Sofía", "María Elena", "María del Carmen"],
        ["Juan Carlos", "José Luis", "Juan Pablo", "Luis Miguel", "José Antonio", "Juan Manuel"],
        {"Cruz": "de la", "León": "de", "Valle": "del", "Torres": "de"},
    ),
    "en": NamePool(
        _words(
            """Emily Jessica Sarah Ashley Jennifer Amanda Elizabeth Megan Lauren Rachel Stephanie Nicole Hannah Olivia
            Emma Madison Abigail Grace Chloe Katherine Linda Susan Karen Margaret Patricia Samantha Rebecca Deborah
            Kimberly Victoria Erica Danielle"""
        ),
        _words(
            """John Michael David James Robert William Christopher Matthew Joshua Daniel Andrew Ryan Brandon Tyler Kevin
            Jonathan Justin Eric Steven Thomas Brian Mark Jason Richard Joseph Anthony Edward Alexander Nicholas
            Benjamin Charles Timothy Gregory"""
        ),
        _words(
            """Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson
            White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter
            Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins O'Brien Murphy Kelly Sullivan"""
        ),
        _words("Smith Johnson Brown Williams Jones"),
        ["Mary Ann", "Anna Marie"],
        ["John Paul"],
        {},
    ),
    "de": NamePool(
        _words("Anna Katharina Elisabeth Julia Laura Lena Sabine Petra Claudia Monika Ursula Stefanie Lisa"),
        _words("Johannes Friedrich Josef Lukas Jonas Felix Stefan Thomas Andreas Michael Jürgen Klaus Wolfgang Tobias"),
        _words(
            """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
            Schröder Neumann Braun Zimmermann Krüger Hartmann"""
        ),
        _words("Müller Schmidt Schneider"),
        [],
        [],
        {},
    ),
    "fr": NamePool(
        _words("Camille Léa Manon Chloé Inès Sophie Nathalie Isabelle Élodie Céline Émilie Hélène Juliette Margaux"),
        _words("Nicolas Julien Thomas Pierre Antoine Frédéric Alexandre Mathieu Olivier Sébastien Étienne Benoît"),
        _words(
            """Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Leroy Roux David Bertrand Morel
            Fournier Girard Bonnet Dupont Lambert Fontaine"""
        ),
        _words("Martin Bernard Dubois"),
        ["Marie Claire", "Anne Sophie"],
        ["Jean Pierre", "Jean Marc"],
        {},
    ),
    "it": NamePool(
        _words("Giulia Francesca Chiara Sara Martina Alessia Valentina Federica Elena Silvia Paola Roberta Giorgia"),
        _words(
            """Giuseppe Giovanni Francesco Alessandro Salvatore Antonio Marco Luca Matteo Lorenzo Andrea Vincenzo
            Stefano Davide Roberto"""
        ),
        _words(
            """Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
            Mancini Costa Giordano Rizzo Lombardi Moretti"""
        )
        + ["De Luca"],  # one surname of two words: not split like the rest
        _words("Rossi Russo Ferrari"),
        ["Maria Grazia", "Anna Maria"],
        ["Gian Luca", "Pier Paolo"],
        {},
    ),
}

# What people call themselves or are called by, per culture: the formal given name -> familiar forms.
NICKNAMES: dict[str, dict[str, list[str]]] = {
    "pt": {
        "Antônio": ["Toninho", "Tonho"],
        "Francisco": ["Chico"],
        "José": ["Zé"],
        "Eduardo": ["Dudu", "Edu"],
        "Guilherme": ["Gui"],
        "Rafael": ["Rafa"],
        "Gabriela": ["Gabi"],
        "Fernanda": ["Nanda"],
        "Leonardo": ["Léo"],
        "Vinícius": ["Vini"],
        "Roberto": ["Beto"],
        "Alberto": ["Beto"],
        "Isabela": ["Bela", "Isa"],
        "Isabel": ["Bel"],
        "Mariana": ["Mari"],
        "Patrícia": ["Pati"],
        "Beatriz": ["Bia"],
        "Luciana": ["Lu"],
        "Daniela": ["Dani"],
        "Daniel": ["Dani"],
        "Juliana": ["Ju"],
        "Alexandre": ["Alê"],
        "Alessandra": ["Alê"],
        "Gustavo": ["Guto", "Guga"],
        "Henrique": ["Rique"],
        "Raimundo": ["Mundinho"],
        "Sebastião": ["Tião"],
        "Maria Eduarda": ["Duda"],
        "Maria Luíza": ["Malu"],
        "Joaquim": ["Quim"],
    },
    "es": {
        "José": ["Pepe"],
        "Francisco": ["Paco", "Pancho"],
        "Eduardo": ["Lalo"],
        "Guadalupe": ["Lupe", "Lupita"],
        "Ignacio": ["Nacho"],
        "Jesús": ["Chucho", "Chuy"],
        "Enrique": ["Quique"],
        "Alejandro": ["Alex", "Ale"],
        "Dolores": ["Lola"],
        "Rosario": ["Charo"],
        "Manuel": ["Manolo", "Manu"],
        "Fernando": ["Nando"],
        "Guillermo": ["Memo", "Guille"],
        "Concepción": ["Concha", "Conchita"],
        "Mercedes": ["Meche"],
        "Graciela": ["Chela"],
        "Consuelo": ["Chelo"],
        "Ramón": ["Moncho"],
        "Roberto": ["Beto"],
        "Alberto": ["Beto"],
        "Santiago": ["Santi"],
        "Sebastián": ["Seba"],
        "Nicolás": ["Nico"],
        "Gonzalo": ["Gonza"],
        "Federico": ["Fede"],
        "Valentina": ["Vale"],
        "Florencia": ["Flor"],
        "Agustina": ["Agus"],
        "Maximiliano": ["Maxi"],
        "Patricia": ["Pati"],
        "Cristina": ["Cris"],
        "Isabel": ["Chabela"],
        "Daniel": ["Dani"],
        "María José": ["Majo"],
        "José Luis": ["Pepe"],
    },
    "en": {
        "Robert": ["Bob", "Rob", "Bobby"],
        "William": ["Bill", "Will", "Billy"],
        "Elizabeth": ["Liz", "Beth", "Betty"],
        "Richard": ["Rick", "Dick"],
        "James": ["Jim", "Jimmy"],
        "Michael": ["Mike"],
        "Christopher": ["Chris"],
        "Jennifer": ["Jen", "Jenny"],
        "Katherine": ["Kate", "Kathy"],
        "Margaret": ["Maggie", "Peggy"],
        "Patricia": ["Patty", "Trish"],
        "Thomas": ["Tom", "Tommy"],
        "Daniel": ["Dan", "Danny"],
        "Joseph": ["Joe"],
        "Anthony": ["Tony"],
        "Edward": ["Ed", "Ted"],
        "Alexander": ["Alex"],
        "Nicholas": ["Nick"],
        "Matthew": ["Matt"],
        "Andrew": ["Andy"],
        "Steven": ["Steve"],
        "Samantha": ["Sam"],
        "Jonathan": ["Jon"],
        "Benjamin": ["Ben"],
        "Charles": ["Charlie", "Chuck"],
        "Deborah": ["Debbie"],
        "Susan": ["Sue"],
        "Rebecca": ["Becky"],
        "Timothy": ["Tim"],
        "Gregory": ["Greg"],
        "Kimberly": ["Kim"],
        "Victoria": ["Vicky"],
    },
    "de": {
        "Johannes": ["Hans"],
        "Katharina": ["Kathi"],
        "Friedrich": ["Fritz"],
        "Josef": ["Sepp"],
        "Elisabeth": ["Lisa"],
    },
    "fr": {"Frédéric": ["Fred"], "Alexandre": ["Alex"], "Nicolas": ["Nico"]},
    "it": {
        "Giuseppe": ["Beppe", "Peppe"],
        "Giovanni": ["Gianni"],
        "Salvatore": ["Totò"],
        "Vincenzo": ["Enzo"],
        "Alessandro": ["Sandro"],
    },
}

# Different people whose given names are one or two letters apart.
LOOKALIKE_GIVEN: list[tuple[str, str, str]] = [
    ("pt", "Mário", "Maria"),
    ("pt", "Daniel", "Daniela"),
    ("pt", "Gabriel", "Gabriela"),
    ("pt", "Paulo", "Paula"),
    ("pt", "Fernando", "Fernanda"),
    ("pt", "Juliano", "Juliana"),
    ("pt", "Luciano", "Luciana"),
    ("pt", "Adriano", "Adriana"),
    ("pt", "Francisco", "Francisca"),
    ("pt", "Antônio", "Antônia"),
    ("pt", "Júlio", "Júlia"),
    ("pt", "Rafael", "Rafaela"),
    ("pt", "Marcelo", "Marcela"),
    ("pt", "Renato", "Renata"),
    ("pt", "Roberto", "Roberta"),
    ("pt", "Alexandre", "Alessandra"),
    ("pt", "Bruno", "Breno"),
    ("pt", "Diego", "Diogo"),
    ("pt", "Marcos", "Márcio"),
    ("pt", "Cristiano", "Cristiane"),
    ("es", "Mario", "María"),
    ("es", "Manuel", "Manuela"),
    ("es", "Carlos", "Carla"),
    ("es", "Julio", "Julia"),
    ("es", "Adrián", "Adriana"),
    ("es", "Martín", "Martina"),
    ("es", "Antonio", "Antonia"),
    ("es", "Gabriel", "Gabriela"),
    ("en", "Eric", "Erica"),
    ("en", "Daniel", "Danielle"),
]

# Names that give a crowd of different people in any customer base.
COMMON_NAMES: list[tuple[str, str, str]] = [
    ("pt", "Maria", "Silva"),
    ("pt", "José", "Santos"),
    ("pt", "Ana", "Oliveira"),
    ("pt", "João", "Souza"),
    ("pt", "Francisco", "Pereira"),
    ("pt", "Antônio", "Silva"),
    ("pt", "Ana", "Santos"),
    ("pt", "Carlos", "Costa"),
    ("pt", "Maria", "Souza"),
    ("pt", "Paulo", "Lima"),
    ("es", "María", "García"),
    ("es", "Juan", "Hernández"),
    ("es", "José", "López"),
    ("es", "Luis", "González"),
    ("es", "Ana", "Martínez"),
    ("en", "John", "Smith"),
    ("en", "Michael", "Johnson"),
    ("en", "Jennifer", "Brown"),
]


class Company(NamedTuple):
    name: str
    domain: str
    country: str
    email_pattern: str  # how its addresses are built: see generate._local_part


COMPANIES: list[Company] = [
    Company("Transportes Andorinha Ltda.", "andorinha.com.br", "BR", "first.last"),
    Company("Grupo Ipê Alimentos", "grupoipe.com.br", "BR", "flast"),
    Company("Drogaria Vida Plena", "vidaplena.com.br", "BR", "first.last"),
    Company("Construtora Horizonte S.A.", "horizonteconstrutora.com.br", "BR", "first.last"),
    Company("Banco Meridiano", "bancomeridiano.com.br", "BR", "first.last"),
    Company("Atlântico Seguros", "atlanticoseguros.com.br", "BR", "firstlast"),
    Company("Colégio Jacarandá", "colegiojacaranda.edu.br", "BR", "first.last"),
    Company("Hospital Santa Clara", "hsantaclara.org.br", "BR", "first_last"),
    Company("Maré Telecom", "maretelecom.com.br", "BR", "flast"),
    Company("Agro Cerrado Ltda.", "agrocerrado.com.br", "BR", "first"),
    Company("Lojas Girassol", "lojasgirassol.com.br", "BR", "first.last"),
    Company("Vértice Tecnologia", "vertice.tec.br", "BR", "first.last"),
    Company("Cooperativa Pampa Sul", "pampasul.coop.br", "BR", "firstlast"),
    Company("Editora Candeia", "editoracandeia.com.br", "BR", "first.last"),
    Company("Souza & Filhos Materiais de Construção", "souzaefilhos.com.br", "BR", "first"),
    Company("Logística Bandeirantes", "logbandeirantes.com.br", "BR", "flast"),
    Company("Clínica Sorriso Aberto", "sorrisoaberto.com.br", "BR", "first.last"),
    Company("Pousada Itapuã", "pousadaitapua.com.br", "BR", "first"),
    Company("Prefeitura de Nova Esperança", "novaesperanca.sp.gov.br", "BR", "first.last"),
    Company("Universidade Federal do Vale", "ufvale.edu.br", "BR", "first.last"),
    Company("Abarrotes Quetzal S.A. de C.V.", "quetzal.com.mx", "MX", "flast"),
    Company("Grupo Cóndor", "grupocondor.mx", "MX", "first.last"),
    Company("Transportes del Bajío", "tbajio.com.mx", "MX", "first.last"),
    Company("Farmacias Colibrí", "farmaciascolibri.com.mx", "MX", "firstlast"),
    Company("La Pampeana Yerba Mate", "lapampeana.com.ar", "AR", "flast"),
    Company("Estudio Contable Rossi & Asoc.", "estudiorossi.com.ar", "AR", "first"),
    Company("Cordillera Turismo", "cordilleraturismo.com.ar", "AR", "first.last"),
    Company("Nimbus Analytics Inc.", "nimbusanalytics.com", "US", "first.last"),
    Company("Bayview Dental Group", "bayviewdental.com", "US", "flast"),
    Company("Redwood Outfitters", "redwoodoutfitters.com", "US", "first.last"),
    Company("Summit Legal LLP", "summitlegal.com", "US", "flast"),
    Company("Quinta do Mistral Lda.", "quintadomistral.pt", "PT", "first.last"),
    Company("Tábua Rasa Design Lda.", "tabuarasa.pt", "PT", "first"),
    Company("Mirador Viajes S.L.", "miradorviajes.es", "ES", "first.last"),
    Company("Laguna Seguros", "lagunaseguros.es", "ES", "flast"),
    Company("Kessler Maschinenbau GmbH", "kessler-maschinenbau.de", "DE", "first.last"),
    Company("Ferri Arredamenti S.r.l.", "ferriarredamenti.it", "IT", "first.last"),
    Company("Atelier Lumière SARL", "atelier-lumiere.fr", "FR", "first.last"),
]

# Personal mailboxes by the customer's country, most used first (drawn with these weights).
FREE_MAIL: dict[str, list[tuple[str, int]]] = {
    "BR": [
        ("gmail.com", 55),
        ("hotmail.com", 14),
        ("yahoo.com.br", 8),
        ("outlook.com", 8),
        ("uol.com.br", 5),
        ("bol.com.br", 4),
        ("icloud.com", 4),
        ("terra.com.br", 2),
    ],
    "MX": [("gmail.com", 50), ("hotmail.com", 30), ("outlook.com", 10), ("yahoo.com.mx", 10)],
    "AR": [("gmail.com", 55), ("hotmail.com", 25), ("yahoo.com.ar", 15), ("outlook.com", 5)],
    "US": [("gmail.com", 50), ("yahoo.com", 20), ("outlook.com", 12), ("icloud.com", 12), ("aol.com", 6)],
    "PT": [("gmail.com", 55), ("sapo.pt", 20), ("hotmail.com", 25)],
    "ES": [("gmail.com", 50), ("hotmail.es", 25), ("outlook.es", 15), ("yahoo.es", 10)],
}
FREE_MAIL_DOMAINS = frozenset(domain for providers in FREE_MAIL.values() for domain, _ in providers) | {
    "googlemail.com"
}

# Where customers of each phone country get their names from (culture, weight).
CULTURES: dict[str, list[tuple[str, int]]] = {
    "BR": [("pt", 92), ("es", 2), ("it", 3), ("de", 2), ("en", 1)],
    "MX": [("es", 96), ("en", 4)],
    "AR": [("es", 82), ("it", 15), ("de", 3)],
    "US": [("en", 72), ("es", 20), ("it", 4), ("de", 2), ("fr", 2)],
    "PT": [("pt", 90), ("fr", 10)],
    "ES": [("es", 85), ("fr", 6), ("de", 5), ("it", 4)],
}
# Where people of a language live, for sets built around a name rather than a country (drawn uniformly).
LANGUAGE_COUNTRIES: dict[str, list[str]] = {
    "pt": ["BR"] * 6 + ["PT"],
    "es": ["MX", "MX", "AR", "AR", "ES"],
    "en": ["US"],
}
COUNTRIES: list[tuple[str, int]] = [("BR", 62), ("MX", 11), ("AR", 8), ("US", 10), ("PT", 4), ("ES", 5)]

# The tags customers add to a Gmail address to sort their mail.
PLUS_TAGS = _words("loja compras pedidos suporte promo news ml amazon netflix trabalho shop orders")
EMOJI = ["🌻", "🙏", "⚽", "💙", "✨", "🌸", "😊", "🇧🇷"]
EXTERNAL_ID_PREFIXES = ["CUST", "CLI", "ACC", "CRM"]

# Unusual surnames, per culture: a full name carrying one (often with a second surname) is all but unique, so
# on its own it is evidence. Drawn now and then for everybody (`names.surnames_for`), always for `names.rare_person`.
RARE_SURNAMES: dict[str, list[str]] = {
    "pt": _words(
        """Albuquerque Bittencourt Wanderley Vasconcelos Nóbrega Trindade Valadares Quintela Sabino Bragança Arruda
        Falcão Meireles Leitão Paixão Sobral Loureiro Caldeira Mascarenhas Salgueiro Portela Lacerda Mourão
        Vilela Junqueira Prudente Serpa Boaventura Goulart Tenório Estrela Cerqueira Assunção Bandeira
        Montalvão Frota Uchôa Negreiros Pestana Sarmento Themudo Aragão Lustosa Gusmão"""
    ),
    "es": _words(
        """Echeverría Irigoyen Zubizarreta Olazábal Arrieta Villaseñor Bustamante Cienfuegos Valdivia Urquiza Aldana
        Betancourt Goicoechea Larrañaga Montenegro Saavedra Sepúlveda Barrenechea Anchondo Ybarra Zavaleta
        Covarrubias Landázuri Arteaga Bermúdez Ugarte Elizondo Alcocer Mondragón Solórzano Altamirano Iturbide
        Lizárraga Peñaloza Arizmendi Echenique Santisteban Villavicencio"""
    ),
    "en": _words("Whitcombe Ashworth Pemberton Fairbanks Thornbury Kettering Holloway Blackwood Winslow Hargreaves"),
    "de": _words("Oberhauser Brandtner Lichtenberg Eisenhauer Falkenberg Rosenthal Hollweg"),
    "fr": _words("Beaulieu Delacroix Duplessis Montclair Lamarque Villeneuve"),
    "it": _words("Bevilacqua Scarpetta Quattrocchi Santangelo Fiorentino Mastroianni Buonocore"),
}

# The systems a desk imports customers from (a CRM, a shop, an old help desk …), each numbering its records
# its own way: (prefix, separator, digits) -> 'CRM-0042', 'SHOP-88123', 'ZD-5512', 'ERP0012345' …
SOURCE_SYSTEMS: list[tuple[str, str, int]] = [
    ("CRM", "-", 4),
    ("SHOP", "-", 5),
    ("ZD", "-", 4),
    ("ERP", "", 7),
    ("WEB", "_", 6),
    ("NL", "-", 6),
]
