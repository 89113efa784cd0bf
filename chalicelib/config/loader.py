"""Load and validate the owner's JSON config: every problem, with its path and a fix."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any

from .model import (
    EscalationSettings,
    FlowSettings,
    FrequencyCap,
    InboundEmailAuth,
    QuietHours,
    SentimentSettings,
    Vip,
    WarmlineConfig,
)

SCHEMA_PATH = Path(__file__).with_name("schema.json")
TEMPLATES_PATH = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class ConfigProblem:
    path: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}. Fix: {self.fix}"


class InvalidConfig(Exception):
    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} is not a valid Warmline config:\n{lines}")


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _fix_for(error: Any) -> str:
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "the field"
        return f"add \"{missing}\" here"
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        return f"remove the unknown key or check its spelling; allowed here: {allowed}"
    if validator == "enum":
        return "use one of: " + ", ".join(json.dumps(v) for v in schema.get("enum", []))
    if validator == "type":
        return f"use a value of type {schema.get('type')}"
    if validator == "pattern":
        desc = schema.get("description")
        return desc or f"match the pattern {schema.get('pattern')}"
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        keys = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
        bounds = [f"{k} {schema[k]}" for k in keys if k in schema]
        return "use a number with " + " and ".join(bounds)
    if validator in ("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"):
        return f"respect {validator} = {error.validator_value}"
    if validator == "oneOf":
        return "use null, or an object with \"start\" and \"end\" as HH:MM"
    return schema.get("description") or "see chalicelib/config/schema.json"


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text()


def _schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(_schema_text())
    return result


def validate(data: Any, base_dir: Path | None = None) -> list[ConfigProblem]:
    """Every problem in `data`; an empty list means it is a valid config."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schema())
    problems = [
        ConfigProblem(_json_path(err.absolute_path), err.message, _fix_for(err))
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if problems or not isinstance(data, dict):
        return problems
    problems.extend(_semantic_problems(data, base_dir))
    return problems


def _semantic_problems(data: dict[str, Any], base_dir: Path | None) -> list[ConfigProblem]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    import phonenumbers

    problems: list[ConfigProblem] = []
    tz = data["shop"].get("timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(ConfigProblem("$.shop.timezone", f"unknown time zone {tz!r}",
                                      "use an IANA name such as \"Europe/London\" or \"America/New_York\""))
    for i, phone in enumerate(data.get("owner", {}).get("alert_phones", [])):
        try:
            parsed = phonenumbers.parse(phone, None)
            ok = phonenumbers.is_valid_number(parsed)
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            problems.append(ConfigProblem(f"$.owner.alert_phones[{i}]", f"{phone!r} is not a valid phone number",
                                          "write it in E.164 form with the country code, e.g. +447911123456"))
    owner = data.get("owner", {})
    if not owner.get("alert_phones") and not owner.get("alert_email"):
        problems.append(ConfigProblem("$.owner", "no way to alert you",
                                      "add \"alert_phones\" or \"alert_email\" so upset customers reach a person"))
    steps = data.get("flows", {}).get("abandoned_cart", {}).get("steps", [])
    delays = [s["delay_hours"] for s in steps]
    if delays != sorted(delays) or len(set(delays)) != len(delays):
        problems.append(ConfigProblem("$.flows.abandoned_cart.steps", "delays must increase from one step to the next",
                                      "order the steps by delay_hours, each later than the one before"))
    flows = data.get("flows", {})
    if flows.get("late_order", {}).get("enabled") and not data["shop"].get("dispatch_within_days"):
        problems.append(ConfigProblem("$.flows.late_order", "late-order apologies need a dispatch promise",
                                      "set shop.dispatch_within_days (business days), or turn late_order off"))
    if flows.get("late_order", {}).get("goodwill") and "shopify_admin_token" not in data["secrets"]:
        problems.append(ConfigProblem("$.flows.late_order.goodwill", "goodwill codes need the Shopify Admin API",
                                      "add secrets.shopify_admin_token (an Admin API access token with the "
                                      "write_discounts scope), or set goodwill to null"))
    templates_dir = _templates_dir(data, base_dir)
    for path, name in _template_names(data):
        if not _template_exists(name, templates_dir):
            problems.append(ConfigProblem(path, f"no template named {name!r}",
                                          f"use one of {sorted(p.stem for p in TEMPLATES_PATH.glob('*.txt'))} "
                                          "or add that file to templates_dir"))
    return problems


def _templates_dir(data: dict[str, Any], base_dir: Path | None) -> Path | None:
    value = data.get("templates_dir")
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() or base_dir is None else base_dir / path


