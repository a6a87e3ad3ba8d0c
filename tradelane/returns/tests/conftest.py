import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Evidence files go to a throwaway directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def approved(buyer_owner, merchant_owner):
    """An approved transit-damage return with its reverse parcel."""
    from tradelane.returns.testing import approved_return

    return approved_return(buyer_owner, merchant_owner)
