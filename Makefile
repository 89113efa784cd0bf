# Warmline: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= examples/bakery.json
DATA_DIR ?= var
STAGE ?= dev

# Find a Python 3.12 (the Lambda runtime we target). pyenv's `python3.12` shim only runs with
# PYENV_VERSION set, so look at pyenv's real interpreters first, then the PATH.
PYTHON312 := $(shell for c in $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12 $$(command -v python3.12); do \
    if [ -x "$$c" ] && "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then echo "$$c"; break; fi; done)

.PHONY: run test lint typecheck unit demo eval bench load soak package deploy secrets doctor clean venv train cue-gates

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  if [ -z "$(PYTHON312)" ]; then echo "Warmline needs Python 3.12 (the AWS Lambda runtime). Install it (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $(PYTHON312)"; $(PYTHON312) -m venv $(VENV); fi
	$(PY) -m pip install -q --upgrade "pip>=24,<26.3"  # chalice package needs pip < 26.3
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/warmline serve --config $(CONFIG) --data-dir $(DATA_DIR)

test: $(STAMP)
	@test -d ../shared/fixtures || { echo "The shared fixtures are missing: expected ../shared/fixtures beside this checkout." >&2; exit 1; }
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	@test -x "$${WARMLINE_CHROMIUM:-/usr/bin/chromium}" || echo "!!!!! BROWSER TESTS SKIPPED: no Chromium at $${WARMLINE_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium; CI installs it and requires them) !!!!!"
	$(VENV)/bin/python -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

demo: $(STAMP)
	$(VENV)/bin/warmline demo --config $(CONFIG) --data-dir $(DATA_DIR)

eval: $(STAMP)
	$(PY) bench/eval_sentiment.py

# Retrain the local sentiment model (chalicelib/engine/sentiment_model.bin + MODEL_CARD.md) from
# ../shared/data/sentiment-train/, then the "needs a person" model (person_model.bin + PERSON_MODEL_CARD.md) from the
# blind probes and that data; the training-only dependencies go into the same venv.
train: $(STAMP)
	$(PY) -m pip install -q -r requirements-train.txt
	OMP_NUM_THREADS=2 $(PY) bench/train_sentiment.py
	OMP_NUM_THREADS=2 $(PY) bench/train_person.py

# After editing a cue pattern (chalicelib/domain/cues.py): choose again the words that gate each kind's search
# (chalicelib/domain/cue_gates.py; tests/unit/test_cue_gates.py says when it is due). Reads ../shared/data.
cue-gates: $(STAMP)
	$(PY) bench/cue_gates.py

bench: $(STAMP)
	$(PY) bench/intake.py

# Load and fault figures (not part of `make test`): bench/load.py prints intake and drain rates beside a floor;
# `make soak` runs every bench/soak*.py (faults against a real `warmline serve`) and fails if one does.
load: $(STAMP)
	$(PY) bench/load.py

soak: $(STAMP)
	@test -d ../shared/fixtures || { echo "The shared fixtures are missing: expected ../shared/fixtures beside this checkout." >&2; exit 1; }
	@status=0; for script in bench/soak*.py; do echo "== $$script"; $(PY) $$script || status=1; done; exit $$status

clean:
	rm -rf $(VENV) build var .pytest_cache .mypy_cache .ruff_cache

# ---- AWS: package and deploy (owned with the AWS adapters; walk-through in docs/aws.md) ----------
AWS_REGION ?= eu-west-1
SHOP_CONFIG ?= $(CONFIG)
PACKAGE_DIR = build/$(STAGE)
STACK_NAME ?= warmline-$(STAGE)
DEPLOY_BUCKET ?=
ALERT_EMAIL ?=
INBOUND_EMAIL ?=
KMS_KEY_ID ?=
SECRETS_KMS_KEY_ARN ?=
SENDER_IDENTITY ?= $(shell $(PY) -c "import json; print(json.load(open('$(SHOP_CONFIG)'))['sender']['email'].split('@')[1])" 2>/dev/null)
ALERT_PHONES ?= $(shell $(PY) -c "import json; print(','.join(json.load(open('$(SHOP_CONFIG)')).get('owner', {}).get('alert_phones', [])))" 2>/dev/null)
LOG_RETENTION_DAYS ?= $(shell $(PY) -c "import json; print(json.load(open('$(SHOP_CONFIG)')).get('aws', {}).get('log_retention_days', 30))" 2>/dev/null)

# The package is built from a staging copy, so the owner's config (SHOP_CONFIG) goes into
# chalicelib/config/shop.json of the zip without touching the working tree.
package: $(STAMP)
	@case "$(STAGE)" in dev|prod) ;; *) echo "STAGE must be dev or prod, not '$(STAGE)'." >&2; exit 1;; esac
	$(VENV)/bin/warmline validate --stage $(STAGE) $(SHOP_CONFIG)
	rm -rf $(PACKAGE_DIR) && mkdir -p $(PACKAGE_DIR)/src
	cp -R app.py requirements.txt .chalice chalicelib $(PACKAGE_DIR)/src/
	rm -rf $(PACKAGE_DIR)/src/.chalice/deployments $(PACKAGE_DIR)/src/.chalice/venv
	find $(PACKAGE_DIR)/src -name __pycache__ -prune -exec rm -rf {} +
	cp $(SHOP_CONFIG) $(PACKAGE_DIR)/src/chalicelib/config/shop.json
	cd $(PACKAGE_DIR)/src && AWS_DEFAULT_REGION=$(AWS_REGION) $(CURDIR)/$(VENV)/bin/chalice package \
	  --stage $(STAGE) --merge-template $(CURDIR)/infra/resources.yaml $(CURDIR)/$(PACKAGE_DIR)
	$(PY) bench/package_report.py slim $(PACKAGE_DIR)/deployment.zip --precompile
	$(PY) bench/package_report.py check $(PACKAGE_DIR)/sam.yaml
	$(VENV)/bin/cfn-lint --include-checks I --non-zero-exit-code informational -- $(PACKAGE_DIR)/sam.yaml
	$(PY) bench/package_report.py report $(PACKAGE_DIR)/deployment.zip
	@echo "Deployable template and zip: $(PACKAGE_DIR)/sam.yaml and $(PACKAGE_DIR)/deployment.zip"

