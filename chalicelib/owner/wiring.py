"""How bootstrap composes the owner's pieces (kept here so bootstrap stays a few lines)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..config.model import WarmlineConfig
from ..ports import OwnerAlerter
from .budget import BudgetedAlerter, BudgetSettings
from .desk import Desk, DynamoDesk, SqliteDesk

if TYPE_CHECKING:
    from ..bootstrap import Services
    from .auth import ConsoleAuth
    from .services import OwnerServices


def owner_desk(extras: dict[str, Any], clock: Callable[[], datetime]) -> Desk:
    desk: Desk = SqliteDesk(extras["db"], clock) if "db" in extras else DynamoDesk(extras["table"], clock)
    extras["desk"] = desk
    return desk


def budgeted(alerter: OwnerAlerter, desk: Desk, config: WarmlineConfig,
             clock: Callable[[], datetime]) -> BudgetedAlerter:
    return BudgetedAlerter(alerter, desk, BudgetSettings.from_config(config.raw), clock, config.timezone,
                           console_url=f"{config.review_base_url}/console", shop_name=config.shop_name)


def owner_services(services: Services) -> OwnerServices:
    """The owner's application services for these services (built once, on first use)."""
    from .dead_letters import LocalDeadLetters, SqsDeadLetters, WithParkedSteps
    from .services import OwnerServices

    found = services.extras.get("owner")
    if found is None:
        if "queue" in services.extras:
            dead: Any = LocalDeadLetters(services.extras["queue"])
        else:
            inbox: Any = services.inbox
            dead = SqsDeadLetters(services.extras["clients"].lazy("sqs"), inbox.queue_url)
        if services.extras.get("scheduler") is not None:  # timed steps parked after 5 failures, on both stacks
            dead = WithParkedSteps(dead, services.extras["scheduler"])
        found = services.extras["owner"] = OwnerServices(services, services.extras["desk"], dead)
    return found


def console_auth(services: Services) -> ConsoleAuth:
    from .auth import ConsoleAuth

    found = services.extras.get("console_auth")
    if found is None:
        found = services.extras["console_auth"] = ConsoleAuth(services.links, services.extras["desk"], services.clock)
    return found
