"""Lint: a registry of small rules over a loaded plan, each with a code and a severity.

``run_lint`` (in :mod:`jtaiplan.lint.run`) applies them; :mod:`jtaiplan.lint.output` turns
findings into text, JSON, GitHub workflow commands or SARIF. Checking and output stay apart.
"""
