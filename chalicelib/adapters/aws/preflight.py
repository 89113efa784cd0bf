"""Before and after a deploy: link bases, secrets in SSM, and the account checks of `make doctor`.

    warmline validate FILE --stage dev        links must not point at a laptop on a deployed stage
    warmline secrets put --stage dev          write the webhook secrets as SecureStrings (idempotent)
    warmline secrets check --stage dev        every secret present and encrypted (`make deploy` runs it)
    warmline doctor --stage dev               the "first deploy" checklist, checked against the account

Every problem is one plain sentence that says what to do. boto3 clients are handed in, so the
tests run all of this against moto.
"""

from __future__ import annotations

import ipaddress
import secrets as random_secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ...config.model import WarmlineConfig
from .dynamodb import error_code

SECRET_NAMES = ("shopify_webhook_secret", "stripe_webhook_secret", "inbound_email_token", "link_signing_key")
OPTIONAL_SECRETS = ("shopify_admin_token",)  # only when the config names it (late-order goodwill codes)
GENERATED = frozenset({"inbound_email_token", "link_signing_key"})  # Warmline can make these up itself


def secret_names(config: WarmlineConfig) -> tuple[str, ...]:
    return (*SECRET_NAMES, *(name for name in OPTIONAL_SECRETS if name in config.secrets))
# Where SES receives email (docs/aws.md "Regions"); elsewhere use the JSON inbound webhook.
SES_RECEIVING_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")


class PreflightProblem(Exception):
    """A problem the owner must fix before deploying, as one sentence."""


# --- links -----------------------------------------------------------------------------------
def link_base_problems(config: WarmlineConfig, stage: str) -> list[str]:
    """owner.review_base_url on a deployed stage: https, and not a loopback or private address.
    Unset is right on AWS: the links then use the stack's API URL."""
    explicit = (config.raw.get("owner") or {}).get("review_base_url")
    if not explicit:
        return []
    parts = urlsplit(str(explicit))
    host = (parts.hostname or "").lower()
    problems = []
    if parts.scheme != "https":
        problems.append(f"owner.review_base_url is {explicit!r}: on stage {stage} every link (unsubscribe, review, "
                        "export) must be https; remove the key to use the stack's API URL, or give your own "
                        "https domain")
    loopback = host in ("localhost", "") or host.endswith(".localhost")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
        loopback = loopback or address.is_loopback or address.is_private or address.is_unspecified
    except ValueError:
        pass
    if loopback:
        problems.append(f"owner.review_base_url points at {host or 'no host'}, which customers cannot reach: "
                        f"remove it for stage {stage} (the stack's API URL is used) or set your public domain")
    return problems


# --- secrets ------------------------------------------------------------------------------------
def secret_paths(config: WarmlineConfig, stage: str) -> dict[str, str]:
    """The SSM name of each secret on this stage (an {"ssm": ...} reference, else /warmline/<stage>/<name>)."""
    paths = {}
    for name in secret_names(config):
        ref = config.secrets.get(name) or {}
        paths[name] = ref.get("ssm") or f"/warmline/{stage}/{name}"
    return paths


def secret_sources(config: WarmlineConfig) -> dict[str, str]:
    """The environment variable each secret is read from by `secrets put` (the local config's names)."""
    return {name: (config.secrets.get(name) or {}).get("env") or name.upper() for name in secret_names(config)}


@dataclass(frozen=True)
class SecretOutcome:
    name: str
    path: str
    outcome: str  # created | updated | unchanged | kept | generated


def _existing(ssm: Any, path: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = ssm.get_parameter(Name=path, WithDecryption=True)["Parameter"]
    except Exception as exc:
        if error_code(exc) == "ParameterNotFound":
            return None
        raise
    return found


def _key_of(ssm: Any, path: str) -> str | None:
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [path]}]).get("Parameters", [])
    return str(described[0].get("KeyId")) if described and described[0].get("KeyId") else None


