"""What people read: the records behind every output, the JSON/CSV/Markdown shapes, the
text of ``jtai show``, reports through Jinja templates and the Markdown of a plan diff."""
