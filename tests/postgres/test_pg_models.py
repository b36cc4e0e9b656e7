"""The model and service tests of the main suite, run again on PostgreSQL (collected from their modules)."""

from tests.accounts.test_login_security import *  # noqa: F403
from tests.accounts.test_roles import *  # noqa: F403
from tests.core.test_access import *  # noqa: F403
from tests.core.test_audit_chain import (  # noqa: F401  (tampering is covered by test_audit_trigger here)
    test_events_chain_one_to_the_next,
    test_recording_outside_a_transaction_is_refused,
    test_the_command_says_chain_intact,
)
from tests.core.test_backup import *  # noqa: F403
from tests.core.test_ratelimit import *  # noqa: F403
from tests.territory.test_kato_import import *  # noqa: F403
from tests.territory.test_territory_pages import *  # noqa: F403
from tests.territory.test_unit_figures import *  # noqa: F403
