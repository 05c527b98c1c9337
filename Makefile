# Two commands set the tracker up on a fresh machine with Python 3.11+ and make:
#   make demo   — install, migrate, load the seed data, create a demo editor, serve
#   make test   — install and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: demo test install check-python serve clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); run make PYTHON=python3.11 …" % sys.version.split()[0])'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py loadseeds
	$(BIN)/python manage.py demo_editor
	$(BIN)/python manage.py runserver $(HOST)

test: install
	# With DEBUG off, as the tests that start a server process run: hashed names and their manifest.
	DEBUG=false SECRET_KEY=collect-static-files-for-the-tests-only ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles
