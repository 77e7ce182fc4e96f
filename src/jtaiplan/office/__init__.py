"""Office formats: reading Word, Excel, CSV and text plans in, writing workbooks, documents
and calendars out, and the agencies' update packs. The only layer that imports openpyxl,
python-docx or icalendar, always inside the functions that need them, so that ``jtai status``
never pays for them."""
