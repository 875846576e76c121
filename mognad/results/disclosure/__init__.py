"""Disclosure control: the one door every figure passes through before it leaves the server.

- `cells`: the cell rule and complementary suppression (pure, numpy).
- `measurement`: what one measurement releases (groups, statements per group, earlier releases).
- `organizations`: what a figure over organizations may show (named and unnamed organizations).
- `door`: the thresholds of this installation.

docs/privacy.md ("Disclosure control") explains the method in words a data-protection officer can
check; tests/test_disclosure_*.py try to break it.
"""
