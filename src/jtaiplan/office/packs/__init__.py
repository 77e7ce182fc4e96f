"""Update packs: a workbook (or text) out to each agency, the same workbook back as a return,
and the return turned into the changes ``jtai update`` and ``jtai complete`` make."""
