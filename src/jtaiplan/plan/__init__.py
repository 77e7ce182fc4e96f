"""The plan as data: the pydantic models, dates, the agency registry, queries over actions
and the comparison of two plans. Knows nothing of files, git, rendering or the CLI."""
