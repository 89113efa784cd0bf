"""What both stores index a customer by besides the email, and how both scrub a flow's shop-wide memory."""

from __future__ import annotations

from typing import Any

from ..domain.state import CustomerState


def customer_aliases(customer: CustomerState) -> list[str]:
    """Order ids (refunds and delivery scans name only the order) and the Stripe customer id."""
    aliases = [f"order:{o.order_id}" for o in customer.orders]
    if customer.stripe_customer:
        aliases.append(f"stripe:{customer.stripe_customer}")
    return aliases


def forget_in_memory(data: dict[str, Any], email: str) -> dict[str, Any]:
    """A flow memory without any entry about `email` (entries are dicts in lists, with an "email" key)."""
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = [v for v in value if not (isinstance(v, dict) and str(v.get("email", "")).lower() == email)]
        cleaned[key] = value
    return cleaned
