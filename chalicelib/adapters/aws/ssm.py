"""SecretSource on SSM Parameter Store (SecureString), read through Powertools Parameters.

The config names each secret by reference ({"ssm": "/warmline/prod/shopify_webhook_secret"});
values are decrypted, cached for `max_age` seconds per warm Lambda, and never logged
or put in an error message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class SecretUnavailable(Exception):
    """SSM could not be read right now (throttled, no permission...): the request should fail with 5xx."""


class SsmSecrets:
    def __init__(self, ssm_client: Any, refs: Mapping[str, Mapping[str, str]], max_age: int = 300,
                 default_prefix: str | None = None) -> None:
        """`default_prefix` ("/warmline/dev"): where a secret the config names by environment
        variable (the local form) is read on AWS, as <prefix>/<secret name>. The template
        reserves exactly these names, so the example config deploys unchanged."""
        from aws_lambda_powertools.utilities.parameters import SSMProvider  # heavy: only in aws mode

        self.provider = SSMProvider(boto3_client=ssm_client)
        self.refs = refs
        self.max_age = max_age
        self.default_prefix = default_prefix.rstrip("/") if default_prefix else None

    def get(self, name: str) -> str:
        ref = self.refs.get(name)
        if ref is None:
            raise KeyError(f"no secret named {name!r} in the config's \"secrets\"")
        path = ref.get("ssm") or (f"{self.default_prefix}/{name}" if self.default_prefix else None)
        if not path:
            raise KeyError(f"secret {name} is not an SSM reference; on AWS use {{'ssm': '/warmline/<stage>/{name}'}}")
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            value = self.provider.get(path, max_age=self.max_age, decrypt=True)
        except GetParameterError as exc:
            # str(exc) names the parameter and the AWS error, never a value.
            cause = exc.__cause__ or exc.__context__
            code = getattr(cause, "response", {}).get("Error", {}).get("Code") if cause is not None else None
            if code == "ParameterNotFound" or "ParameterNotFound" in str(exc):
                raise KeyError(
                    f"SSM parameter {path} (secret {name}) is not set: "
                    f"aws ssm put-parameter --type SecureString --name {path} --value ..."
                ) from None
            raise SecretUnavailable(f"could not read SSM parameter {path} (secret {name})") from None
        if not isinstance(value, str) or not value or value == "placeholder":
            raise KeyError(f"SSM parameter {path} (secret {name}) holds no secret yet")
        return value
