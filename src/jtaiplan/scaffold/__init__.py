"""A partnership's plan repository: the files ``jtai new`` writes around a plan, and git.

Above office (a plan imported from Word arrives as text, made by the caller), below cli.
"""
