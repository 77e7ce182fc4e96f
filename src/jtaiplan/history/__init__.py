"""History and git: reading the plan file at a revision, who committed what."""
