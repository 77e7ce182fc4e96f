"""The plan file on disk: decoding the text, reading YAML with positions, validating into the
model, targeted text edits, atomic locked writes and the canonical layout."""
