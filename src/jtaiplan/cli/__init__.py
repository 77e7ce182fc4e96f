"""The ``jtai`` command line: a thin skin over the library. Nothing here decides anything."""
