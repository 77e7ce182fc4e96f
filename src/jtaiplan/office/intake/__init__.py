"""Reading a plan from the files partnerships hold (Word, Excel, CSV, Word's plain text).

grid (any file -> cells with locations) -> layouts/trackers/head/headers (cells -> raw
objectives and actions) -> values and build (cells -> the plan's data) -> importer (YAML in
``jtai fmt`` layout, validated as ``jtai validate`` does).
"""
