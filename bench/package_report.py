"""Slim the Lambda package and print its figures (used by `make package`).

    python bench/package_report.py slim build/dev/deployment.zip [--precompile]
    python bench/package_report.py report build/dev/deployment.zip [--runs 9]
    python bench/package_report.py check build/dev/sam.yaml

`slim` drops data Warmline never loads (phonenumbers' geocoder, carrier and time-zone
tables: only `phonenumbers.parse`/`is_valid_number` are used) and, with --precompile,
adds CPython 3.12 bytecode compiled with `unchecked-hash` invalidation, which Lambda's
read-only /var/task can use without checking source timestamps (zip keeps only 2-second
mtimes, so timestamp pycs would be ignored).

`report` prints the zip size and cold import times in fresh interpreters (`-S -B`,
PYTHONDONTWRITEBYTECODE=1): `import app` from the unzipped package without bytecode and
as shipped, beside `import boto3` (installed, with its bytecode, as on Lambda), and the
modules the first request loads. Medians of several runs; figures, never assertions.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

UNUSED_PREFIXES = ("phonenumbers/geodata/", "phonenumbers/carrierdata/", "phonenumbers/tzdata/",
                   # Powertools utilities Warmline never imports (nothing it imports loads them; `report`
                   # imports every handler's modules from the slimmed package to prove it).
                   "aws_lambda_powertools/event_handler/", "aws_lambda_powertools/utilities/idempotency/",
                   "aws_lambda_powertools/utilities/feature_flags/", "aws_lambda_powertools/utilities/data_masking/",
                   "aws_lambda_powertools/utilities/kafka/", "aws_lambda_powertools/utilities/auth_alpha/",
                   "aws_lambda_powertools/utilities/circuit_breaker/")
# The Lambda Python runtime provides boto3 and its dependencies; aws-xray-sdk (Powertools Tracer)
# declares botocore, so `chalice package` would ship a second, 17 MB copy.
RUNTIME_PROVIDED = ("boto3/", "boto3-", "botocore/", "botocore-", "s3transfer/", "s3transfer-", "dateutil/",
                    "python_dateutil-", "six.py", "six-")
FIRST_REQUEST = (
    "import app\n"
    "import chalicelib.bootstrap, chalicelib.adapters.aws.wiring, chalicelib.sqs_worker\n"
    "import chalicelib.config.loader as loader, jsonschema, jinja2\n"
    "from aws_lambda_powertools import Logger, Metrics\n"
)


WARM_UP = FIRST_REQUEST + (
    "import chalicelib.worker, chalicelib.executor, chalicelib.messages, chalicelib.pages, chalicelib.engine.local\n"
    "import chalicelib.adapters.aws.comprehend\n"
    "from aws_lambda_powertools.utilities.batch import BatchProcessor, process_partial_response\n"
    "from aws_lambda_powertools.utilities.parameters import SSMProvider\n"
    "from aws_lambda_powertools.metrics import single_metric\n"
    "import chalicelib.adapters.aws.feedback, chalicelib.adapters.aws.sms, chalicelib.domain.reason_codes\n"
    "import phonenumbers; phonenumbers.parse('+447911123456', None)\n"
)


def _imported_files(root: Path) -> list[Path]:
    """The package's .py files that the handlers' imports load (boto3 comes from the runtime)."""
    import boto3

    site = str(Path(boto3.__file__).resolve().parent.parent)
    code = WARM_UP + (
        "import json, sys\nprint(json.dumps([getattr(m, '__file__', None) for m in list(sys.modules.values())]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_"))}
    env.update({"PYTHONPATH": os.pathsep.join([str(root), site]), "PYTHONDONTWRITEBYTECODE": "1"})
    out = subprocess.run([sys.executable, "-S", "-B", "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=root)
    files = {Path(f).resolve() for f in json.loads(out.stdout.splitlines()[-1]) if f and f.endswith(".py")}
    base = root.resolve()
    return sorted(f for f in files if f.is_relative_to(base))


def slim(zip_path: Path, precompile: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pkg"
        with zipfile.ZipFile(zip_path) as source:
            names = [n for n in source.namelist() if not n.startswith(UNUSED_PREFIXES + RUNTIME_PROVIDED)]
            dropped = len(source.namelist()) - len(names)
            for name in names:
                source.extract(name, root)
            modes = {n: source.getinfo(n).external_attr for n in names}
        if precompile:
            if sys.version_info[:2] != (3, 12):
                raise SystemExit("precompiling needs Python 3.12, the Lambda runtime's version")
            # Only the modules a Lambda really imports: bytecode for everything would add 2.5 MB.
            for path in _imported_files(root):
                py_compile.compile(str(path), cfile=importlib.util.cache_from_source(str(path)), doraise=True,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        files = sorted(p for p in root.rglob("*") if p.is_file())
        tmp_zip = zip_path.with_suffix(".tmp.zip")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for path in files:
                name = path.relative_to(root).as_posix()
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = modes.get(name, 0o644 << 16)
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, path.read_bytes())
        tmp_zip.replace(zip_path)
    pycs = sum(1 for p in files if p.suffix == ".pyc")
    print(f"slimmed {zip_path}: dropped {dropped} unused data files and copies of what the runtime provides; "
          f"{pycs} precompiled .pyc files")


def _sample(code: str, pythonpath: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_"))}
    env.update({"PYTHONPATH": pythonpath, "PYTHONDONTWRITEBYTECODE": "1", "WARMLINE_MODE": "aws"})
    timer = ("import time\nt0 = time.perf_counter()\n" + code +
             "print(time.perf_counter() - t0)\n")
    out = subprocess.run([sys.executable, "-S", "-B", "-c", timer], env=env, capture_output=True, text=True,
                         check=False, cwd=pythonpath.split(os.pathsep)[0])
    if out.returncode != 0:
        raise SystemExit(f"import failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def _time_import(code: str, pythonpath: str, runs: int) -> float:
    return statistics.median(_sample(code, pythonpath) for _ in range(runs)) * 1000


def _time_interleaved(cases: dict[str, tuple[str, str]], runs: int) -> dict[str, float]:
    """Medians in ms, the cases taking turns run by run, so a busy machine slows them alike."""
    samples: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, (code, pythonpath) in cases.items():
            samples[label].append(_sample(code, pythonpath))
    return {label: statistics.median(values) * 1000 for label, values in samples.items()}


def report(zip_path: Path, runs: int) -> None:
    size = zip_path.stat().st_size
    print(f"package: {zip_path} {size / 1e6:.2f} MB zipped (goal < 5 MB: {'met' if size < 5e6 else 'NOT met'})")
    import boto3

    site = str(Path(boto3.__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped"
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(shipped)
        has_pyc = any(shipped.rglob("*.pyc"))
        source_only = Path(tmp) / "source"
        shutil.copytree(shipped, source_only, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        # Every handler's modules load from the slimmed package: the worker's Tracer, batch and SSM too.
        _time_import("import chalicelib.sqs_worker as w\nw.tracer()\n"
                     "from aws_lambda_powertools.utilities.batch import BatchProcessor\n"
                     "from aws_lambda_powertools.utilities.parameters import SSMProvider\n"
                     "import chalicelib.adapters.aws.feedback, chalicelib.adapters.aws.wiring\n",
                     os.pathsep.join([str(source_only), site]), 1)
        # The phone check the config loader does still works without the pruned data.
        _time_import("import phonenumbers\nassert phonenumbers.is_valid_number("
                     "phonenumbers.parse('+447911123456', None))\n", str(source_only), 1)
        cases = {"boto": ("import boto3\n", site), "app_src": ("import app\n", str(source_only)),
                 "first_src": (FIRST_REQUEST, str(source_only))}
        if has_pyc:
            cases.update({"app_pyc": ("import app\n", str(shipped)), "first_pyc": (FIRST_REQUEST, str(shipped))})
        t = _time_interleaved(cases, runs)
        boto = t["boto"]

        def line(label: str, key: str, note: str = "") -> None:
            print(f"  {label:<43} {t[key]:7.1f} ms  ({t[key] / boto:.2f}x boto3{note})")

        print(f"cold import, median of {runs} fresh interpreters taking turns (-S -B, PYTHONDONTWRITEBYTECODE=1):")
        print(f"  {'import boto3 (installed, as on Lambda)':<43} {boto:7.1f} ms")
        line("import app, package without bytecode", "app_src", "; goal <= 1.35x")
        line("first-request modules, without bytecode", "first_src")
        if has_pyc:
            line("import app, as shipped (3.12 bytecode)", "app_pyc")
            line("first-request modules, as shipped", "first_pyc",
                 f"; goal <= 1.35x; bytecode saves {t['first_src'] - t['first_pyc']:.0f} ms")


def check(template_path: Path) -> None:
    """What cfn-lint cannot know: the merge template's patches met Chalice's resources."""
    import yaml  # type: ignore[import-untyped]  # PyYAML comes with cfn-lint (dev only)

    template = yaml.safe_load(template_path.read_text())
    resources = template["Resources"]
    problems = [f"{name}: a patch in infra/resources.yaml with no Chalice resource to patch (renamed handler?)"
                for name, res in resources.items() if "Type" not in res]
    functions = {n: r for n, r in resources.items() if r.get("Type") == "AWS::Serverless::Function"}
    sqs_events = [(n, e) for n, f in functions.items() for e in f["Properties"].get("Events", {}).values()
                  if e.get("Type") == "SQS"]
    if not sqs_events:
        problems.append("no SQS event source in the template")
    visibility = resources["DeliveryQueue"]["Properties"]["VisibilityTimeout"]
    for name, event in sqs_events:
        props = event["Properties"]
        if "ReportBatchItemFailures" not in props.get("FunctionResponseTypes", []):
            problems.append(f"{name}: SQS event without ReportBatchItemFailures")
        if props.get("Queue") != {"Fn::Sub": "${DeliveryQueue.Arn}"}:
            problems.append(f"{name}: SQS event not bound to this stack's DeliveryQueue: {props.get('Queue')}")
        timeout = functions[name]["Properties"].get("Timeout", 60)
        if visibility < 6 * timeout:
            problems.append(f"{name}: queue visibility {visibility}s < 6 x function timeout {timeout}s")
    problems += _wildcard_actions(resources)
    problems += _operations(resources, functions)
    if problems:
        raise SystemExit("template check failed:\n  " + "\n  ".join(problems))
    print(f"template check: {len(functions)} functions, {len(sqs_events)} SQS event(s) with "
          f"ReportBatchItemFailures on DeliveryQueue, inbound mail via S3 with a dead-letter destination, "
          f"SES feedback, alarms on the alerts topic (phones subscribed), log retention on every function, "
          f"worker tracing, API throttling, no placeholder parameters, no wildcard Allow actions")


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    statements = document.get("Statement", [])
    found = [statements] if isinstance(statements, dict) else list(statements)
    # A conditional statement ({"Fn::If": [condition, statement, AWS::NoValue]}) is checked as if present.
    return [s["Fn::If"][1] if isinstance(s, dict) and "Fn::If" in s else s for s in found]


def _wildcard_actions(resources: dict[str, Any]) -> list[str]:
    """Every Allow in a role, bucket or topic policy names its actions (a Deny may say s3:*)."""
    problems = []
    for name, res in resources.items():
        props = res.get("Properties", {})
        documents = [p["PolicyDocument"] for p in props.get("Policies", [])] if res.get("Type") == "AWS::IAM::Role" \
            else [props["PolicyDocument"]] if "PolicyDocument" in props else []
        for document in documents:
            for statement in _statements(document):
                if statement.get("Effect") != "Allow":
                    continue
                actions = statement.get("Action", [])
                for action in [actions] if isinstance(actions, str) else actions:
                    if "*" in action:
                        problems.append(f"{name}: wildcard action {action}")
                if "NotAction" in statement:
                    problems.append(f"{name}: Allow with NotAction")
    return problems


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
        if "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
            return value["Fn::Sub"].strip("${}").split(".")[0]
    return None


def _operations(resources: dict[str, Any], functions: dict[str, Any]) -> list[str]:
    """Issue 10's bar: what a real shop's stack must have, read from the merged template."""
    problems: list[str] = []

    def of_type(kind: str) -> dict[str, Any]:
        return {n: r for n, r in resources.items() if r.get("Type") == kind}

    # Secrets: written by `make secrets` as SecureStrings, never template placeholders.
    problems += [f"{n}: SSM parameter in the template (secrets are written by `make secrets`)"
                 for n in of_type("AWS::SSM::Parameter")]

    # Inbound email: bucket (encrypted, expiring, SES-only policy), receipt rule S3 action + topic.
    buckets = of_type("AWS::S3::Bucket")
    bucket = buckets.get("InboundEmailBucket", {}).get("Properties")
    if bucket is None:
        problems.append("no InboundEmailBucket")
    else:
        rules = bucket.get("LifecycleConfiguration", {}).get("Rules", [])
        if not any(r.get("Status") == "Enabled" and r.get("ExpirationInDays") for r in rules):
            problems.append("InboundEmailBucket: no lifecycle expiry")
        if not bucket.get("BucketEncryption"):
            problems.append("InboundEmailBucket: no default encryption")
        if not all(bucket.get("PublicAccessBlockConfiguration", {}).get(k) for k in
                   ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")):
            problems.append("InboundEmailBucket: public access not fully blocked")
    policies = [r["Properties"] for r in of_type("AWS::S3::BucketPolicy").values()
                if _ref(r["Properties"].get("Bucket")) == "InboundEmailBucket"]
    allows = [s for p in policies for s in _statements(p["PolicyDocument"]) if s.get("Effect") == "Allow"]
    if not allows:
        problems.append("InboundEmailBucket: no bucket policy for SES")
    for statement in allows:
        condition = statement.get("Condition", {})
        if statement.get("Principal") != {"Service": "ses.amazonaws.com"} or statement.get("Action") != "s3:PutObject":
            problems.append("InboundEmailBucket policy: an Allow for someone other than SES PutObject")
        if "aws:SourceAccount" not in condition.get("StringEquals", {}) or \
                "aws:SourceArn" not in condition.get("ArnLike", {}):
            problems.append("InboundEmailBucket policy: SES allowed without aws:SourceAccount and aws:SourceArn")
    actions = [a for r in of_type("AWS::SES::ReceiptRule").values() for a in r["Properties"]["Rule"]["Actions"]]
    if not any(_ref(a.get("S3Action", {}).get("BucketName")) == "InboundEmailBucket"
               and _ref(a.get("S3Action", {}).get("TopicArn")) == "InboundEmailTopic" for a in actions):
        problems.append("no SES receipt rule storing mail in InboundEmailBucket and notifying InboundEmailTopic")

    # SNS-triggered functions: an on-failure destination (no event dropped after Lambda's retries).
    for name, function in functions.items():
        events = function["Properties"].get("Events", {}).values()
        if any(e.get("Type") == "SNS" for e in events):
            destination = function["Properties"].get("EventInvokeConfig", {}).get("DestinationConfig", {}) \
                .get("OnFailure", {})
            if destination.get("Type") != "SQS" or _ref(destination.get("Destination")) != "EventDeadLetterQueue":
                problems.append(f"{name}: SNS-triggered without an on-failure SQS destination")
    topics = {_ref(e["Properties"].get("Topic")): n for n, f in functions.items()
              for e in f["Properties"].get("Events", {}).values() if e.get("Type") == "SNS"}
    if "InboundEmailTopic" not in topics:
        problems.append("no function subscribed to InboundEmailTopic")

    # SES feedback: bounces and complaints to a topic a function reads.
    feedback = [r["Properties"]["EventDestination"] for r in of_type("AWS::SES::ConfigurationSetEventDestination")
                .values()]
    if not any({"bounce", "complaint"} <= set(d.get("MatchingEventTypes", []))
               and _ref(d.get("SnsDestination", {}).get("TopicARN")) in topics for d in feedback):
        problems.append("no SES event destination sending bounces and complaints to a subscribed function")

    # Alarms, all on the alerts topic.
    alarms = of_type("AWS::CloudWatch::Alarm")

    def alarmed(namespace: str, metric: str, dimension: str | None = None) -> bool:
        for alarm in alarms.values():
            props = alarm["Properties"]
            if props.get("Namespace") != namespace or props.get("MetricName") != metric:
                continue
            if "AlertsTopic" not in [_ref(a) for a in props.get("AlarmActions", [])]:
                continue
            if dimension is None or dimension in [_ref(d.get("Value")) for d in props.get("Dimensions", [])]:
                return True
        return False

    for name in functions:
        for metric in ("Errors", "Throttles"):
            if not alarmed("AWS/Lambda", metric, name):
                problems.append(f"{name}: no {metric} alarm to the alerts topic")
    wanted = [("AWS/ApiGateway", "5XXError", None), ("AWS/SQS", "ApproximateAgeOfOldestMessage", "DeliveryQueue"),
              ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "DeadLetterQueue"),
              ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "EventDeadLetterQueue"),
              ("AWS/SES", "Reputation.BounceRate", None), ("AWS/SES", "Reputation.ComplaintRate", None),
              ("AWS/SNS", "SMSSuccessRate", None), ("Warmline", "DeliveryFailures", None)]
    problems += [f"no {metric} alarm{' on ' + dim if dim else ''} to the alerts topic"
                 for namespace, metric, dim in wanted if not alarmed(namespace, metric, dim)]
    subscriptions = [r["Properties"] for r in of_type("AWS::SNS::Subscription").values()
                     if _ref(r["Properties"].get("TopicArn")) == "AlertsTopic"]
    for protocol in ("sms", "email"):
        if not any(s.get("Protocol") == protocol for s in subscriptions):
            problems.append(f"the alerts topic has no {protocol} subscription")

    # Logs kept for a set time; tracing on the worker; throttled API; bounded worker concurrency.
    for name, function in functions.items():
        target = _ref(function["Properties"].get("LoggingConfig", {}).get("LogGroup"))
        group = resources.get(target or "", {}).get("Properties", {}) if target else {}
        if resources.get(target or "", {}).get("Type") != "AWS::Logs::LogGroup" or not group.get("RetentionInDays"):
            problems.append(f"{name}: does not log to a log group of the stack with a retention")
    worker = functions.get("ProcessDeliveries", {}).get("Properties", {})
    if worker.get("Tracing") != "Active":
        problems.append("ProcessDeliveries: X-Ray tracing not active")
    sqs = [e["Properties"] for e in worker.get("Events", {}).values() if e.get("Type") == "SQS"]
    if not sqs or not sqs[0].get("ScalingConfig", {}).get("MaximumConcurrency"):
        problems.append("ProcessDeliveries: no SQS maximum concurrency")
    api = resources.get("RestAPI", {}).get("Properties", {})
    if not any(m.get("ThrottlingRateLimit") and m.get("ThrottlingBurstLimit") for m in api.get("MethodSettings", [])):
        problems.append("RestAPI: no throttling limits")
    if "RestAPI" in json.dumps(functions.get("APIHandler", {}).get("Properties", {})):
        # CloudFormation refuses the cycle (the API's definition names the function); cfn-lint does not see it.
        problems.append("APIHandler refers to RestAPI: a circular dependency (app.py reads the request context)")
    for name, function in functions.items():
        if name == "APIHandler":
            continue  # it cannot name its own API (circular); app.py reads API Gateway's request context
        if "WARMLINE_API_URL" not in function["Properties"].get("Environment", {}).get("Variables", {}):
            problems.append(f"{name}: no WARMLINE_API_URL (links would have no base)")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("slim")
    s.add_argument("zip", type=Path)
    s.add_argument("--precompile", action="store_true")
    r = sub.add_parser("report")
    r.add_argument("zip", type=Path)
    r.add_argument("--runs", type=int, default=9)
    c = sub.add_parser("check")
    c.add_argument("template", type=Path)
    args = parser.parse_args()
    if args.command == "slim":
        slim(args.zip, args.precompile)
    elif args.command == "check":
        check(args.template)
    else:
        report(args.zip, args.runs)


if __name__ == "__main__":
    main()
