"""jtaiplan: a JTAI multi-agency improvement plan kept as one version-controlled YAML file.

The library knows nothing of the command line. It is layered, each layer importing only
those below it (``docs/architecture.md`` has the map):

- :mod:`jtaiplan.plan`: the plan as data (models, dates, agencies, queries, plan diffs);
- :mod:`jtaiplan.lint`: the rule registry, the rules and their output formats;
- :mod:`jtaiplan.planfile`: the plan file on disk (reading, locating, editing, writing);
- :mod:`jtaiplan.history`: git (revisions of the file, blame);
- :mod:`jtaiplan.views`: what people read (tables, JSON/CSV/Markdown, reports);
- :mod:`jtaiplan.office`: Word, Excel, CSV and iCalendar files (import, export, packs);
- :mod:`jtaiplan.scaffold`: a partnership's new plan repository (``jtai new``);
- :mod:`jtaiplan.cli`: the ``jtai`` command, a thin skin over the rest.

Start at :func:`jtaiplan.planfile.loader.load_plan`, which returns a
:class:`~jtaiplan.planfile.loader.LoadedPlan` (the validated model plus the position of
every field in the file).
"""

__version__ = "0.1.0"
