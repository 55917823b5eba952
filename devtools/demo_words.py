"""Word lists behind the demo data (names, countries, organizations, support subjects) and the name helpers.

Small hand-written lists (no Faker: the machines are offline) in the languages of
the product's customers: Portuguese (Brazil), Spanish (Mexico, Argentina, Spain)
and English (US). Names contain letters only, never digits: the demo generator
relies on that to make emails and handles unique with a numeric suffix. The
helpers at the end build full names, email local parts and the name variants
("Joao"/"João", "Jon"/"John", swapped names) of duplicate profiles.
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache
from typing import NamedTuple


def _words(text: str) -> list[str]:
    """The lists below are written as running text for reading; names never contain spaces."""
    return text.split()


class Names(NamedTuple):
    female: list[str]
    male: list[str]
    surnames: list[str]
    two_given: float  # share of people with two given names ("Ana Paula", "Juan Carlos")
    email_surname: int  # which surname goes into email addresses: Brazilians use the last one


class Country(NamedTuple):
    code: str
    weight: int
    language: str
    native_names: float  # share of names from the country's language; the rest are Spanish
    two_surnames: float
    locales: tuple[str, ...]
    time_zones: tuple[str, ...]
    free_mail: tuple[str, ...]
    tld: str
    legal_suffixes: tuple[str, ...]
    cities: tuple[str, ...]
    phone_rate: float
    whatsapp_rate: float


NAMES = {
    "pt": Names(
        _words(
            """Ana Maria Juliana Fernanda Camila Beatriz Larissa Letícia Patrícia Aline Bruna Amanda Gabriela Mariana
            Luíza Isabela Carolina Tatiane Vanessa Renata Débora Cláudia Simone Sandra Conceição Raquel Priscila
            Thaís Natália Helena Alice Lívia Sofia Valentina Yasmin Jéssica Andrea Paula"""
        ),
        _words(
            """João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael Daniel Marcelo
            Bruno Eduardo Felipe Rodrigo Thiago Matheus Gustavo Leonardo Vinícius André Fábio Ricardo Sérgio Márcio
            Diego Caio Otávio Henrique Davi Arthur"""
        ),
        _words(
            """Silva Santos Oliveira Souza Sousa Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins
            Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes
            Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto Correia Cavalcanti
            Monteiro Moura Azevedo Batista Magalhães Brandão Guimarães Figueiredo"""
        ),
        0.25,
        -1,
    ),
    "es": Names(
        _words(
            """María Guadalupe Sofía Valentina Camila Lucía Martina Daniela Fernanda Gabriela Andrea Paula Carmen Laura
            Ana Isabel Elena Natalia Mariana Ximena Florencia Agustina Rocío Victoria Carolina Alejandra Verónica
            Claudia Patricia Julieta Pilar Inés Marta Renata Regina Vanessa"""
        ),
        _words(
            """José Juan Luis Carlos Jorge Miguel Javier Alejandro Francisco Antonio Manuel Pedro Diego Fernando
            Ricardo Sergio Andrés Santiago Mateo Sebastián Martín Nicolás Matías Tomás Joaquín Facundo Gonzalo Pablo
            Raúl Óscar Iván Emilio Rodrigo Héctor Álvaro Felipe"""
        ),
        _words(
            """García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández
            Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez
            Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina
            Garrido Cortés Castillo Santos Guerrero Flores Rivera Mendoza Cruz Reyes Aguilar Vargas Rojas Acosta
            Benítez Herrera Peralta Sosa Giménez Quiroga"""
        ),
        0.2,
        0,
    ),
    "en": Names(
        _words(
            """Emily Jessica Sarah Ashley Jennifer Amanda Elizabeth Megan Lauren Rachel Stephanie Nicole Hannah Olivia
            Emma Madison Abigail Grace Chloe Catherine Katherine Linda Susan Karen"""
        ),
        _words(
            """John Michael David James Robert William Christopher Matthew Joshua Daniel Andrew Ryan Brandon Tyler
            Kevin Jonathan Justin Eric Steven Thomas Brian Mark Jason Jon"""
        ),
        _words(
            """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee
            Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker
            Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins O'Brien Murphy
            Kelly Sullivan"""
        ),
        0.0,
        0,
    ),
}

# Spellings people and systems really mix up; used for the "name typo" duplicates.
TYPOS = dict(
    pair.split(">")
    for pair in _words(
        """John>Jon Jon>John Jonathan>Jonathon Michael>Micheal Luis>Luiz Luiz>Luis Felipe>Filipe Souza>Sousa
        Sousa>Souza Rafael>Raphael Thiago>Tiago Matheus>Mateus Isabel>Izabel Stephanie>Stefanie Catherine>Katherine
        Katherine>Catherine González>Gonzales Rodríguez>Rodrigues Vanessa>Vanesa Andrea>Andreia Jéssica>Jessica
        Gonçalves>Goncalves Sofía>Sophia Sofia>Sophia Ximena>Jimena Álvarez>Alvarez Yasmin>Jasmin"""
    )
)

COUNTRIES = {
    c.code: c
    for c in (
        Country("BR", 38, "pt", 1.0, 0.6, ("pt-BR",), ("America/Sao_Paulo", "America/Recife", "America/Manaus"),
                ("gmail.com", "hotmail.com", "yahoo.com.br", "outlook.com", "uol.com.br", "bol.com.br"), ".com.br",
                ("Ltda.", "S.A.", ""), ("Campinas", "Curitiba", "Recife", "Sul", "Nordeste", "Paulista", "Minas"),
                0.40, 0.55),
        Country("MX", 22, "es", 1.0, 0.6, ("es-MX",), ("America/Mexico_City", "America/Monterrey"),
                ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx"), ".com.mx",
                ("S.A. de C.V.", ""), ("del Norte", "Bajío", "Jalisco", "Monterrey", "Puebla", "Yucatán"), 0.45, 0.45),
        Country("AR", 14, "es", 1.0, 0.15, ("es-AR",), ("America/Argentina/Buenos_Aires",),
                ("gmail.com", "hotmail.com", "yahoo.com.ar", "outlook.com"), ".com.ar",
                ("S.R.L.", "S.A.", ""), ("Córdoba", "Rosario", "Patagonia", "Cuyo", "del Plata", "Pampeana"),
                0.40, 0.45),
        Country("ES", 10, "es", 1.0, 0.7, ("es-ES", "ca-ES"), ("Europe/Madrid",),
                ("gmail.com", "hotmail.es", "outlook.es", "yahoo.es"), ".es",
                ("S.L.", "S.A.", ""), ("Levante", "Ibérica", "Cantábrica", "Madrid", "Andalucía", "Galicia"),
                0.45, 0.35),
        Country("US", 16, "en", 0.7, 0.0, ("en-US", "es-US"), ("America/New_York", "America/Chicago",
                "America/Los_Angeles"), ("gmail.com", "yahoo.com", "outlook.com", "icloud.com"), ".com",
                ("Inc.", "LLC", ""), ("West", "East Coast", "Texas", "Bay Area", "Midwest", "Florida"), 0.60, 0.08),
    )
}  # fmt: skip
COUNTRY_BAG = [code for code, country in COUNTRIES.items() for _ in range(country.weight)]

US_AREA_CODES = _words("212 305 312 415 512 617 646 713 786 818 202 206 303 404 480 602 702 954 972 214")

ORG_STEMS = _words(
    """Acme Andina Atlântico Aurora Austral Bandeirantes Boreal Cóndor Cordillera Cruzeiro Delta Estrela Faro Fênix
    Girassol Guaraní Horizonte Ipê Jacarandá Lumen Maré Meridiano Mirador Nébula Norte Oceánica Pampa Paraná Pinhal
    Quetzal Solaris Tamarindo Tucán Vale Ventura Vértice Zafiro Pacífico Caribe Alameda Altiplano Araucária
    Candelária Sierra Nazca Tikal Itapuã Jequitibá Colibrí Mistral Alborada Arrecife Balsa Brisa Cactus Ceiba Cumbre
    Dunas Encina Laguna Macaw Nimbus Olmo Palmera Quimera Rumbo Sauce Tábua Umbral Yerba Zenit"""
)

SECTORS = {
    "pt": _words(
        """Logística Transportes Alimentos Seguros Tecnologia Construtora Farmacêutica Telecom Energia Educação Saúde
        Varejo Moda Agro Imóveis Turismo Consultoria Financeira Cosméticos Distribuidora"""
    ),
    "es": _words(
        """Logística Transportes Alimentos Seguros Tecnología Construcciones Farmacéutica Telecomunicaciones Energía
        Educación Salud Retail Moda Agroindustrial Inmobiliaria Viajes Consultores Financiera Cosmética Distribuidora"""
    ),
    "en": _words(
        """Logistics Foods Insurance Technologies Builders Pharma Telecom Energy Learning Health Retail Apparel Realty
        Travel Consulting Capital Labs Supply Outfitters Analytics"""
    ),
}

ORG_NOTES = [
    "Contrato anual, renovação em março.",
    "Cliente desde 2019; prefere contato por e-mail.",
    "Cuenta corporativa: escalar al gerente de cuenta.",
    "Facturación centralizada en la casa matriz.",
    "Enterprise plan, dedicated success manager.",
    "Horário de atendimento: 8h às 18h.",
]

USER_NOTES = {
    "pt": ["Prefere ser atendido pelo WhatsApp.", "Cliente VIP, responder em até 1 hora.", "Já reclamou no Procon."],
    "es": ["Prefiere que lo contacten por WhatsApp.", "Cliente VIP, prioridad alta.", "Habla solo por las mañanas."],
    "en": ["Prefers email.", "VIP customer, reply within one hour.", "Asked not to be called."],
}

_SUBJECT_TEXT = {
    "pt": """Pedido #{n} não chegou|Não consigo acessar minha conta|Troca de produto com defeito|Cobrança em duplicidade
    no cartão|Alterar endereço de entrega|Cancelamento da assinatura|Nota fiscal do pedido #{n}|Reembolso ainda não
    caiu|Dúvida sobre o plano empresarial|Senha não funciona|Prazo de entrega do pedido #{n}|Boleto vencido, como
    pagar?|Produto chegou quebrado|Quero falar com um atendente|Atualizar dados cadastrais|Problema com o app no
    Android|Pix não foi confirmado|Segunda via do boleto|Solicitação de orçamento|Elogio ao atendimento""",
    "es": """Mi pedido #{n} no ha llegado|No puedo iniciar sesión|Cambio de producto defectuoso|Cobro duplicado en mi
    tarjeta|Cambiar dirección de envío|Cancelar suscripción|Factura del pedido #{n}|¿Cuándo llega mi reembolso?|Consulta
    sobre el plan empresarial|Olvidé mi contraseña|Tiempo de entrega del pedido #{n}|El producto llegó dañado|Quiero
    hablar con un agente|Actualizar mis datos|La app se cierra sola|Transferencia no reflejada|Solicitud de
    cotización|Reclamo por demora|Felicitaciones al equipo|Problema con el código de descuento""",
    "en": """Order #{n} hasn't arrived|Can't log in to my account|Return a damaged item|Charged twice on my card|Change
    shipping address|Cancel my subscription|Invoice for order #{n}|Where is my refund?|Question about the business
    plan|Password reset not working|Delivery time for order #{n}|Talk to a human please|Update my account
    details|App crashes on iPhone|Discount code not applied|Request a quote|Complaint about late delivery|Thanks for
    the quick help""",
}
# One subject per "|"; the line breaks above are only for reading.
SUBJECTS = {language: [" ".join(s.split()) for s in text.split("|")] for language, text in _SUBJECT_TEXT.items()}


def fold(text: str) -> str:
    """Drop accents: 'João Gonçalves' -> 'Joao Goncalves'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@cache
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, as in an email address or a domain: 'O'Brien' -> 'obrien'."""
    return "".join(ch for ch in fold(text).lower() if ch.isascii() and ch.isalnum())


