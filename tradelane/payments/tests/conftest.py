import pytest


@pytest.fixture(autouse=True)
def payments_urls(settings):
    """Serve this app's API and pages until config/ registers them."""
    settings.ROOT_URLCONF = "tradelane.payments.tests.urls"
