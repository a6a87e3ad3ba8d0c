import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Evidence files go to a throwaway directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