def put_secrets(ssm: Any, config: WarmlineConfig, stage: str, values: Mapping[str, str],
                kms_key_id: str | None = None, generate: Callable[[], str] | None = None) -> list[SecretOutcome]:
    """Write each secret as a SecureString (under `kms_key_id`, default aws/ssm), idempotently.

    A value not given keeps what is stored; the inbound-email token is generated when there is none.
    An equal value under the same key writes nothing (no new parameter version). A String left
    by an older Warmline template is replaced when it still holds its "placeholder"; any other
    String is refused, since turning it into a SecureString means deleting what someone stored."""
    generate = generate or (lambda: random_secrets.token_hex(24))
    paths = secret_paths(config, stage)
    found = {name: _existing(ssm, path) for name, path in paths.items()}
    for name, path in paths.items():  # refuse before writing anything, so a refusal changes nothing
        existing = found[name]
        if existing is not None and existing.get("Type") != "SecureString" and existing.get("Value") != "placeholder":
            raise PreflightProblem(
                f"{path} exists as a {existing.get('Type')} parameter, not a SecureString: move its value "
                f"into the environment variable {secret_sources(config)[name]}, delete it with "
                f"`aws ssm delete-parameter --name {path}`, and run `make secrets STAGE={stage}` again")
        if name not in GENERATED and not values.get(name) and (existing is None or
                                                                        existing.get("Type") != "SecureString"):
            raise PreflightProblem(
                f"no value for {name}: set the environment variable {secret_sources(config)[name]} "
                f"and run `make secrets STAGE={stage}` again")
    outcomes: list[SecretOutcome] = []
    for name, path in paths.items():
        value = values.get(name) or None
        existing = found[name]
        if existing is not None and existing.get("Type") != "SecureString":
            ssm.delete_parameter(Name=path)  # an old template's placeholder: nothing of the owner's in it
            existing = None
        outcome = "created"
        if value is None:
            if existing is not None:
                outcomes.append(SecretOutcome(name, path, "kept"))
                continue
            value, outcome = generate(), "generated"
        elif existing is not None:
            same_key = kms_key_id is None or _key_of(ssm, path) in (kms_key_id, f"alias/{kms_key_id}")
            if existing.get("Value") == value and same_key:
                outcomes.append(SecretOutcome(name, path, "unchanged"))
                continue
            outcome = "updated"
        params: dict[str, Any] = {"Name": path, "Value": value, "Type": "SecureString", "Tier": "Standard",
                                  "Overwrite": existing is not None}
        if existing is None:
            params["Description"] = f"Warmline {stage}: {name} (written by `warmline secrets put`)"
        if kms_key_id:
            params["KeyId"] = kms_key_id
        ssm.put_parameter(**params)
        outcomes.append(SecretOutcome(name, path, outcome))
    return outcomes


def secret_problems(ssm: Any, config: WarmlineConfig, stage: str) -> list[str]:
    """One sentence per secret that is missing or not encrypted (what `make deploy` refuses on)."""
    problems = []
    for name, path in secret_paths(config, stage).items():
        try:
            found = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [path]}]).get("Parameters", [])
        except Exception as exc:
            problems.append(f"could not read SSM parameter {path} ({error_code(exc) or type(exc).__name__}): "
                            "check your AWS credentials and region")
            continue
        if not found:
            problems.append(f"the secret {name} is not set for stage {stage} ({path}): "
                            f"run `make secrets STAGE={stage}` first")
        elif found[0].get("Type") != "SecureString":
            problems.append(f"the secret {name} ({path}) is a {found[0].get('Type')}, not a SecureString: "
                            f"run `make secrets STAGE={stage}` to replace it")
    return problems


# --- doctor --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    status: str  # ok | warn | fail
    what: str
    detail: str


def _code(exc: BaseException) -> str:
    return error_code(exc) or type(exc).__name__


