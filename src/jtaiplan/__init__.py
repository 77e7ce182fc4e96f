"""jtaiplan: a JTAI multi-agency improvement plan kept as one version-controlled YAML file.

The library knows nothing of the command line. Start at :func:`jtaiplan.loader.load_plan`,
which returns a :class:`jtaiplan.loader.LoadedPlan` (the validated model plus the positions of
every field in the file); :mod:`jtaiplan.query` filters its actions, :mod:`jtaiplan.lint`
checks it and :mod:`jtaiplan.edit` changes it without disturbing the rest of the file.
"""

__version__ = "0.1.0"
