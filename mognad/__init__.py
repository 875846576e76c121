"""Mognad: open measurement of the digital maturity of public-sector organizations."""

__version__ = "0.1.0"
