# Two entry points (see README): `make setup` and `make test`.
# Both install what is missing first; the stamp file makes a second run instant.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the tests need: headless Chromium prints the HTML report and, through chromium-driver, drives the
# workbench in the browser tests; LibreOffice (Writer, Calc) opens the Word letters, reviewed copies and
# spreadsheets as an office would, a CJK font renders them
SYSTEM := $(VENV)/.system-packages

.PHONY: setup test docs catalogue
setup: $(STAMP) $(CATALOGUES)
	@# exit 1 means "the samples have gaps", which is the table's content, not a set-up failure
	$(VENV)/bin/auditor audit reports/ || [ $$? -eq 1 ]

# the message catalogues, compiled again when a .po changed (the package build compiles them too)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard auditor/locale/*/LC_MESSAGES/*.po))

test: $(STAMP) $(SYSTEM) $(CATALOGUES)
	$(PY) -m pytest

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile -i $< -o $@ >/dev/null

catalogue: $(STAMP)   # new marked messages into auditor.po (empty, to translate), unused ones out
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ --no-location -o $(VENV)/auditor.pot .
	$(VENV)/bin/pybabel -q update -i $(VENV)/auditor.pot -d auditor/locale -D auditor -l zh_CN \
	  --ignore-obsolete --no-fuzzy-matching --no-wrap

docs: $(STAMP)   # regenerate the rule index in README.md and docs/rules/*.md from rules/
	$(PY) -m auditor.render.rule_docs .

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

SYSTEM_PACKAGES := chromium chromium-driver libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk

# As root (CI): installed with apt-get where one is missing. As another user, who cannot install them: one line,
# no stamp (the next run as root installs them), and tests/conftest.py skips the browser and office tests.
$(SYSTEM): $(STAMP)
	@if ! command -v chromium >/dev/null || ! [ -x /usr/bin/chromedriver ] || ! command -v soffice >/dev/null \
	    || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "make test: not root, so the missing ones of $(SYSTEM_PACKAGES) cannot be installed; the browser and office tests that need them are skipped"; \
	    exit 0; \
	  fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $(SYSTEM_PACKAGES) >/dev/null; \
	fi; \
	touch $@
