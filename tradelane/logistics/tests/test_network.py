"""The seeded logistics network as reference data."""

import pytest
from django.core.management import call_command

from tradelane.logistics.models import DutyRate, Lane, RateCard


@pytest.mark.django_db(transaction=True)
def test_reference_network_survives_a_transactional_flush():
    """A flush empties every table; the post_migrate hook puts the seeded network back."""
    call_command("flush", interactive=False, verbosity=0)
    assert Lane.objects.count() == 6
    assert RateCard.objects.count() == 18
    assert DutyRate.objects.count() > 0
