"""``jtai export``: the plan (or a filtered part of it) as an Excel workbook, a Word document
in the partnership's own table shape, or a CSV file.

:mod:`.rows` builds the table once; :mod:`.formats` lists the writers as data; each writer
(:mod:`.xlsx`, :mod:`.docx`, :mod:`.csv`) turns the table into bytes and is imported only
when chosen, so openpyxl and python-docx are loaded only by the command that needs them.
"""