# (given names, surnames, index of the surname used in email addresses and handles)
Person = tuple[tuple[str, ...], tuple[str, ...], int]
# Email local parts; "{f}.{last}" twice as it is the most common one, the bare first name stays last.
LOCAL_PATTERNS = ("{f}.{last}", "{f}{last}", "{f}_{last}", "{i}{last}", "{f}.{last}", "{f}")


def full_name(person: Person) -> str:
    """Given names then surnames: 'Ana Paula Souza Lima'."""
    return " ".join(person[0] + person[1])


def email_local_part(person: Person, pattern: int) -> str:
    """The part before the @ in LOCAL_PATTERNS[pattern], ASCII only: 'ana.souza', 'asouza', 'ana'."""
    f, last = slug(person[0][0]), slug(person[1][person[2]])
    return LOCAL_PATTERNS[pattern].format(f=f, i=f[0], last=last)


def name_variant(rng: random.Random, person: Person, name: str, *, typo: bool) -> str:
    """The name a second profile of the same person got: the same, or a believable variant."""
    given, surnames, _ = person
    options = ["typo", "fold", "swap"] if typo else ["same"] * 4 + ["short"] * 2 + ["lower", "fold", "typo", "swap"]
    rng.shuffle(options)
    for option in [*options, "swap"]:
        if option == "same":
            return name
        if option == "lower":
            return name.lower()
        if option == "short" and (len(given) > 1 or len(surnames) > 1):
            return f"{given[0]} {surnames[-1]}"
        if option == "fold" and fold(name) != name:
            return fold(name)
        if option == "typo":
            tokens = name.split()
            for position, token in enumerate(tokens):
                if token in TYPOS:
                    tokens[position] = TYPOS[token]
                    return " ".join(tokens)
        if option == "swap":
            return f"{surnames[-1]} {' '.join(given)}"
    return name  # pragma: no cover - "swap" always returns
