"""The interface in Spanish, French and German: pages, catalogues and number formats.

The .mo files are compiled from tradelane/locale/*/LC_MESSAGES/django.po by
`manage.py compile_translations` (run by `make test`); the expected words below are
the ones in those catalogues.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "tradelane" / "locale"
LANGS = ["es", "fr", "de"]
NBSP = "\xa0"

# Per language: words that must appear on each page once the language is chosen.
EXPECTED = {
    "es": {
        "login": ["Iniciar sesión", "¿Olvidó su contraseña?", "Crear una cuenta", "Contraseña"],
        "home": [
            "Venda más allá de sus fronteras.",
            "Crear una cuenta",
            "Registrarse",
            "Saltar al contenido",
        ],
        "markets": ["Mercados", "Tasa general", "Filtrar", "Planificado", "Activo"],
        "store": ["Tienda", "Bienvenido, Acme Supply", "Su mercado", "Catálogo", "Cerrar sesión"],
        "merchant": ["Comerciante", "Productos y precios", "Su equipo y la API"],
        "ops": ["Operaciones", "Tipos de cambio", "Registro de auditoría", "Acciones recientes"],
    },
    "fr": {
        "login": ["Se connecter", "Mot de passe oublié ?", "Créer un compte", "Mot de passe"],
        "home": [
            "Vendez au-delà des frontières.",
            "Créer un compte",
            "S’inscrire",
            "Aller au contenu",
        ],
        "markets": ["Marchés", "Taux normal", "Filtrer", "Prévu", "Ouvert"],
        "store": ["Boutique", "Bienvenue, Acme Supply", "Votre marché", "Catalogue"],
        "merchant": ["Marchand", "Produits et prix", "Votre équipe et l’API"],
        "ops": ["Opérations", "Taux de change", "Journal d’audit", "Actions récentes"],
    },
    "de": {
        "login": ["Anmelden", "Passwort vergessen?", "Konto erstellen", "Passwort"],
        "home": [
            "Verkaufen Sie grenzüberschreitend.",
            "Konto erstellen",
            "Registrieren",
            "Zum Inhalt springen",
        ],
        "markets": ["Märkte", "Regelsatz", "Filtern", "Geplant", "In Betrieb"],
        "store": ["Shop", "Willkommen, Acme Supply", "Ihr Markt", "Katalog", "Abmelden"],
        "merchant": ["Händler", "Produkte und Preise", "Ihr Team und die API"],
        "ops": ["Betrieb", "Wechselkurse", "Audit-Protokoll", "Letzte Aktionen"],
    },
}
# English text that must be gone once a language is chosen (inside tags, so exact).
ENGLISH = {
    "login": [">Sign in<", "Forgot your password?"],
    "home": ["Sell across borders.", ">Sign up<"],
    "markets": [">Markets<", ">Standard rate<", ">Filter<"],
    "store": ["Your market", ">Catalog<"],
    "merchant": ["Products and prices", "Your team and API"],
    "ops": ["Recent actions", ">Operations<"],
}


def choose(client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_in_language(html: str, language: str, key: str) -> None:
    assert f'<html lang="{language}">' in html
    for text in EXPECTED[language][key]:
        assert text in html, f"{language}/{key}: {text!r} missing"
    for text in ENGLISH[key]:
        assert text not in html, f"{language}/{key}: English {text!r} still shown"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize(
    ("key", "url"),
    [("login", "/accounts/login/"), ("home", "/"), ("markets", "/markets/")],
)
def test_public_pages_in_language(client, language, key, url):
    choose(client, language)
    assert_in_language(page(client, url), language, key)


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize(
    ("key", "url", "fixture"),
    [
        ("store", "/store/", "buyer_owner"),
        ("merchant", "/merchant/", "merchant_owner"),
        ("ops", "/ops/", "operator_admin"),
    ],
)
def test_portal_homes_in_language(page_client, request, language, key, url, fixture):
    client = page_client(request.getfixturevalue(fixture))
    choose(client, language)
    assert_in_language(page(client, url), language, key)


@pytest.mark.django_db
def test_english_is_the_default(client):
    html = page(client, "/accounts/login/")
    assert '<html lang="en">' in html
    assert ">Sign in<" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGS)
def test_language_choice_sticks_across_pages(client, language):
    choose(client, language)
    for url in ("/", "/accounts/signup/", "/markets/DE/"):
        assert f'<html lang="{language}">' in page(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "threshold", "rate", "label"),
    [
        ("en", "€150.00", "19%", "Tax at sale up to"),
        ("de", f"150,00{NBSP}€", f"19{NBSP}%", "Steuer beim Verkauf bis"),
        ("fr", f"150,00{NBSP}€", f"19{NBSP}%", "Taxe à la vente jusqu’à"),
        ("es", f"150,00{NBSP}€", f"19{NBSP}%", "Impuesto en la venta hasta"),
    ],
)
def test_amounts_and_rates_follow_the_language(client, language, threshold, rate, label):
    """Germany's €150 collect-at-sale threshold and 19 % VAT, formatted by the reader's language."""
    choose(client, language)
    html = page(client, "/markets/DE/")
    assert label in html
    assert f'<td class="num">{threshold}</td>' in html
    assert f'<td class="num">{rate}</td>' in html
    if language != "en":
        assert "€150.00" not in html


# --- The catalogues ----------------------------------------------------------------------

PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read_catalog(language: str):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make messages`"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def messages_of(catalog):
    return [message for message in catalog if message.id]


@pytest.mark.parametrize("language", LANGS)
def test_catalog_is_complete_and_not_fuzzy(language):
    catalog = read_catalog(language)
    messages = messages_of(catalog)
    assert messages, "empty catalogue"
    assert not catalog.fuzzy, "the header is marked fuzzy"
    fuzzy = [m.id for m in messages if m.fuzzy]
    untranslated = [
        m.id
        for m in messages
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    assert fuzzy == [], f"{language}: fuzzy entries"
    assert untranslated == [], f"{language}: untranslated entries"


@pytest.mark.parametrize("language", LANGS)
def test_catalog_header(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert f'"Language: {language}\\n"' in header
    assert f'"Plural-Forms: {PLURAL_FORMS[language]}\\n"' in header
    assert "charset=utf-8" in header.lower()


@pytest.mark.parametrize("language", LANGS)
def test_placeholders_are_kept(language):
    for message in messages_of(read_catalog(language)):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (language, message.id, string)
        if "<strong>" in ids[0]:
            assert all(s.count("<strong>") == ids[0].count("<strong>") for s in strings)


def test_catalogs_have_the_same_messages():
    ids = {language: {m.id for m in messages_of(read_catalog(language))} for language in LANGS}
    assert ids["es"] == ids["fr"] == ids["de"]


# --- The merchant program ------------------------------------------------------------------

PROGRAM_PAGES = {
    "es": {
        "/merchant/program/": ["Programa para comerciantes", "Sus solicitudes", "Sus mercados"],
        "/merchant/warehouses/": ["Sus almacenes", "Registrar un almacén", "Paquetes al día"],
    },
    "fr": {
        "/merchant/program/": ["Programme marchands", "Vos candidatures", "Vos marchés"],
        "/merchant/warehouses/": ["Vos entrepôts", "Enregistrer un entrepôt", "Colis par jour"],
    },
    "de": {
        "/merchant/program/": ["Händlerprogramm", "Ihre Bewerbungen", "Ihre Märkte"],
        "/merchant/warehouses/": ["Ihre Lager", "Lager registrieren", "Pakete pro Tag"],
    },
}
PROGRAM_ENGLISH = {
    "/merchant/program/": [">Merchant program<", "Your applications", "Your markets"],
    "/merchant/warehouses/": ["Your warehouses", "Register a warehouse", "Parcels a day"],
}


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("url", list(PROGRAM_ENGLISH))
def test_merchant_program_pages_in_language(page_client, merchant_owner, language, url):
    client = page_client(merchant_owner)
    choose(client, language)
    html = page(client, url)
    assert f'<html lang="{language}">' in html
    for text in PROGRAM_PAGES[language][url]:
        assert text in html, f"{language} {url}: {text!r} missing"
    for text in PROGRAM_ENGLISH[url]:
        assert text not in html, f"{language} {url}: English {text!r} still shown"


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("es", "1 almacén propio activo", "2 almacenes propios activos"),
        ("fr", "1 entrepôt propre actif", "2 entrepôts propres actifs"),
        ("de", "1 aktives eigenes Lager", "2 aktive eigene Lager"),
    ],
)
def test_eligibility_reasons_use_the_plural_forms(language, one, two):
    singular = "%(v)s active own warehouse for pickups."
    plural = "%(v)s active own warehouses for pickups."
    with translation.override(language):
        assert (translation.ngettext(singular, plural, 1) % {"v": 1}).startswith(one)
        assert (translation.ngettext(singular, plural, 2) % {"v": 2}).startswith(two)
