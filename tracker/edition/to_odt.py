"""The edition as an OpenDocument text (odfpy) for LibreOffice and Word: the same named
styles as the Word document, landscape A4 pages, real tables and italics; a draft carries
«ПРОЕКТ» in every page's header; with sources, real footnotes. odfpy writes the document
around the tables; their rows are written as OpenDocument text straight into content.xml,
row by row, so that a large edition is never one tree in memory."""

import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _
from odf import style, table, text
from odf.opendocument import OpenDocumentText

from .content import number_sources, tables
from .package import with_rows, xml_text

STYLES = {
    # name: (paragraph properties, text properties)
    "Edition Title": ({"marginbottom": "0.2cm"}, {"fontsize": "18pt", "fontweight": "bold"}),
    "Edition Subtitle": ({"marginbottom": "0.1cm"}, {"fontsize": "12pt"}),
    "Edition Tier": ({"margintop": "0.4cm", "marginbottom": "0.2cm"}, {"fontsize": "13pt", "fontweight": "bold"}),
    "Edition Summary": ({"marginbottom": "0.05cm"}, {}),
    "Edition Region": ({"marginbottom": "0.1cm"}, {"fontweight": "bold"}),
    "Edition Event": ({"marginbottom": "0.1cm"}, {}),
    "Edition Commentary": ({"marginbottom": "0.15cm"}, {"color": "#333333"}),
}
WIDTHS = ("5cm", "11.5cm", "11.5cm")


def write(edition, out, with_sources=False):
    """Write the document to the binary file `out`."""
    with translation.override(edition.language):
        _Writer(edition, with_sources).write(out)


class _Writer:
    def __init__(self, edition, with_sources):
        self.edition, self.with_sources = edition, with_sources
        self.doc = OpenDocumentText()
        self.styles = {}

    def write(self, out):
        self._styles()
        e, body = self.edition, self.doc.text
        if self.with_sources:
            number_sources(e)
        self.doc.meta.addElement(_dc_title(e.title))
        body.addElement(self._p("Edition Title", e.title))
        for line in (e.period, e.status):
            if line:
                body.addElement(self._p("Edition Subtitle", line))
        body.addElement(self._p("Edition Tier", _("Summary")))
        for line in e.summary:
            body.addElement(self._p("Edition Summary", line))
        for n, (heading, _rows) in enumerate(e.tiers):
            body.addElement(self._p("Edition Tier", heading))
            body.addElement(self._table(f"Rating{n + 1}"))
        if e.unrated:
            body.addElement(self._p("Edition Tier", _("Places without a rating")))
            body.addElement(self._table("Unrated"))
        package = io.BytesIO()
        self.doc.write(package)
        self._stream(package, out)

    def _stream(self, package, out):
        """Copy the package to `out`, writing each table's rows before its end tag."""
        body = tables(self.edition)
        with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                if item.filename != "content.xml":
                    target.writestr(item, source.read(item.filename))
                    continue
                with_rows(target, item, source.read(item.filename).decode("utf-8"), "</table:table>", body, self._row_xml)

    def _styles(self):
        for name, (paragraph, font) in STYLES.items():
            named = style.Style(name=odf_name(name), displayname=name, family="paragraph")
            named.addElement(style.ParagraphProperties(**paragraph))
            if font:
                named.addElement(style.TextProperties(**font))
            self.doc.styles.addElement(named)
            self.styles[name] = named
        follow_up = style.Style(name=odf_name("Edition Follow-up"), displayname="Edition Follow-up", family="text")
        follow_up.addElement(style.TextProperties(fontstyle="italic"))
        self.doc.styles.addElement(follow_up)
        self.styles["Edition Follow-up"] = follow_up
        cell = style.Style(name="EditionCell", family="table-cell")
        cell.addElement(style.TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
        self.doc.automaticstyles.addElement(cell)
        self.styles["cell"] = cell
        for n, width in enumerate(WIDTHS):
            column = style.Style(name=f"EditionColumn{n + 1}", family="table-column")
            column.addElement(style.TableColumnProperties(columnwidth=width))
            self.doc.automaticstyles.addElement(column)
            self.styles[f"column{n}"] = column
        layout = style.PageLayout(name="EditionPage")
        layout.addElement(style.PageLayoutProperties(
            pagewidth="29.7cm", pageheight="21cm", printorientation="landscape",
            margintop="1.5cm", marginbottom="1.5cm", marginleft="1.8cm", marginright="1.8cm",
        ))
        self.doc.automaticstyles.addElement(layout)
        master = style.MasterPage(name="Standard", pagelayoutname=layout)
        if self.edition.is_draft:
            header = style.Header()
            header.addElement(self._p("Edition Region", self.edition.status))
            master.addElement(header)
        self.doc.masterstyles.addElement(master)

    def _p(self, name, words):
        paragraph = text.P(stylename=self.styles[name])
        paragraph.addText(words)
        return paragraph

    def _table(self, name):
        """A table with its header rows (repeated on each page); `_stream` adds the rows."""
        grid = table.Table(name=name)
        for n in range(3):
            grid.addElement(table.TableColumn(stylename=self.styles[f"column{n}"]))
        header = table.TableHeaderRows()
        row = table.TableRow()
        for words in (_("Region"), _("Earlier events"), _("Events of this period")):
            cell = table.TableCell(stylename=self.styles["cell"], valuetype="string")
            cell.addElement(self._p("Edition Region", words))
            row.addElement(cell)
        header.addElement(row)
        grid.addElement(header)
        return grid

    def _row_xml(self, row):
        current = [_paragraph("Edition Commentary", row.commentary)] if row.commentary else []
        cells = ([_paragraph("Edition Region", row.heading)], self._lines(row.earlier), current + self._lines(row.current))
        return "<table:table-row>" + "".join(
            '<table:table-cell table:style-name="EditionCell" office:value-type="string">'
            + ("".join(paragraphs) or _paragraph("Edition Event", "—")) + "</table:table-cell>"
            for paragraphs in cells
        ) + "</table:table-row>"

    def _lines(self, lines):
        paragraphs = []
        for line in lines:
            words = xml_text(line.text)
            if line.italic:
                words = f'<text:span text:style-name="{odf_name("Edition Follow-up")}">{words}</text:span>'
            if self.with_sources and line.note:
                words += (
                    f'<text:note text:id="ftn{line.note}" text:note-class="footnote">'
                    f"<text:note-citation>{line.note}</text:note-citation><text:note-body>"
                    f"<text:p>{xml_text(f'{line.source} {line.url}'.strip())}</text:p></text:note-body></text:note>"
                )
            paragraphs.append(f'<text:p text:style-name="{odf_name("Edition Event")}">{words}</text:p>')
        return paragraphs


def _paragraph(style_name, words):
    return f'<text:p text:style-name="{odf_name(style_name)}">{xml_text(words)}</text:p>'


def odf_name(display_name):
    """A style's name as OpenDocument stores it (no spaces: «_20_»); the display name
    is what LibreOffice and Word show."""
    return display_name.replace(" ", "_20_")


def _dc_title(words):
    from odf.dc import Title

    title = Title()
    title.addText(words)
    return title
