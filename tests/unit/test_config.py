"""The owner's config: the example is valid; every problem is reported with its JSON path and a fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.cli import main
from chalicelib.config.loader import InvalidConfig, load, load_data, validate
from tests.conftest import EXAMPLE_CONFIG, ROOT, example_config_data


def problems(data: Any) -> dict[str, str]:
    return {p.path: f"{p.problem} | {p.fix}" for p in validate(data, EXAMPLE_CONFIG.parent)}


def test_example_config_is_valid_and_builds() -> None:
    config = load(EXAMPLE_CONFIG)
    assert config.shop_name == "Rosie's Bakery"
    assert [s.delay_hours for s in config.flows.abandoned_cart.steps] == [1, 24, 72]
    assert config.owner_phones == ("+447911123456",)
    assert not config.pilot
    assert config.secrets["shopify_webhook_secret"] == {"env": "WARMLINE_SHOPIFY_SECRET"}


def test_schema_has_an_id_and_descriptions_for_editors() -> None:
    schema = json.loads((Path(__file__).resolve().parents[2] / "chalicelib/config/schema.json").read_text())
    assert schema["$id"].startswith("https://")
    assert all("description" in schema["properties"][k] for k in ("shop", "owner", "secrets", "pilot"))


def test_every_problem_has_its_path_and_a_fix() -> None:
    data = example_config_data()
    data["shop"]["timezone"] = "Mars/Olympus"
    data["owner"]["alert_phones"] = ["+44 7911 123456", "+10000000000"]
    data["flows"]["abandoned_cart"]["steps"][0]["delay_hours"] = -1
    data["pilot"] = "yes"
    data["shopp"] = {}
    found = problems(data)
    assert "$.owner.alert_phones[0]" in found and "E.164" in found["$.owner.alert_phones[0]"]
    assert "$.flows.abandoned_cart.steps[0].delay_hours" in found
    assert "$.pilot" in found and "boolean" in found["$.pilot"]
    assert "$" in found and "shopp" in found["$"]


def test_semantic_checks_after_the_schema() -> None:
    data = example_config_data()
    data["shop"]["timezone"] = "Mars/Olympus"
    data["owner"]["alert_phones"] = ["+10000000000"]
    data["flows"]["abandoned_cart"]["steps"] = [{"delay_hours": 24, "template": "cart_reminder_1"},
                                                {"delay_hours": 1, "template": "no_such_template"}]
    found = problems(data)
    assert "unknown time zone" in found["$.shop.timezone"]
    assert "not a valid phone number" in found["$.owner.alert_phones[0]"]
    assert "increase" in found["$.flows.abandoned_cart.steps"]
    assert "no template named 'no_such_template'" in found["$.flows.abandoned_cart.steps[1].template"]


def test_owner_must_be_reachable_and_secrets_are_references_only() -> None:
    data = example_config_data()
    data["owner"] = {}
    assert "$.owner" in problems(data)
    data = example_config_data()
    data["secrets"]["shopify_webhook_secret"] = {"value": "plain-secret-in-the-file"}
    assert any(path.startswith("$.secrets.shopify_webhook_secret") for path in problems(data))


def test_load_refuses_an_invalid_config_with_every_problem() -> None:
    data = example_config_data(pilot="nope")
    data["sender"]["email"] = "not an email"
    with pytest.raises(InvalidConfig) as err:
        load_data(data, EXAMPLE_CONFIG.parent, "bad.json")
    paths = [p.path for p in err.value.problems]
    assert "$.pilot" in paths and "$.sender.email" in paths
    assert "bad.json is not a valid Warmline config" in str(err.value)


def test_cli_validate_prints_paths_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    data = example_config_data()
    data["quiet_hours"] = {"start": "25:00", "end": "08:00"}
    bad.write_text(json.dumps(data))
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "$.quiet_hours" in err and "fix:" in err
    (tmp_path / "broken.json").write_text("{ not json")
    assert main(["validate", str(tmp_path / "broken.json")]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["validate", str(EXAMPLE_CONFIG)]) == 0
    assert "valid Warmline config" in capsys.readouterr().out


def test_the_service_refuses_to_start_on_an_invalid_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(example_config_data(pilot=1)))
    assert main(["serve", "--config", str(bad), "--data-dir", str(tmp_path / "d"), "--port", "0"]) == 1
    assert "$.pilot" in capsys.readouterr().err


def test_a_config_written_for_the_first_version_loads_unchanged() -> None:
    old = ROOT / "tests" / "fixtures" / "config-v1-bakery.json"  # examples/bakery.json before flows were modules
    config = load(old)
    assert config.flows.abandoned_cart.steps[1].delay_hours == 24
    assert config.flows.unhappy_customer.acknowledge and config.flows.thank_you.template == "thank_you"
    assert not config.flows.late_order.enabled and not config.flows.csat.enabled  # new flows: opt-in
    assert config.flows.complaint_surge.enabled  # an owner-only alert: on unless turned off


def test_each_flows_defaults_are_written_once_in_the_schema() -> None:
    import dataclasses
    import json

    from chalicelib.config.loader import SCHEMA_PATH, flow_settings
    from chalicelib.flows import FLOWS

    blocks = json.loads(SCHEMA_PATH.read_text())["properties"]["flows"]["properties"]
    defaults = flow_settings({})
    for flow in FLOWS:
        if flow.always_on:
            assert flow.name not in blocks  # the law is not a setting
            continue
        block = blocks[flow.name]
        fields = {f.name for f in dataclasses.fields(flow.config_type)}
        assert fields == set(block["properties"]), flow.name  # the dataclass and the schema block agree
        for name, prop in block["properties"].items():
            assert "default" in prop and prop.get("description"), (flow.name, name)
        assert defaults[flow.name] == flow_settings({flow.name: {}})[flow.name]


def test_flow_specific_problems_are_explained() -> None:
    data = example_config_data()
    data["shop"] = {k: v for k, v in data["shop"].items() if k != "dispatch_within_days"}
    data["flows"] = {"late_order": {"enabled": True, "goodwill": {"kind": "percent", "value": 10}}}
    found = {p.path: p for p in validate(data, EXAMPLE_CONFIG.parent)}
    assert "dispatch promise" in found["$.flows.late_order"].problem
    assert "shopify_admin_token" in found["$.flows.late_order.goodwill"].fix


def test_shop_shopify_id_is_optional_and_must_be_a_positive_integer() -> None:
    assert load_data(example_config_data()).shopify_shop_id is None
    shop = example_config_data()["shop"]
    assert load_data(example_config_data(shop={**shop, "shopify_id": 954889})).shopify_shop_id == 954889
    for bad in ("954889", 0, 1.5, True):
        problems = validate(example_config_data(shop={**shop, "shopify_id": bad}))
        assert any("shopify_id" in p.path for p in problems), bad


def test_product_names_load_trimmed_and_bad_ones_are_refused_with_their_path() -> None:
    assert load(EXAMPLE_CONFIG).escalation.product_names == ("Broken Biscuit Bag", "Mouldy Old Dough",
                                                             "Death by Chocolate")
    data = example_config_data()
    data["escalation"]["product_names"] = ["  Rock Hard Cake ", "Ok"]
    assert load_data(data, EXAMPLE_CONFIG.parent, "c.json").escalation.product_names == ("Rock Hard Cake", "Ok")
    for bad in (["x"], [" "], [42], "Broken Biscuit Bag", ["Same", "Same"]):
        data["escalation"]["product_names"] = bad
        assert "$.escalation.product_names" in " ".join(problems(data)), bad
