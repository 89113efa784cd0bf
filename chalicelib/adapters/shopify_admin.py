"""Shopify Admin GraphQL API: single-use discount codes for late-order apologies.

`requests` with a Session that has timeouts and retries 429/5xx honouring Retry-After (urllib3's Retry).
The Admin token is a secret reference like the others, read on first use, and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain.decisions import Goodwill

if TYPE_CHECKING:
    import requests

API_VERSION = "2026-01"
MUTATION = """mutation warmlineGoodwill($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}"""


class DiscountFailed(Exception):
    """The shop did not create the code (an HTTP error, a GraphQL error or a user error)."""


class ShopifyAdminDiscounts:
    def __init__(self, endpoint: str, token: Callable[[], str], timeout: tuple[float, float] = (3.05, 10.0),
                 session: requests.Session | None = None) -> None:
        self.endpoint = endpoint
        self._token = token
        self.timeout = timeout
        self._session = session

    @classmethod
    def for_shop(cls, shop_domain: str, token: Callable[[], str]) -> ShopifyAdminDiscounts:
        return cls(f"https://{shop_domain}/admin/api/{API_VERSION}/graphql.json", token)

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retry = Retry(total=4, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504),
                          allowed_methods=frozenset({"POST"}), respect_retry_after_header=True,
                          raise_on_status=False)
            self._session = requests.Session()
            self._session.mount("https://", HTTPAdapter(max_retries=retry))
            self._session.mount("http://", HTTPAdapter(max_retries=retry))
        return self._session

    def create(self, goodwill: Goodwill, title: str) -> str:
        value: dict[str, Any]
        if goodwill.percent is not None:
            value = {"percentage": round(goodwill.percent / 100, 4)}
        else:
            value = {"discountAmount": {"amount": goodwill.amount, "appliesOnEachItem": False}}
        context: dict[str, Any] = {"customers": {"add": [f"gid://shopify/Customer/{goodwill.customer_id}"]}} \
            if goodwill.customer_id else {"all": "ALL"}
        variables = {"basicCodeDiscount": {
            "title": title[:255], "code": goodwill.code, "startsAt": datetime.now().astimezone().isoformat(),
            "endsAt": goodwill.expires_at, "usageLimit": 1, "appliesOncePerCustomer": True, "context": context,
            "customerGets": {"value": value, "items": {"all": True}},
        }}
        import requests

        try:
            response = self.session.post(self.endpoint, json={"query": MUTATION, "variables": variables},
                                         headers={"X-Shopify-Access-Token": self._token(),
                                                  "Content-Type": "application/json"}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise DiscountFailed(f"the Admin API could not be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise DiscountFailed(f"the Admin API answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise DiscountFailed("the Admin API answered something that is not JSON") from exc
        if body.get("errors"):
            raise DiscountFailed("GraphQL error: " + "; ".join(str(e.get("message")) for e in body["errors"])[:300])
        result = (body.get("data") or {}).get("discountCodeBasicCreate") or {}
        errors = result.get("userErrors") or []
        if errors:
            # A retry after a crash finds its own code already there: that is success, not a failure.
            if all("unique" in str(e.get("message", "")).lower() or e.get("code") == "TAKEN" for e in errors):
                return goodwill.code
            raise DiscountFailed("; ".join(str(e.get("message")) for e in errors)[:300])
        if not result.get("codeDiscountNode"):
            raise DiscountFailed("the Admin API created no discount")
        return goodwill.code