def _template_exists(name: str, templates_dir: Path | None) -> bool:
    if templates_dir is not None and (templates_dir / f"{name}.txt").is_file():
        return True
    return (TEMPLATES_PATH / f"{name}.txt").is_file()


def _template_names(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every template a flow will use: those the config names, and the defaults it leaves in place."""
    found: list[tuple[str, str]] = []
    for name, block in flow_settings(data.get("flows", {})).items():
        for key, value in vars(block).items():
            if key == "template" or key.endswith("_template"):
                found.append((f"$.flows.{name}.{key}", value))
            elif key == "steps":
                found.extend((f"$.flows.{name}.steps[{i}].template", step.template) for i, step in enumerate(value))
    return found


def flow_settings(data: dict[str, Any]) -> FlowSettings:
    """Each flow's settings: the config's block, with the schema's defaults for what it leaves out."""
    from ..flows import FLOWS
    from ..flows.base import build_flow_config

    blocks = _schema()["properties"]["flows"]["properties"]
    return FlowSettings({flow.name: build_flow_config(flow.config_type, blocks[flow.name], data.get(flow.name))
                         for flow in FLOWS if flow.name in blocks})


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def build(data: dict[str, Any], base_dir: Path | None = None) -> WarmlineConfig:
    """Typed config from data that `validate` accepted."""
    shop, sender, owner = data["shop"], data["sender"], data.get("owner", {})
    esc = data.get("escalation", {})
    vip = esc.get("vip", {})
    quiet = data.get("quiet_hours", {"start": "21:00", "end": "08:00"})
    cap = data.get("frequency_cap", {})
    sentiment = data.get("sentiment", {})
    inbound = data.get("inbound_email", {})
    templates_dir = _templates_dir(data, base_dir)

    return WarmlineConfig(
        shop_name=shop["name"],
        shop_domain=shop["domain"],
        sender_email=sender["email"],
        sender_name=sender.get("name") or shop["name"],
        timezone=shop.get("timezone", "UTC"),
        brand_voice=shop.get("brand_voice", "warm"),
        sign_off=shop.get("sign_off") or shop["name"],
        reply_promise_hours=shop.get("reply_promise_hours", 24),
        dispatch_within_days=shop.get("dispatch_within_days"),
        postal_address=shop.get("postal_address", ""),
        reply_to=sender.get("reply_to"),
        owner_name=owner.get("name", ""),
        owner_phones=tuple(owner.get("alert_phones", ())),
        owner_email=owner.get("alert_email"),
        review_base_url=owner.get("review_base_url", "http://127.0.0.1:8000").rstrip("/"),
        secrets={"link_signing_key": {"env": "WARMLINE_LINK_KEY"}, **data["secrets"]},
        inbound_email=InboundEmailAuth(inbound.get("auth", "path_token"), inbound.get("basic_username", "warmline")),
        flows=flow_settings(data.get("flows", {})),
        escalation=EscalationSettings(
            threshold=esc.get("threshold", 0.5),
            upset_cooldown_hours=esc.get("upset_cooldown_hours", 72),
            vip=Vip(vip.get("lifetime_spend", 500), vip.get("order_count", 5)),
            product_names=tuple(name.strip() for name in esc.get("product_names", [])),
        ),
        quiet_hours=None if quiet is None else QuietHours(_clock(quiet["start"]), _clock(quiet["end"])),
        frequency_cap=FrequencyCap(cap.get("max_marketing_emails", 3), cap.get("per_days", 7)),
        sentiment=SentimentSettings(sentiment.get("engine", "local"), sentiment.get("language")),
        pilot=data.get("pilot", False),
        templates_dir=str(templates_dir) if templates_dir else None,
        shopify_shop_id=shop.get("shopify_id"),
        log_retention_days=data.get("aws", {}).get("log_retention_days", 30),
        sms_sender_id=data.get("aws", {}).get("sms_sender_id"),
        sms_origination_number=data.get("aws", {}).get("sms_origination_number"),
        raw=data,
    )


def load(path: str | Path) -> WarmlineConfig:
    """Read, validate and build; raises InvalidConfig with every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidConfig(str(path), [ConfigProblem("$", f"cannot read the file ({exc.strerror})",
                                                      "check the path given with --config")]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidConfig(str(path), [ConfigProblem("$", f"not valid JSON: {exc.msg} at line {exc.lineno} "
                                                      f"column {exc.colno}", "fix the JSON syntax there")]) from exc
    return load_data(data, path.resolve().parent, str(path))


def load_data(data: Any, base_dir: Path | None = None, source: str = "config") -> WarmlineConfig:
    problems = validate(data, base_dir)
    if problems:
        raise InvalidConfig(source, problems)
    return build(data, base_dir)