def doctor(clients: Any, config: WarmlineConfig, stage: str, region: str) -> list[Check]:
    """The "first deploy" checklist of docs/aws.md, checked against the account."""
    checks: list[Check] = []

    def add(status: str, what: str, detail: str) -> None:
        checks.append(Check(status, what, detail))

    problems = link_base_problems(config, stage)
    add("fail" if problems else "ok", "links", "; ".join(problems) or (
        "owner.review_base_url is your own https domain" if (config.raw.get("owner") or {}).get("review_base_url")
        else "links use the stack's API URL (output ApiUrl)"))

    problems = secret_problems(clients.ssm, config, stage)
    add("fail" if problems else "ok", "secrets", "; ".join(problems) or
        f"all {len(secret_names(config))} secrets are SecureStrings under /warmline/{stage}/ (or your named paths)")

    domain = config.sender_email.split("@", 1)[1]
    identity = None
    for name in (domain, config.sender_email):
        try:
            identity = clients.sesv2.get_email_identity(EmailIdentity=name)
            break
        except Exception as exc:
            if _code(exc) != "NotFoundException":
                add("warn", "sender identity", f"could not read the SES identity {name} ({_code(exc)})")
                identity = False
                break
    if identity is None:
        add("fail", "sender identity", f"{domain} is not an SES identity in {region}: SES console -> Verified "
            "identities -> Create identity -> Domain, then add the DKIM records to your DNS")
    elif identity:
        verified = identity.get("VerifiedForSendingStatus") or identity.get("VerificationStatus") == "SUCCESS"
        add("ok" if verified else "fail", "sender identity",
            f"{domain} is verified for sending" if verified else
            f"{domain} is not verified yet ({identity.get('VerificationStatus', 'PENDING')}): add the DKIM "
            "CNAME records SES shows to your DNS and wait")

    try:
        account = clients.sesv2.get_account()
        production = bool(account.get("ProductionAccessEnabled"))
    except Exception:
        try:  # an account in the sandbox may send 200 emails a day
            production = float(clients.client("ses").get_send_quota().get("Max24HourSend", 0)) > 200
        except Exception as exc:
            production = None
            add("warn", "SES sandbox", f"could not read the SES account ({_code(exc)})")
    if production is not None:
        add("ok" if production else "warn", "SES sandbox", "production access: customers receive email"
            if production else f"SES in {region} is in the sandbox: only verified addresses receive email. "
            "Request production access (Account dashboard)")

    if config.owner_phones:
        try:
            attributes = clients.sns.get_sms_attributes(attributes=["MonthlySpendLimit"]).get("attributes", {})
            limit = float(attributes.get("MonthlySpendLimit") or 1)
            add("ok" if limit > 1 else "warn", "SMS spend limit",
                f"monthly SMS spend limit {limit:g} USD" + ("" if limit > 1 else
                " (the default: a few texts a month abroad; raise it with a Service Quotas request)"))
        except Exception as exc:
            add("warn", "SMS spend limit", f"could not read it ({_code(exc)})")
        try:
            sandboxed = bool(clients.sns.get_sms_sandbox_account_status().get("IsInSandbox"))
            add("warn" if sandboxed else "ok", "SMS sandbox",
                "SMS is in the sandbox: add and verify each owner phone (SNS console -> Text messaging -> "
                "Sandbox destination phone numbers) or request production access" if sandboxed
                else "SMS is out of the sandbox")
        except Exception as exc:
            add("warn", "SMS sandbox", f"could not check it ({_code(exc)}): see SNS console -> Text messaging")
    else:
        add("warn", "owner phones", "owner.alert_phones is empty: alarms and alerts reach you by email only")

    if region not in SES_RECEIVING_REGIONS:
        add("warn", "inbound email", f"SES does not receive email in {region} as far as Warmline knows: use the "
            "JSON inbound webhook, or deploy in a receiving region (docs/aws.md, Regions)")
    else:
        try:
            active = clients.client("ses").describe_active_receipt_rule_set().get("Metadata", {}).get("Name")
        except Exception as exc:
            active = None
            add("warn", "inbound email", f"could not read the active receipt rule set ({_code(exc)})")
        else:
            wanted = f"warmline-{stage}"
            add("ok" if active == wanted else "warn", "inbound email",
                f"receipt rule set {wanted} is active" if active == wanted else
                f"the active receipt rule set is {active or 'none'}: if you deployed with INBOUND_EMAIL, run "
                f"`aws ses set-active-receipt-rule-set --rule-set-name {wanted}`")
    return checks
