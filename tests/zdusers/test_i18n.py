"""The interface speaks the agent's language: English, Brazilian Portuguese or Spanish.

The language comes from the language cookie (the top bar's chooser), else the browser's
Accept-Language, else English. Only the interface is translated: names, stored reasons and
log lines stay as they were written.
"""

from __future__ import annotations

import gettext as python_gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from intake.models import DeliveryOutcome, Provider
from profiles.duplicates.matching import REASON_KINDS
from profiles.duplicates.selectors import TIERS
from profiles.identities import IdentityKind
from profiles.models import CandidateStatus, ContactChannel, ContactStatus, EndUserSource
from profiles.services.identities import add_identity
from tests.factories import ContactFactory, EndUserFactory
from zdusers.choice_labels import MARKED_LABELS

pytestmark = pytest.mark.django_db


LOCALE = Path(settings.BASE_DIR) / "locale"

# Interface words of the four pages that must not survive in Portuguese or Spanish (whole words, case-sensitive).
ENGLISH_WORDS = [
    "Home",
    "Users",
    "Log a call",
    "Duplicates",
    "Organizations",
    "Search",
    "Filters",
    "Apply",
    "No customers match",
    "New profile",
    "Log out",
    "Skip to content",
    "Contact points",
    "Possible duplicates",
    "Contacts across all channels",
    "Edit details",
    "Who is calling",
    "What happened",
    "Summary",
    "Subject",
    "Cancel",
    "Nothing to review",
    "Created",
    "Primary email",
]

# What each language must say on the pages (a few specific strings per page).
EXPECTED = {
    "pt-br": {
        "directory": ["Usuários", "Buscar", "Filtros", "Nenhum cliente encontrado", "Novo perfil", "Sair"],
        "directory_rows": ["E-mail principal", "Telefone principal", "Criado em", "Organização", "Contatos"],
        "profile": ["Pontos de contato", "Contatos em todos os canais", "Possíveis duplicados", "Ligação telefônica"],
        "log_call": ["Registrar ligação", "Quem está ligando", "O que aconteceu", "Resumo", "Atendimento presencial"],
        "duplicates": ["Duplicados", "Nada para revisar", "Probabilidade"],
    },
    "es": {
        "directory": ["Usuarios", "Buscar", "Filtros", "Ningún cliente coincide", "Perfil nuevo", "Cerrar sesión"],
        "directory_rows": ["Correo principal", "Teléfono principal", "Creado el", "Organización", "Contactos"],
        "profile": [
            "Puntos de contacto",
            "Contactos en todos los canales",
            "Posibles duplicados",
            "Llamada telefónica",
        ],
        "log_call": ["Registrar llamada", "Quién llama", "Qué pasó", "Resumen", "Atención presencial"],
        "duplicates": ["Duplicados", "Nada que revisar", "Probabilidad"],
    },
}


class _VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes outside script/style, plus title, aria-label,
    placeholder and the values of buttons."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(response) -> str:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def english_words_in(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def client_for(agent, accept_language: str | None) -> Client:
    client = Client(headers={"accept-language": accept_language} if accept_language else {})
    client.force_login(agent)
    return client


@pytest.fixture
def customer(agent):
    """A profile with a phone line and one call on its timeline (no email, so the nudge shows)."""
    profile = EndUserFactory(name="Ana Souza")
    add_identity(user=profile, kind="phone", value="+55 11 98765-4321")
    ContactFactory(requester=profile, channel=ContactChannel.VOICE, subject="Refund for order 1042")
    return profile


def pages(customer) -> dict[str, str]:
    return {
        "directory": "/users/?q=nobody-has-this-name",
        "directory_rows": "/users/?sort=name",
        "profile": f"/users/{customer.pk}/",
        "log_call": "/calls/new/",
        "duplicates": "/duplicates/",
    }


@pytest.mark.parametrize("language", ["pt-BR", "es"])
def test_with_accept_language_the_main_pages_speak_it_and_no_english_interface_word_is_left(agent, customer, language):
    client = client_for(agent, f"{language},en;q=0.5")
    expected = EXPECTED[language.lower()]
    for page, url in pages(customer).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language.lower()
        text = visible_text(response)
        for phrase in expected[page]:
            assert phrase in text, f"{url}: {phrase!r} missing"
        assert english_words_in(text) == [], url
        # The data is not translated: the customer's name and the call's subject read as written.
        if page == "profile":
            assert "Ana Souza" in text and "Refund for order 1042" in text


def test_without_accept_language_the_pages_are_in_english(agent, customer):
    client = client_for(agent, None)
    text = visible_text(client.get(f"/users/{customer.pk}/"))
    assert "Contact points" in text and "Pontos de contato" not in text
    assert '<html lang="en">' in client.get("/users/").content.decode()


def test_the_page_declares_its_language(agent, customer):
    assert '<html lang="pt-br">' in client_for(agent, "pt-BR").get("/users/").content.decode()


