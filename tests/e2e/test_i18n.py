"""An agent switches the interface to Portuguese in the top bar and logs a call (Chromium).

The chooser posts to Django's set_language; the cookie it sets keeps every following page,
the live match panel (filled by JavaScript) and the messages after the save in Portuguese.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from profiles.models import Contact, EndUser
from profiles.services.identities import add_identity
from tests.factories import AgentFactory, EndUserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def brazilian_desk(settings):
    settings.ZDUSERS_DEFAULT_PHONE_REGION = "BR"


def test_an_agent_switches_to_portuguese_and_logs_a_call(page: Page, live_server, roles):
    ana = EndUserFactory(name="Ana Souza")
    add_identity(user=ana, kind="phone", value="+55 11 98765-4321")
    AgentFactory(username="agent", password=PASSWORD)
    page.goto("/login/")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    language = page.get_by_role("group", name="Language")
    expect(language.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    # Keyboard first: the choice is a button like any other.
    language.get_by_role("button", name="Português (Brasil)").focus()
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("group", name="Idioma").get_by_role("button", name="Português (Brasil)")).to_have_attribute(
        "aria-pressed", "true"
    )
    nav = page.get_by_role("navigation", name="Principal")
    nav.get_by_role("link", name="Registrar ligação").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrar ligação")

    matches = page.get_by_role("complementary", name="Você já entrou em contato conosco antes?")
    expect(matches).to_contain_text("Digite o número, nome ou e-mail de quem liga")
    page.get_by_label("Número de quem liga").press_sequentially("11 98765 4321")
    match = matches.get_by_role("listitem").filter(has_text="Ana Souza")
    # Written by the page's JavaScript from the server's answer, both in Portuguese.
    expect(match).to_contain_text("tem telefone +5511987654321")
    expect(match).to_contain_text("a ligação será registrada neste perfil")
    match.get_by_role("link", name="Registrar neste perfil").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Registrar contato com Ana Souza")
    expect(page.get_by_role("group", name="Canal")).to_contain_text("Ligação telefônica")
    page.get_by_label("Assunto").fill("Troca de endereço")
    page.get_by_label("Resumo").fill("Quer mudar o endereço de entrega.")
    page.get_by_role("button", name="Registrar contato").click()

    expect(page).to_have_url(f"{live_server.url}/users/{ana.pk}/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Contato registrado no perfil de Ana Souza (ligação telefônica).")
    expect(status).to_contain_text("Peça um e-mail: é o melhor canal de retorno.")
    timeline = page.get_by_role("region", name="Contatos em todos os canais")
    call = timeline.get_by_role("listitem").filter(has_text="Troca de endereço")
    expect(call).to_contain_text("Ligação telefônica")
    assert EndUser.objects.count() == 1 and Contact.objects.get().summary == "Quer mudar o endereço de entrega."

    # Remembered: a page opened afresh is still in Portuguese.
    page.goto("/users/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usuários")
