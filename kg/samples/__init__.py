"""Sample publications shipped with kg, built by ``kg build`` without arguments.

Real written questions and answers of the Tweede Kamer, shipped so that
`kg build` with no arguments has something to build. They are public
parliamentary publications, in the forms people have them:

| file | form |
|---|---|
| ah-tk-20182019-3878.txt | text extracted from the Aanhangsel PDF (the project's seed publication) |
| ah-tk-20232024-1949.pdf | the official Aanhangsel PDF |
| ah-tk-20232024-387.md | the PDF converted to Markdown |
| ah-tk-20142015-698.txt | PDF text flattened to a single line |
| ah-tk-20242025-604.docx-text.txt | text of the ministry's Word answer before publication |
| ah-tk-20242025-562.mededeling.txt | a delay notice (Mededeling) |
| kv-tk-2024Z18659.txt | questions published before their answer |
| kv-tk-2016Z00020.html-fragment.partial.html | a fragment of the officielebekendmakingen HTML page |
"""
