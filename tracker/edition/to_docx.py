"""The edition as a Word document (python-docx): real tables, real italics, and named
styles — «Edition Title», «Edition Tier», «Edition Region», «Edition Event», «Edition
Follow-up», «Edition Commentary», «Edition Table» — so that an editor restyles the whole
document by changing one style. A draft carries «ПРОЕКТ» in every page's header. With
sources, each line gets a real footnote citing its source.

python-docx writes the document around the tables; the tables' rows (tens of thousands of
paragraphs for a large record) are written as WordprocessingML text straight into the
package's document.xml, row by row, so that they are never one tree in memory."""

import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor
from django.utils import translation
from django.utils.translation import gettext as _

from .content import number_sources, tables
from .package import member, with_rows, xml_text

WIDTHS = (Cm(5.0), Cm(10.5), Cm(10.5))
FOOTNOTES = "/word/footnotes.xml"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write(edition, out, with_sources=False):
    """Write the document to the binary file `out`."""
    with translation.override(edition.language):
        _Writer(edition, with_sources).write(out)


class _Writer:
    def __init__(self, edition, with_sources):
        self.edition, self.with_sources = edition, with_sources
        self.document = Document()
        self.ids = {}
        self.notes = []

    def write(self, out):
        self._page()
        self._styles()
        e, doc = self.edition, self.document
        doc.core_properties.title = e.title
        doc.core_properties.language = e.language
        doc.add_paragraph(e.title, style="Edition Title")
        for text in (e.period, e.status):
            if text:
                doc.add_paragraph(text, style="Edition Subtitle")
        doc.add_paragraph(_("Summary"), style="Edition Tier")
        for text in e.summary:
            doc.add_paragraph(text, style="Edition Summary")
        for heading, _rows in e.tiers:
            doc.add_paragraph(heading, style="Edition Tier")
            self._table()
        if e.unrated:
            doc.add_paragraph(_("Places without a rating"), style="Edition Tier")
            self._table()
        if self.with_sources:
            self._footnotes_part(number_sources(e))
        package = io.BytesIO()
        doc.save(package)
        self._stream(package, out)

    def _stream(self, package, out):
        """Copy the package to `out`, writing each table's rows before its end tag."""
        body = tables(self.edition)
        with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename == FOOTNOTES.lstrip("/"):
                    self._stream_footnotes(target, item)
                    continue
                if item.filename != "word/document.xml":
                    target.writestr(item, source.read(item.filename), compress_type=zipfile.ZIP_DEFLATED)
                    continue
                with_rows(target, item, source.read(item.filename).decode("utf-8"), "</w:tbl>", body, self._row)

    def _stream_footnotes(self, target, item):
        head, _tail = self._footnotes_xml([]).split("</w:footnotes>")
        with member(target, item) as stream:
            stream.write(head.encode("utf-8"))
            for number, (source, url) in enumerate(self.notes, start=1):
                stream.write(_footnote(number, source, url).encode("utf-8"))
            stream.write(b"</w:footnotes>")

    # -- layout -------------------------------------------------------------------------

    def _page(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.8))
        if self.edition.is_draft:
            header = section.header.paragraphs[0]
            header.text = self.edition.status
            header.style = self.document.styles["Header"]
            header.runs[0].bold = True

    def _styles(self):
        styles = self.document.styles
        base = styles["Normal"]
        base.font.name, base.font.size = "Times New Roman", Pt(11)

        def paragraph(name, size=None, bold=False, italic=False, space_before=0, space_after=3, color=None):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = base
            style.font.bold, style.font.italic = bold, italic
            if size:
                style.font.size = Pt(size)
            if color:
                style.font.color.rgb = RGBColor.from_string(color)
            style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(space_before), Pt(space_after)
            return style

        paragraph("Edition Title", size=18, bold=True, space_after=6)
        paragraph("Edition Subtitle", size=12, space_after=2)
        paragraph("Edition Tier", size=13, bold=True, space_before=12, space_after=6)
        paragraph("Edition Summary", space_after=2)
        paragraph("Edition Region", bold=True)
        paragraph("Edition Event")
        paragraph("Edition Commentary", space_after=4, color="333333")
        follow_up = styles.add_style("Edition Follow-up", WD_STYLE_TYPE.CHARACTER)
        follow_up.font.italic = True
        table = styles.add_style("Edition Table", WD_STYLE_TYPE.TABLE)
        table.base_style = styles["Table Grid"]

    def _table(self):
        """A table with its header row (repeated on each page); `_stream` adds the rows."""
        table = self.document.add_table(rows=0, cols=3, style="Edition Table")
        table.autofit = False
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, WIDTHS):
            column.w = width
        self.ids = {name: self.document.styles[name].style_id for name in (
            "Edition Region", "Edition Event", "Edition Commentary", "Edition Follow-up")}
        header = "".join(self._cell([self._p("Edition Region", text)], width) for text, width in zip(
            (_("Region"), _("Earlier events"), _("Events of this period")), WIDTHS))
        table._tbl.append(_parsed(f'<w:tr {NS}><w:trPr><w:tblHeader w:val="true"/></w:trPr>{header}</w:tr>'))

    def _row(self, row):
        current = [self._p("Edition Commentary", row.commentary)] if row.commentary else []
        cells = ([self._p("Edition Region", row.heading)], self._lines(row.earlier), current + self._lines(row.current))
        return "<w:tr>" + "".join(self._cell(paragraphs, width) for paragraphs, width in zip(cells, WIDTHS)) + "</w:tr>"

    def _cell(self, paragraphs, width):
        inner = "".join(paragraphs) or self._p("Edition Event", "—")
        return f'<w:tc><w:tcPr><w:tcW w:w="{width.twips}" w:type="dxa"/></w:tcPr>{inner}</w:tc>'

    def _p(self, style, words, italic=False, note=0):
        run_style = f'<w:rPr><w:rStyle w:val="{self.ids["Edition Follow-up"]}"/></w:rPr>' if italic else ""
        reference = (
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note}"/></w:r>'
            if note else ""
        )
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>'
            f'<w:r>{run_style}<w:t xml:space="preserve">{xml_text(words)}</w:t></w:r>{reference}</w:p>'
        )

    def _lines(self, lines):
        return [self._p("Edition Event", line.text, line.italic, line.note if self.with_sources else 0) for line in lines]

    # -- footnotes (python-docx has no API for them: the part is written here) -----------

    def _footnotes_part(self, notes):
        """The footnotes part, related to the document; its notes are written by `_stream`
        (hundreds of thousands for a large record), never held as one text."""
        self.notes = notes
        if not notes:
            return
        document_part = self.document.part
        part = Part(PackURI(FOOTNOTES), FOOTNOTES_TYPE, self._footnotes_xml([]).encode("utf-8"), document_part.package)
        document_part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)

    def _footnotes_xml(self, notes):
        head = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        )
        return head + "".join(_footnote(number, source, url) for number, (source, url) in enumerate(notes, start=1)) + "</w:footnotes>"


def _footnote(number, source, url):
    text = f"{source} {url}".strip()
    return (
        f'<w:footnote w:id="{number}"><w:p><w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {xml_text(text)}</w:t></w:r></w:p></w:footnote>'
    )


NS = f'xmlns:w="{W}"'


def _parsed(xml):
    return parse_xml(xml)
