"""Create, on a moto server, the resources infra/resources.yaml describes.

The template is read with cfn-lint's decoder; each supported resource is created
with the properties written in the template (names prefixed by the stack name), so
what the tests exercise is what CloudFormation would deploy: the table's keys, its
indexes and TTL, the queue's visibility timeout and redrive policy, the topic, the
SES configuration set and the SSM parameter names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "resources.yaml"
REGION = "eu-west-1"
ACCOUNT = "123456789012"


@dataclass
class Stack:
    name: str
    parameters: dict[str, str]
    physical: dict[str, str] = field(default_factory=dict)  # logical id -> Ref value
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)  # logical id -> {Attr: value}
    template: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.physical["StateTable"]

    @property
    def queue_url(self) -> str:
        return self.physical["DeliveryQueue"]

    @property
    def dlq_url(self) -> str:
        return self.physical["DeadLetterQueue"]

    @property
    def topic_arn(self) -> str:
        return self.physical["AlertsTopic"]

    @property
    def configuration_set(self) -> str:
        return self.physical["EmailConfigurationSet"]

    @property
    def inbound_bucket(self) -> str:
        return self.physical["InboundEmailBucket"]

    @property
    def event_dlq_url(self) -> str:
        return self.physical["EventDeadLetterQueue"]

    @property
    def feedback_topic_arn(self) -> str:
        return self.physical["EmailFeedbackTopic"]

    def environment(self, api_url: str = "https://abc123.execute-api.eu-west-1.amazonaws.com/api") -> dict[str, str]:
        """The variables the template sets on a worker function (Globals + the WARMLINE_API_URL patch)."""
        return {
            "WARMLINE_MODE": "aws", "WARMLINE_STAGE": self.parameters.get("Stage", "dev"), "AWS_REGION": REGION,
            "WARMLINE_TABLE": self.table, "WARMLINE_QUEUE_URL": self.queue_url,
            "WARMLINE_ALERTS_TOPIC_ARN": self.topic_arn, "WARMLINE_SES_CONFIGURATION_SET": self.configuration_set,
            "WARMLINE_INBOUND_BUCKET": self.inbound_bucket, "WARMLINE_API_URL": api_url,
        }

    def resource(self, logical: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.template["Resources"][logical]
        return resource

    # --- intrinsic functions, as far as the supported resources need them ----------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                return self._ref(value["Ref"])
            if set(value) == {"Fn::GetAtt"}:
                logical, attr = value["Fn::GetAtt"]
                return self.attributes[logical][attr]
            if set(value) == {"Fn::Sub"}:
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), value["Fn::Sub"])
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _ref(self, name: str) -> str:
        pseudo = {"AWS::StackName": self.name, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                  "AWS::Partition": "aws"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.physical[name]

    def _sub(self, expr: str) -> str:
        if "." in expr and not expr.startswith("AWS::"):
            logical, attr = expr.split(".", 1)
            return self.attributes[logical][attr]
        return self._ref(expr)


def _load_template() -> dict[str, Any]:
    from cfnlint.decode import decode  # type: ignore[import-untyped]

    template, matches = decode(str(TEMPLATE))
    if matches or template is None:
        raise AssertionError(f"cannot read {TEMPLATE}: {matches}")
    plain: dict[str, Any] = json.loads(json.dumps(template))  # plain dicts
    return plain


def create_stack(clients: Any, name: str, parameters: dict[str, str]) -> Stack:
    template = _load_template()
    defaults = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    stack = Stack(name=name, parameters={**defaults, **parameters}, template=template)
    resources = template["Resources"]
    by_type: dict[str, list[str]] = {}
    for logical, resource in resources.items():
        by_type.setdefault(resource.get("Type", "(patch)"), []).append(logical)

    for logical in by_type.get("AWS::DynamoDB::Table", []):
        props = stack.resolve(resources[logical]["Properties"])
        table = f"{name}-{logical}"
        kwargs = {k: props[k] for k in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                                         "BillingMode") if k in props}
        clients.dynamodb.create_table(TableName=table, **kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            clients.dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification=ttl)
        stack.physical[logical] = table
        stack.attributes[logical] = {"Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"}

    # Queues without a redrive policy first: they are the dead-letter targets.
    queues = sorted(by_type.get("AWS::SQS::Queue", []), key=lambda q: "RedrivePolicy" in resources[q]["Properties"])
    for logical in queues:
        props = stack.resolve(resources[logical]["Properties"])
        queue = f"{name}-{logical}"
        attributes = {}
        for key in ("VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize", "DelaySeconds",
                    "ReceiveMessageWaitTimeSeconds"):
            if key in props:
                attributes[key] = str(props[key])
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
        url = clients.sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
        stack.physical[logical] = url
        stack.attributes[logical] = {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}", "QueueName": queue}

    for logical in by_type.get("AWS::SNS::Topic", []):
        arn = clients.sns.create_topic(Name=f"{name}-{logical}")["TopicArn"]
        stack.physical[logical] = arn
        stack.attributes[logical] = {"TopicArn": arn}

    for logical in by_type.get("AWS::SES::ConfigurationSet", []):
        props = stack.resolve(resources[logical]["Properties"])
        try:  # the name comes from the stage, so stacks in one moto server share it
            clients.sesv2.create_configuration_set(ConfigurationSetName=props["Name"])
        except Exception as exc:
            if "AlreadyExists" not in str(exc):
                raise
        stack.physical[logical] = props["Name"]

    for logical in by_type.get("AWS::S3::Bucket", []):
        props = stack.resolve(resources[logical]["Properties"])
        bucket = f"{name}-{logical}".lower()
        clients.client("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3 = clients.client("s3")
        if "BucketEncryption" in props:
            s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
                {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                 "BucketKeyEnabled": rule.get("BucketKeyEnabled", False)}
                for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(Bucket=bucket,
                                       PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
        rules = props.get("LifecycleConfiguration", {}).get("Rules", [])
        if rules:
            s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
                {"ID": r["Id"], "Status": r["Status"], "Filter": {"Prefix": ""},
                 "Expiration": {"Days": int(r["ExpirationInDays"])},
                 "AbortIncompleteMultipartUpload": r.get("AbortIncompleteMultipartUpload", {"DaysAfterInitiation": 1})}
                for r in rules]})
        stack.physical[logical] = bucket
        stack.attributes[logical] = {"Arn": f"arn:aws:s3:::{bucket}"}

    for logical in by_type.get("AWS::S3::BucketPolicy", []):
        props = stack.resolve(resources[logical]["Properties"])
        clients.client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=json.dumps(props["PolicyDocument"]))

    for logical in by_type.get("AWS::SSM::Parameter", []):
        props = stack.resolve(resources[logical]["Properties"])
        clients.ssm.put_parameter(Name=props["Name"], Type=props["Type"], Value=props["Value"], Overwrite=True)
        stack.physical[logical] = props["Name"]

    return stack
