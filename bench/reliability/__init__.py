"""Load and fault test (`make reliability`, `python -m bench.reliability`).

Many simulated respondents answer complete questionnaires against gunicorn + PostgreSQL while a web
worker is killed, the database restarts and the mail server goes away; afterwards every answer the
server acknowledged must be in the database and every invitation delivered exactly once.
See docs/reliability.md. The modules: `accounting` (pure tallies), `client` (a simulated
respondent), `sink` (the aiosmtpd mail sink), `services` (the private PostgreSQL cluster, gunicorn,
the worker), `run` (the scenario).
"""
