"""DynamoDB: customer and cart state, the decision log, delivery dedupe and send claims.

One table (see docs/aws.md, "Table design"). Every item has `pk` and `sk`; domain
objects are stored as their `to_dict()` JSON in a string attribute `data` (no
float/Decimal conversion anywhere), beside the few key attributes we query on:

    item                 pk                        sk             queried by
    customer             CUSTOMER#<email>          PROFILE        who, customer_id
    cart sequence        CART#<checkout token>     SEQUENCE       who, cart_token, checkout_id, due_shard+due_at
    held email (pilot)   HELD                      <key>          pk, who
    privacy export       EXPORT#<id>               EXPORT         pk
    decision log entry   LOG                       <at>#<ns>#<r>  pk (newest first), who
    delivery dedupe      DELIVERY#<delivery id>    DEDUPE         pk (conditional put, TTL)
    send claim           SENT#<kind>#<key>         CLAIM          pk (conditional put, TTL)
    flow step            STEP#<flow>#<key>         STEP           who, due_shard+due_at ("due", or "dead" parked)
    step group pointer   STEPGROUP#<flow>#<group>  <key>          pk (CancelSteps)
    flow memory          MEMORY                    <flow>#<key>   pk (conditional on version)
    customer alias       ALIAS#<order:id|stripe:id> ALIAS         pk, who (webhooks without an email)

The global secondary indexes are sparse and KEYS_ONLY; what they find is read back
with a consistent BatchGetItem, so a cart cancelled a moment ago is never
returned as due (the index is eventually consistent, the table read is not).

The boto3 client is passed in; nothing here imports boto3.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from ...domain.decisions import SendEmail
from ...domain.state import AbandonedCartSequence, CustomerState
from ...ports import MAX_ATTEMPTS, MemoryConflict, ScheduledStep
from ...privacy import customer_ref
from ..aliases import customer_aliases, forget_in_memory

Item = dict[str, dict[str, Any]]
Clock = Callable[[], datetime]

DUE_INDEX = "due_steps"
CUSTOMER_INDEX = "by_customer"
CART_TOKEN_INDEX = "by_cart_token"
CHECKOUT_ID_INDEX = "by_checkout_id"
CUSTOMER_ID_INDEX = "by_customer_id"
DUE_SHARD = "due"  # one shop per deployment: a single partition of due steps is plenty
MEMORY = "MEMORY"  # one partition of the flows' shop-wide records (complaint-surge window, acknowledgement limit)
UNDELIVERABLE = "UNDELIVERABLE"  # one partition of addresses SES bounced or had complaints about

def _utc_now() -> datetime:
    return datetime.now(UTC)


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ClientError, without importing botocore."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code is not None else None
    return None


def is_conditional_failure(exc: BaseException) -> bool:
    return error_code(exc) == "ConditionalCheckFailedException"


def utc_key(value: str | datetime) -> str:
    """A due time as sortable text: UTC, fixed width. Naive times are refused."""
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime in a due time: {value}")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int | float) -> dict[str, str]:
    return {"N": str(int(value))}


def _text(item: Item, name: str) -> str | None:
    attr = item.get(name)
    return attr["S"] if attr and "S" in attr else None


def _json(item: Item) -> dict[str, Any]:
    data = _text(item, "data")
    if data is None:
        raise ValueError(f"item {item.get('pk')} has no data")
    loaded: dict[str, Any] = json.loads(data)
    return loaded


class DynamoTable:
    """The low-level calls the adapters need, with pagination and batching done once."""

    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.name = table_name

    def get(self, pk: str, sk: str) -> Item | None:
        response = self.client.get_item(
            TableName=self.name, Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True
        )
        item: Item | None = response.get("Item")
        return item

    def put(self, item: Item, **kwargs: Any) -> None:
        self.client.put_item(TableName=self.name, Item=item, **kwargs)

    def delete(self, pk: str, sk: str, **kwargs: Any) -> Item | None:
        response = self.client.delete_item(TableName=self.name, Key={"pk": _s(pk), "sk": _s(sk)}, **kwargs)
        old: Item | None = response.get("Attributes")
        return old

    def query(self, **kwargs: Any) -> Iterator[Item]:
        """Every page of a Query (stops at kwargs' Limit if given)."""
        limit = kwargs.get("Limit")
        seen = 0
        while True:
            response = self.client.query(TableName=self.name, **kwargs)
            for item in response.get("Items", []):
                yield item
                seen += 1
                if limit is not None and seen >= limit:
                    return
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    def scan_keys(self) -> Iterator[tuple[str, str]]:
        kwargs: dict[str, Any] = {"TableName": self.name, "ProjectionExpression": "pk, sk"}
        while True:
            response = self.client.scan(**kwargs)
            for item in response.get("Items", []):
                yield item["pk"]["S"], item["sk"]["S"]
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    def batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Consistent reads of up to any number of keys, retrying unprocessed ones."""
        found: dict[tuple[str, str], Item] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 100):
            request: dict[str, Any] = {
                self.name: {
                    "Keys": [{"pk": _s(pk), "sk": _s(sk)} for pk, sk in unique[start : start + 100]],
                    "ConsistentRead": True,
                }
            }
            for attempt in range(8):
                response = self.client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.name, []):
                    found[(item["pk"]["S"], item["sk"]["S"])] = item
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise RuntimeError("DynamoDB left keys unprocessed after 8 batch attempts")
        return found

    def batch_delete(self, keys: list[tuple[str, str]]) -> int:
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 25):
            requests: dict[str, Any] = {
                self.name: [
                    {"DeleteRequest": {"Key": {"pk": _s(pk), "sk": _s(sk)}}} for pk, sk in unique[start : start + 25]
                ]
            }
            for attempt in range(8):
                response = self.client.batch_write_item(RequestItems=requests)
                requests = response.get("UnprocessedItems") or {}
                if not requests:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise RuntimeError("DynamoDB left deletes unprocessed after 8 batch attempts")
        return len(unique)

    def index_keys(self, index: str, attribute: str, value: str, *, sk: str | None = None) -> list[tuple[str, str]]:
        condition = "#a = :v"
        names = {"#a": attribute}
        values: dict[str, Any] = {":v": _s(value)}
        if sk is not None:
            condition += " AND #sk = :sk"
            names["#sk"] = "sk"
            values[":sk"] = _s(sk)
        return [
            (item["pk"]["S"], item["sk"]["S"])
            for item in self.query(
                IndexName=index,
                KeyConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        ]


class DynamoCustomerStore:
    """CustomerStore on the single table."""

    export_ttl = timedelta(days=30)

    def __init__(self, table: DynamoTable, clock: Clock = _utc_now) -> None:
        self.table = table
        self.clock = clock

    # --- customers -----------------------------------------------------------
    def get_customer(self, email: str) -> CustomerState | None:
        item = self.table.get(f"CUSTOMER#{email.lower()}", "PROFILE")
        return CustomerState.from_dict(_json(item)) if item else None

    def save_customer(self, customer: CustomerState) -> None:
        email = customer.email.lower()
        item: Item = {
            "pk": _s(f"CUSTOMER#{email}"),
            "sk": _s("PROFILE"),
            "who": _s(customer_ref(email)),
            "data": _s(json.dumps(customer.to_dict())),
        }
        if customer.customer_id:
            item["customer_id"] = _s(str(customer.customer_id))
        self.table.put(item)
        for alias in customer_aliases(customer):  # few, and idempotent: order ids and the Stripe customer
            self.table.put({"pk": _s(f"ALIAS#{alias}"), "sk": _s("ALIAS"), "who": _s(customer_ref(email)),
                            "email": _s(email)})

    def find_customer(self, *, order_id: str | None = None, stripe_customer: str | None = None
                      ) -> CustomerState | None:
        for alias in (f"order:{order_id}" if order_id else None,
                      f"stripe:{stripe_customer}" if stripe_customer else None):
            if alias:
                item = self.table.get(f"ALIAS#{alias}", "ALIAS")
                email = _text(item, "email") if item else None
                if email:
                    return self.get_customer(email)
        return None

    # --- flows' shop-wide memory ---------------------------------------------
    def get_memory(self, flow: str, key: str) -> tuple[dict[str, Any], int] | None:
        item = self.table.get(MEMORY, f"{flow}#{key}")
        if item is None:
            return None
        return _json(item), int(item["version"]["N"])

    def save_memory(self, flow: str, key: str, data: dict[str, Any], version: int) -> None:
        item: Item = {"pk": _s(MEMORY), "sk": _s(f"{flow}#{key}"), "version": _n(version + 1),
                      "data": _s(json.dumps(data, default=str))}
        try:
            if version == 0:
                self.table.put(item, ConditionExpression="attribute_not_exists(pk)")
            else:
                self.table.put(item, ConditionExpression="version = :v", ExpressionAttributeValues={":v": _n(version)})
        except Exception as exc:
            if is_conditional_failure(exc):
                raise MemoryConflict(f"{flow}/{key} changed since version {version}") from exc
            raise

    # --- abandoned-cart sequences -------------------------------------------
    def get_sequence(self, checkout_token: str) -> AbandonedCartSequence | None:
        item = self.table.get(f"CART#{checkout_token}", "SEQUENCE")
        return AbandonedCartSequence.from_dict(_json(item)) if item else None

    def save_sequence(self, sequence: AbandonedCartSequence) -> None:
        email = sequence.email.lower()
        item: Item = {
            "pk": _s(f"CART#{sequence.checkout_token}"),
            "sk": _s("SEQUENCE"),
            "who": _s(customer_ref(email)),
            "data": _s(json.dumps(sequence.to_dict())),
        }
        if sequence.cart_token:
            item["cart_token"] = _s(sequence.cart_token)
        if sequence.checkout_id:
            item["checkout_id"] = _s(str(sequence.checkout_id))
        self.table.put(item)

    def _sequences(self, keys: list[tuple[str, str]]) -> list[AbandonedCartSequence]:
        items = self.table.batch_get(keys)
        return [AbandonedCartSequence.from_dict(_json(items[k])) for k in dict.fromkeys(keys) if k in items]

    def find_sequences(
        self, *, email: str | None = None, cart_token: str | None = None, checkout_id: str | None = None
    ) -> list[AbandonedCartSequence]:
        keys: list[tuple[str, str]] = []
        if email:
            keys += self.table.index_keys(CUSTOMER_INDEX, "who", customer_ref(email.lower()), sk="SEQUENCE")
        if cart_token:
            keys += self.table.index_keys(CART_TOKEN_INDEX, "cart_token", cart_token)
        if checkout_id:
            keys += self.table.index_keys(CHECKOUT_ID_INDEX, "checkout_id", str(checkout_id))
        return self._sequences(keys)

    # --- privacy ---------------------------------------------------------------
    def _emails_for(self, email: str | None, customer_id: str | None) -> list[str]:
        emails = [email.lower()] if email else []
        if customer_id:
            for pk, _sk in self.table.index_keys(CUSTOMER_ID_INDEX, "customer_id", str(customer_id)):
                found = pk.removeprefix("CUSTOMER#")
                if found not in emails:
                    emails.append(found)
        return emails

    def forget_customer(self, email: str | None, customer_id: str | None) -> int:
        keys: list[tuple[str, str]] = []
        for addr in self._emails_for(email, customer_id):
            keys.append((f"CUSTOMER#{addr}", "PROFILE"))
            keys += self.table.index_keys(CUSTOMER_INDEX, "who", customer_ref(addr))
        existing = self.table.batch_get(keys)
        removed = self.table.batch_delete(list(existing))
        for addr in self._emails_for(email, customer_id) or ([email.lower()] if email else []):
            removed += self._forget_in_memories(addr)
        return removed

    def _forget_in_memories(self, email: str) -> int:
        """Flow memories (a handful of items, one partition) may list the customer: rewrite them without."""
        changed = 0
        for item in self.table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": _s(MEMORY)},
                                     ConsistentRead=True):
            if email not in (_text(item, "data") or ""):
                continue
            item["data"] = _s(json.dumps(forget_in_memory(_json(item), email), default=str))
            item["version"] = _n(int(item["version"]["N"]) + 1)
            self.table.put(item)
            changed += 1
        return changed

    def forget_shop(self) -> int:
        """Shopify's shop/redact (48 h after uninstall): the one Scan in this adapter.

        Dedupe records and send claims stay until their TTL: they hold no customer data
        and keep a late retry from acting twice."""
        keys = [(pk, sk) for pk, sk in self.table.scan_keys() if not pk.startswith(("DELIVERY#", "SENT#"))]
        return self.table.batch_delete(keys)

    def export_customer(self, email: str | None, customer_id: str | None) -> dict[str, Any]:
        customers: list[CustomerState] = []
        for addr in self._emails_for(email, customer_id):
            found = self.get_customer(addr)
            if found is not None:
                customers.append(found)
        sequences: list[dict[str, Any]] = []
        for customer in customers:
            sequences.extend(s.to_dict() for s in self.find_sequences(email=customer.email))
        steps: list[dict[str, Any]] = []
        for customer in customers:
            keys = self.table.index_keys(CUSTOMER_INDEX, "who", customer_ref(customer.email.lower()), sk="STEP")
            for item in self.table.batch_get(keys).values():
                steps.append({"flow": _text(item, "flow"), "due": _text(item, "due_at"), "data": _json(item)})
        return {"customers": [c.to_dict() for c in customers], "abandoned_cart_sequences": sequences,
                "scheduled_steps": steps}

    def save_export(self, export_id: str, data: dict[str, Any]) -> None:
        now = self.clock()
        self.table.put(
            {
                "pk": _s(f"EXPORT#{export_id}"),
                "sk": _s("EXPORT"),
                "created_at": _s(now.isoformat()),
                "data": _s(json.dumps(data, default=str)),
                "expires_at": _n((now + self.export_ttl).timestamp()),
            }
        )

    def get_export(self, export_id: str) -> dict[str, Any] | None:
        item = self.table.get(f"EXPORT#{export_id}", "EXPORT")
        return _json(item) if item else None

    # --- pilot mode: held emails -------------------------------------------------
    def hold_email(self, email: SendEmail, held_at: datetime) -> None:
        item: Item = {
            "pk": _s("HELD"),
            "sk": _s(email.key),
            "who": _s(customer_ref(email.to.lower())),
            "held_at": _s(held_at.isoformat()),
            "data": _s(json.dumps(asdict(email), default=str)),
        }
        try:  # the first hold wins, as in the local store
            self.table.put(item, ConditionExpression="attribute_not_exists(pk)")
        except Exception as exc:
            if not is_conditional_failure(exc):
                raise

    def held_emails(self) -> list[dict[str, Any]]:
        items = self.table.query(KeyConditionExpression="pk = :held", ExpressionAttributeValues={":held": _s("HELD")})
        rows = [{"key": item["sk"]["S"], "held_at": _text(item, "held_at") or "", **_json(item)} for item in items]
        return sorted(rows, key=lambda row: utc_key(row["held_at"]) if row["held_at"] else "")

    def release_held(self, key: str) -> SendEmail | None:
        old = self.table.delete("HELD", key, ReturnValues="ALL_OLD")
        return SendEmail(**_json(old)) if old else None

    # --- SES feedback: addresses never to mail again (pk UNDELIVERABLE, sk customer_ref) --------------
    def mark_undeliverable(self, email: str, kind: str, detail: str, at: datetime) -> bool:
        ref = customer_ref(email)
        try:
            self.table.put(
                {"pk": _s(UNDELIVERABLE), "sk": _s(ref), "who": _s(ref), "kind": _s(kind), "detail": _s(detail),
                 "at": _s(utc_key(at))},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def undeliverable(self, email: str) -> str | None:
        item = self.table.get(UNDELIVERABLE, customer_ref(email))
        return f"{_text(item, 'kind')}: {_text(item, 'detail')}" if item else None

    def undeliverable_counts(self, since: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.table.query(KeyConditionExpression="pk = :pk", FilterExpression="#at >= :since",
                                     ExpressionAttributeNames={"#at": "at"},
                                     ExpressionAttributeValues={":pk": _s(UNDELIVERABLE),
                                                                ":since": _s(utc_key(since))},
                                     ProjectionExpression="kind"):
            kind = _text(item, "kind") or "unknown"
            counts[kind] = counts.get(kind, 0) + 1
        return counts


class DynamoScheduler:
    """Scheduler port on the single table. Pending steps sit in the sparse `due_steps` index under the
    "due" shard; a claim is a conditional update that moves `due_at` to the end of the claim's lease (so a
    runner that dies leaves the step due again then) and only succeeds if nobody moved it first. Parked
    steps move to the "dead" shard."""

    backoff_base = timedelta(seconds=30)

    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    @staticmethod
    def _pk(flow: str, key: str) -> str:
        return f"STEP#{flow}#{key}"

    def schedule(self, step: ScheduledStep) -> None:
        item: Item = {"pk": _s(self._pk(step.flow, step.key)), "sk": _s("STEP"), "flow": _s(step.flow),
                      "key": _s(step.key), "due_shard": _s(DUE_SHARD), "due_at": _s(utc_key(step.due)),
                      "data": _s(json.dumps(step.data, default=str)), "attempts": _n(0),
                      "claim": _s(secrets.token_hex(8))}  # a fresh value: an older claim can no longer complete
        if step.email:
            item["who"] = _s(customer_ref(step.email.lower()))
        if step.group:
            item["grp"] = _s(step.group)
            pointer: Item = {"pk": _s(f"STEPGROUP#{step.flow}#{step.group}"), "sk": _s(step.key)}
            if step.email:
                pointer["who"] = _s(customer_ref(step.email.lower()))
            self.table.put(pointer)
        self.table.put(item)

    def cancel(self, flow: str, *, group: str | None = None, email: str | None = None) -> int:
        keys: list[tuple[str, str]] = []
        if group is not None:
            pointers = [(item["pk"]["S"], item["sk"]["S"]) for item in self.table.query(
                KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": _s(f"STEPGROUP#{flow}#{group}")})]
            keys += [(self._pk(flow, sk), "STEP") for _pk, sk in pointers]
            self.table.batch_delete(pointers)
        if email is not None:
            keys += [k for k in self.table.index_keys(CUSTOMER_INDEX, "who", customer_ref(email.lower()), sk="STEP")
                     if k[0].startswith(f"STEP#{flow}#")]
        found = self.table.batch_get(keys)
        pending = [k for k, item in found.items() if _text(item, "due_shard") == DUE_SHARD]
        return self.table.batch_delete(pending) if pending else 0

    def claim_due(self, now: datetime, limit: int = 100, lease: timedelta = timedelta(minutes=5)
                  ) -> list[ScheduledStep]:
        cutoff = utc_key(now)
        keys = [(item["pk"]["S"], item["sk"]["S"]) for item in self.table.query(
            IndexName=DUE_INDEX, KeyConditionExpression="due_shard = :shard AND due_at <= :now",
            ExpressionAttributeValues={":shard": _s(DUE_SHARD), ":now": _s(cutoff)}, Limit=limit)]
        claimed: list[ScheduledStep] = []
        for key, item in self.table.batch_get(keys).items():
            seen = _text(item, "due_at")
            if _text(item, "due_shard") != DUE_SHARD or seen is None or seen > cutoff:
                continue
            token = secrets.token_hex(8)
            try:
                response = self.table.client.update_item(
                    TableName=self.table.name, Key={"pk": _s(key[0]), "sk": _s(key[1])},
                    UpdateExpression="SET due_at = :lease, claim = :token ADD attempts :one",
                    ConditionExpression="due_at = :seen AND due_shard = :shard",
                    ExpressionAttributeValues={":lease": _s(utc_key(now + lease)), ":token": _s(token),
                                               ":one": _n(1), ":seen": _s(seen), ":shard": _s(DUE_SHARD)},
                    ReturnValues="ALL_NEW")
            except Exception as exc:
                if is_conditional_failure(exc):
                    continue  # another runner claimed it, or it moved
                raise
            claimed.append(self._step(response["Attributes"]))
        return sorted(claimed, key=lambda s: s.due)

    def _step(self, item: Item) -> ScheduledStep:
        attempts = int(item.get("attempts", {"N": "0"})["N"])
        return ScheduledStep(flow=_text(item, "flow") or "", key=_text(item, "key") or "",
                             due=_text(item, "due_at") or "", data=_json(item), group=_text(item, "grp"),
                             attempts=attempts, claim=_text(item, "claim"), last_error=_text(item, "last_error"))

    def complete(self, step: ScheduledStep) -> None:
        try:
            self.table.delete(self._pk(step.flow, step.key), "STEP", ConditionExpression="claim = :c",
                              ExpressionAttributeValues={":c": _s(step.claim or "")})
        except Exception as exc:
            if not is_conditional_failure(exc):  # rescheduled while it ran: the new schedule stands
                raise
            return
        if step.group:
            self.table.delete(f"STEPGROUP#{step.flow}#{step.group}", step.key)

    def fail(self, step: ScheduledStep, error: str, now: datetime) -> bool:
        dead = step.attempts >= MAX_ATTEMPTS
        delay = self.backoff_base * (2 ** max(step.attempts - 1, 0))
        try:
            self.table.client.update_item(
                TableName=self.table.name, Key={"pk": _s(self._pk(step.flow, step.key)), "sk": _s("STEP")},
                UpdateExpression="SET due_shard = :shard, due_at = :due, last_error = :err REMOVE claim",
                ConditionExpression="claim = :c",
                ExpressionAttributeValues={":shard": _s("dead" if dead else DUE_SHARD),
                                           ":due": _s(utc_key(now + delay)), ":err": _s(error[:4000]),
                                           ":c": _s(step.claim or "")})
        except Exception as exc:
            if not is_conditional_failure(exc):
                raise
        return dead

    def _shard(self, shard: str) -> list[ScheduledStep]:
        keys = [(item["pk"]["S"], item["sk"]["S"]) for item in self.table.query(
            IndexName=DUE_INDEX, KeyConditionExpression="due_shard = :shard",
            ExpressionAttributeValues={":shard": _s(shard)})]
        return sorted((self._step(item) for item in self.table.batch_get(keys).values()
                       if _text(item, "due_shard") == shard), key=lambda s: s.due)

    def pending_steps(self, flow: str | None = None) -> list[ScheduledStep]:
        return [s for s in self._shard(DUE_SHARD) if flow is None or s.flow == flow]

    def dead_steps(self) -> list[ScheduledStep]:
        return self._shard("dead")

    def discard_dead_step(self, flow: str, key: str) -> bool:
        try:
            self.table.delete(self._pk(flow, key), "STEP", ConditionExpression="due_shard = :dead",
                              ExpressionAttributeValues={":dead": _s("dead")})
            return True
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise

    def retry_dead_step(self, flow: str, key: str, now: datetime) -> bool:
        try:
            self.table.client.update_item(
                TableName=self.table.name, Key={"pk": _s(self._pk(flow, key)), "sk": _s("STEP")},
                UpdateExpression="SET due_shard = :due, due_at = :now, attempts = :zero",
                ConditionExpression="due_shard = :dead",
                ExpressionAttributeValues={":due": _s(DUE_SHARD), ":now": _s(utc_key(now)), ":zero": _n(0),
                                           ":dead": _s("dead")})
            return True
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise


class DynamoDecisionLog:
    """DecisionLog: one partition, newest first by sort key; entries expire after `retention`."""

    def __init__(self, table: DynamoTable, clock: Clock = _utc_now, retention: timedelta = timedelta(days=400)) -> None:
        self.table = table
        self.clock = clock
        self.retention = retention

    def record(self, entry: dict[str, Any]) -> None:
        now = self.clock()
        at = entry.get("at")
        try:
            order = utc_key(at) if isinstance(at, str) and at else utc_key(now)
        except ValueError:
            order = utc_key(now)
        item: Item = {
            "pk": _s("LOG"),
            "sk": _s(f"{order}#{time.time_ns():020d}#{secrets.token_hex(4)}"),
            "data": _s(json.dumps(entry, default=str)),
            "expires_at": _n((now + self.retention).timestamp()),
        }
        ref = entry.get("customer_ref")
        if ref:
            item["who"] = _s(str(ref))
        self.table.put(item)

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        items = list(
            self.table.query(
                KeyConditionExpression="pk = :log",
                ExpressionAttributeValues={":log": _s("LOG")},
                ScanIndexForward=False,
                Limit=limit,
            )
        )
        return [_json(item) for item in reversed(items)]


class DeliveryDedupe:
    """The intake's memory of delivery ids: a conditional put with a TTL.

    A record is `pending` while the delivery is being put on the queue and `queued`
    after. A pending record older than `pending_lease` means the writer died or could
    not clean up after a queue failure: it is taken over, so a delivery is never
    lost to a stale record (the worker's send claims absorb the rare double enqueue)."""

    keep = timedelta(days=7)  # longer than Shopify's and Stripe's retry windows
    pending_lease = timedelta(seconds=60)

    def __init__(self, table: DynamoTable, clock: Clock = _utc_now) -> None:
        self.table = table
        self.clock = clock

    @staticmethod
    def _pk(delivery_id: str) -> str:
        return f"DELIVERY#{delivery_id}"

    def claim(self, delivery_id: str) -> bool | None:
        """True: ours to enqueue. False: already queued (a duplicate). None: in flight elsewhere."""
        now = self.clock()
        try:
            self.table.put(
                {
                    "pk": _s(self._pk(delivery_id)),
                    "sk": _s("DEDUPE"),
                    "status": _s("pending"),
                    "claimed_at": _n(now.timestamp()),
                    "expires_at": _n((now + self.keep).timestamp()),
                },
                ConditionExpression="attribute_not_exists(pk) OR (#st = :pending AND claimed_at < :stale)",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={
                    ":pending": _s("pending"),
                    ":stale": _n((now - self.pending_lease).timestamp()),
                },
            )
            return True
        except Exception as exc:
            if not is_conditional_failure(exc):
                raise
        existing = self.table.get(self._pk(delivery_id), "DEDUPE")
        if existing is not None and _text(existing, "status") == "pending":
            return None
        return False

    def mark_queued(self, delivery_id: str, message_id: str) -> None:
        self.table.client.update_item(
            TableName=self.table.name,
            Key={"pk": _s(self._pk(delivery_id)), "sk": _s("DEDUPE")},
            UpdateExpression="SET #st = :queued, message_id = :mid",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={":queued": _s("queued"), ":mid": _s(message_id)},
        )

    def release(self, delivery_id: str) -> None:
        self.table.delete(
            self._pk(delivery_id),
            "DEDUPE",
            ConditionExpression="#st = :pending",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={":pending": _s("pending")},
        )

    def status(self, delivery_id: str) -> str | None:
        item = self.table.get(self._pk(delivery_id), "DEDUPE")
        return _text(item, "status") if item else None


class SendInProgress(Exception):
    """Another worker holds a fresh claim on this key: retry later (the queue will)."""


class SendClaims:
    """Exactly-once-ish sends: claim the key before sending, record the id after.

    claim() returns the earlier message id when the key was sent already; otherwise the
    caller holds the claim and must call complete() or release(). A claim left
    `sending` by a worker that died is taken over after `lease` (longer than the
    worker's timeout), so a crash can cause at most a rare repeat, never a silent loss."""

    keep = timedelta(days=90)
    lease = timedelta(minutes=15)

    def __init__(self, table: DynamoTable, kind: str, clock: Clock = _utc_now) -> None:
        self.table = table
        self.kind = kind
        self.clock = clock

    def _pk(self, key: str) -> str:
        return f"SENT#{self.kind}#{key}"

    def claim(self, key: str) -> str | None:
        now = self.clock()
        try:
            self.table.put(
                {
                    "pk": _s(self._pk(key)),
                    "sk": _s("CLAIM"),
                    "status": _s("sending"),
                    "claimed_at": _n(now.timestamp()),
                    "expires_at": _n((now + self.keep).timestamp()),
                },
                ConditionExpression="attribute_not_exists(pk) OR (#st = :sending AND claimed_at < :stale)",
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={
                    ":sending": _s("sending"),
                    ":stale": _n((now - self.lease).timestamp()),
                },
            )
            return None
        except Exception as exc:
            if not is_conditional_failure(exc):
                raise
        existing = self.table.get(self._pk(key), "CLAIM")
        if existing is not None and _text(existing, "status") == "sent":
            return _text(existing, "message_id") or ""
        raise SendInProgress(f"{self.kind} {key!r} is being sent by another worker")

    def complete(self, key: str, message_id: str) -> None:
        self.table.client.update_item(
            TableName=self.table.name,
            Key={"pk": _s(self._pk(key)), "sk": _s("CLAIM")},
            UpdateExpression="SET #st = :sent, message_id = :mid",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={":sent": _s("sent"), ":mid": _s(message_id)},
        )

    def release(self, key: str) -> None:
        self.table.delete(
            self._pk(key),
            "CLAIM",
            ConditionExpression="#st = :sending",
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={":sending": _s("sending")},
        )

    def release_quietly(self, key: str) -> None:
        """Release after a failed send without hiding the send's own error.

        If the release fails too, the claim's lease runs out and a later retry sends."""
        try:
            self.release(key)
        except Exception:
            logging.getLogger("warmline.aws").warning("could not release a send claim", exc_info=True)