def test_choosing_a_language_in_the_top_bar_switches_and_is_remembered_on_the_next_page(agent, customer):
    client = client_for(agent, "en")
    page = client.get("/users/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language" value="es"' in page

    response = client.post("/i18n/setlang/", {"language": "es", "next": "/users/"})

    assert response.status_code == 302 and response["Location"] == "/users/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    # The browser still asks for English; the choice wins, page after page.
    assert "Usuarios" in visible_text(client.get("/users/"))
    assert "Puntos de contacto" in visible_text(client.get(f"/users/{customer.pk}/"))
    assert 'value="es" lang="es" title="Español" aria-pressed="true"' in client.get("/").content.decode()


def test_the_login_page_offers_the_choice_before_signing_in(client):
    assert 'name="language" value="pt-br"' in client.get("/login/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "pt-br", "next": "/login/"})

    assert response.status_code == 302 and response["Location"] == "/login/"
    text = visible_text(client.get("/login/"))
    assert "Nome de usuário" in text and "Senha" in text and "Entrar" in text


def test_the_chooser_only_redirects_to_this_site(agent):
    response = client_for(agent, None).post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("cookie", ["fr", "xx", "zz-yy", "../../etc"])
def test_an_unknown_language_falls_back_to_english_never_a_500(agent, customer, cookie):
    client = client_for(agent, None)
    client.post("/i18n/setlang/", {"language": cookie, "next": "/users/"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(f"/users/{customer.pk}/")
    assert response.status_code == 200
    assert "Contact points" in visible_text(response)


@pytest.mark.parametrize(
    ("accept_language", "word"),
    [("pt-PT", "Usuários"), ("pt", "Usuários"), ("es-MX", "Usuarios"), ("es-AR", "Usuarios")],
)
def test_a_regional_variant_gets_its_languages_translation(agent, accept_language, word):
    assert word in visible_text(client_for(agent, accept_language).get("/users/"))


def test_an_unknown_accept_language_falls_back_to_english(agent, customer):
    response = client_for(agent, "de-DE,fr;q=0.8,zz").get("/users/")
    assert response.status_code == 200 and "Users" in visible_text(response)


def test_messages_are_in_the_agents_language(agent, customer):
    client = client_for(agent, "pt-BR")
    response = client.post(
        f"/users/{customer.pk}/log/",
        {"channel": "walk_in", "summary": "Veio trocar o endereço.", "occurred_at": ""},
        follow=True,
    )
    text = visible_text(response)
    assert "Contato registrado no perfil de Ana Souza (atendimento presencial)." in text
    assert "Peça um e-mail: é o melhor canal de retorno." in text


def test_numbers_use_the_languages_thousands_separator():
    from zdusers.templatetags.numbers import thousands

    with translation.override("en"):
        assert thousands(1234567) == "1,234,567"
    with translation.override("pt-br"):
        assert thousands(1234567) == "1.234.567"
    with translation.override("es"):
        assert thousands(1234567) == "1\xa0234\xa0567"  # Spanish groups with a (non-breaking) space
    assert thousands("n/a") == "n/a"


# --- the catalogs ------------------------------------------------------------------------------------------


def po_entries(path: Path) -> list[tuple[str | None, str, bool]]:
    """(context, msgid, translated) of each entry of a .po file; a small reader for the format makemessages writes."""
    entries, current, field = [], None, None

    def finish():
        if current and current["msgid"]:
            translated = any(current["msgstr"]) and not current["fuzzy"]
            entries.append((current["msgctxt"], current["msgid"], translated))

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            current, field = None, None
            continue
        if current is None:
            current = {"msgctxt": None, "msgid": "", "msgstr": [], "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field, current["msgctxt"] = "msgctxt", _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            field = None
        elif line.startswith("msgid "):
            field, current["msgid"] = "msgid", _unquote(line[6:])
        elif line.startswith("msgstr"):
            field = "msgstr"
            current["msgstr"].append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"') and field:
            if field == "msgstr":
                current["msgstr"][-1] += _unquote(line)
            else:
                current[field] += _unquote(line)
    return entries


def _unquote(quoted: str) -> str:
    return quoted.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


@pytest.mark.parametrize("language", ["pt_BR", "es"])
def test_every_translated_message_of_the_po_is_in_the_committed_mo(language):
    """The .mo files are committed (serving needs no gettext tools), so a .po edited without running
    `manage.py compilemessages` must fail here rather than ship untranslated."""
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as mo:
        catalog = python_gettext.GNUTranslations(mo)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog}
    entries = po_entries(directory / "django.po")
    assert len(entries) > 200
    missing = [
        msgid
        for context, msgid, translated in entries
        if translated and (f"{context}\x04{msgid}" if context else msgid) not in compiled
    ]
    assert missing == [], f"run `python manage.py compilemessages`: {missing[:5]}"


@pytest.mark.parametrize("language", ["pt_BR", "es"])
def test_every_message_the_pages_use_is_translated(language):
    untranslated = [
        msgid
        for _, msgid, translated in po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
        if not translated and msgid != " By %(filter_title)s "  # the admin's own catalog translates this one
    ]
    assert untranslated == []


def test_every_choice_label_the_pages_show_is_marked_for_the_catalogs():
    shown = [EndUserSource, ContactChannel, ContactStatus, CandidateStatus, IdentityKind, Provider, DeliveryOutcome]
    labels = {label for choices in shown for label in choices.labels} | set(TIERS.values()) | set(REASON_KINDS.values())
    assert labels - set(MARKED_LABELS) == set()
