"""The review page: one self-contained HTML file over an output folder of ``extract``.

``data`` reads the tables and texts, ``evidence`` renders each row's sentence
with displaCy, ``page`` embeds it all with ``template.html``, ``page.css`` and
``page.js`` into one file.
"""

from pipeline.report.data import ReportError
from pipeline.report.page import ReportSummary, write_report

__all__ = ["ReportError", "ReportSummary", "write_report"]
