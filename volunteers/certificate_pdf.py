"""The certificate of volunteer hours as a PDF file, for universities' recognition of credits.

It says what the printable page says: who, how many verified hours on which projects, when it
was issued, and the link anyone can follow to check it (printed in full, and clickable). Page
streams are left uncompressed: the file is small and its text stays searchable.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

URL_LINE = 64


def _hours(value):
    """Hours as the page shows them: no decimals when whole."""
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text


def render(*, name, rows, total, issued, verify_url, site_name):
    """The certificate's PDF bytes. ``rows``: dicts with ``project_title`` and
    ``total``, as ``selectors.verified_totals`` gives them."""
    buffer = BytesIO()
    title = _("Certificate of volunteer hours")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=title,
        author=site_name,
        pageCompression=0,
    )
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [
        Paragraph(escape(site_name), styles["Normal"]),
        Spacer(1, 0.5 * cm),
        Paragraph(escape(title), styles["Title"]),
        Spacer(1, 0.5 * cm),
        Paragraph(
            escape(
                _(
                    "%(name)s gave %(total)s hours of volunteering, verified by the "
                    "projects, organizations and training programmes below."
                )
                % {"name": name, "total": _hours(total)}
            ),
            body,
        ),
        Spacer(1, 0.5 * cm),
    ]
    table = [[_("Project or organization"), _("Hours")]]
    table.extend(
        [Paragraph(escape(row["project_title"]), body), _hours(row["total"])] for row in rows
    )
    if not rows:
        table.append([_("No verified hours yet."), ""])
    table.append([_("Total"), _hours(total)])
    grid = Table(table, colWidths=[12 * cm, 4 * cm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    link = escape(verify_url, {'"': "&quot;"})
    # The link is longer than a line: printed in fixed-width pieces, clickable as a whole, and
    # as a QR code for a phone.
    pieces = "<br/>".join(
        escape(verify_url[start : start + URL_LINE])
        for start in range(0, len(verify_url), URL_LINE)
    )
    url_style = ParagraphStyle("url", parent=body, fontName="Courier", fontSize=8, leading=10)
    qr = QrCodeWidget(verify_url)
    left, bottom, right, top = qr.getBounds()
    size = 3.5 * cm
    code = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    code.add(qr)
    story += [
        grid,
        Spacer(1, 0.75 * cm),
        Paragraph(
            escape(_("Issued on %(date)s.") % {"date": date_format(issued, "DATE_FORMAT")}),
            body,
        ),
        Paragraph(escape(_("Anyone can check this certificate at:")), body),
        Paragraph(f'<link href="{link}" color="blue">{pieces}</link>', url_style),
        Spacer(1, 0.5 * cm),
        code,
    ]
    document.build(story)
    return buffer.getvalue()