deploy: $(STAMP)
	@aws --version >/dev/null 2>&1 || { echo "The AWS CLI is not installed (or not working): install it (https://aws.amazon.com/cli/), run 'aws configure', then 'make deploy STAGE=$(STAGE)' again." >&2; exit 1; }
	@test -n "$(DEPLOY_BUCKET)" || { echo "Set DEPLOY_BUCKET to an S3 bucket you own in $(AWS_REGION) (the zip is uploaded there): make deploy STAGE=$(STAGE) DEPLOY_BUCKET=my-bucket" >&2; exit 1; }
	@test -n "$(SENDER_IDENTITY)" || { echo "Cannot read the sender's domain from $(SHOP_CONFIG); set SENDER_IDENTITY=yourdomain.com" >&2; exit 1; }
	@$(VENV)/bin/warmline secrets check --stage $(STAGE) --config $(SHOP_CONFIG) --region $(AWS_REGION) || { echo "Not deploying: set the secrets first with 'make secrets STAGE=$(STAGE)' (docs/aws.md, step 2)." >&2; exit 1; }
	$(MAKE) --no-print-directory package STAGE=$(STAGE) SHOP_CONFIG=$(SHOP_CONFIG) AWS_REGION=$(AWS_REGION)
	aws cloudformation package --region $(AWS_REGION) --template-file $(PACKAGE_DIR)/sam.yaml \
	  --s3-bucket $(DEPLOY_BUCKET) --s3-prefix $(STACK_NAME) --output-template-file $(PACKAGE_DIR)/packaged.yaml
	aws cloudformation deploy --region $(AWS_REGION) --template-file $(PACKAGE_DIR)/packaged.yaml \
	  --stack-name $(STACK_NAME) --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
	  --parameter-overrides Stage=$(STAGE) SenderIdentity=$(SENDER_IDENTITY) AlertEmail=$(ALERT_EMAIL) \
	  AlertPhones=$(ALERT_PHONES) LogRetentionDays=$(LOG_RETENTION_DAYS) InboundEmailRecipient=$(INBOUND_EMAIL) \
	  SecretsKmsKeyArn=$(SECRETS_KMS_KEY_ARN)
	aws cloudformation describe-stacks --region $(AWS_REGION) --stack-name $(STACK_NAME) \
	  --query "Stacks[0].Outputs[?OutputKey=='ApiUrl' || OutputKey=='InboundReceiptRuleSet' || OutputKey=='AlertsTopicArn'].[OutputKey,OutputValue]" --output text
	@echo "Next: make doctor STAGE=$(STAGE) AWS_REGION=$(AWS_REGION)"

# Webhook secrets as SecureStrings (KMS_KEY_ID=alias/... for your own key), from the environment variables
# your config names (SHOPIFY_WEBHOOK_SECRET...). Safe to run again: equal values write nothing.
secrets: $(STAMP)
	$(VENV)/bin/warmline secrets put --stage $(STAGE) --config $(SHOP_CONFIG) --region $(AWS_REGION) \
	  $(if $(KMS_KEY_ID),--kms-key-id $(KMS_KEY_ID))

# The first-deploy checklist (docs/aws.md), checked against the account.
doctor: $(STAMP)
	$(VENV)/bin/warmline doctor --stage $(STAGE) --config $(SHOP_CONFIG) --region $(AWS_REGION)
