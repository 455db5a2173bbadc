"""`--format pptx`: any report as a 16:9 slide deck, written with python-pptx (the `pptx`
extra), the one kept library that writes PowerPoint files: a title slide with the summary
and the provenance, each funnel chart painted as native shapes (editable, sharp at any
size), then a slide per table (with the notes that follow it) and per list of facts. Only
plain shapes, text boxes and tables, so PowerPoint, Keynote and Impress show it alike."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from funnelcalc.errors import InputError
from funnelcalc.render.chart import HEIGHT, WIDTH, Drawing, Label, Rect, drawing
from funnelcalc.report import Cell, Chart, Facts, Note, Report, Section, Table

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide

MISSING = "pptx needs the pptx extra: pip install 'funnelcalc[pptx]'"
FONT = "Arial"
"""A font every slide program has (LibreOffice maps it to the metric-equal Liberation Sans)."""
EMU = 12192000 // WIDTH
"""English Metric Units per pixel of the chart's 1600 × 900 drawing: a 13.33 × 7.5 in slide."""
POINTS = 0.6
"""Points per pixel: 1600 px across a 960 pt slide."""
SMALLEST = 34
"""The least height of a table row, in pixels; longer tables continue on the next slide."""
FACT, NOTE = 40, 38
"""The height of a line of facts and of a note, in pixels."""
LEVEL_COLOURS = {"info": "333333", "warning": "9A6700", "failure": "B42318"}


def _pptx() -> Any:
    try:
        import pptx  # noqa: PLC0415 - an optional extra, loaded only for decks
        import pptx.util  # noqa: PLC0415
    except ImportError:
        raise InputError.single("--format", MISSING) from None
    return pptx


def rgb(colour: str) -> Any:
    """A "#RRGGBB" or "RRGGBB" colour for python-pptx."""
    from pptx.dml.color import RGBColor  # noqa: PLC0415

    red, green, blue = bytes.fromhex(colour.lstrip("#"))
    untyped: Any = RGBColor  # python-pptx leaves its constructor unannotated
    return untyped(red, green, blue)


def text_box(
    slide: Slide,
    box: tuple[float, float, float, float],
    lines: list[list[tuple[str, bool]]],
    size: float,
    *,
    align: str = "start",
    colour: str = "222222",
    middle: bool = False,
) -> Any:
    """Lines of (text, bold) runs in a box given in pixels, unwrapped (unless `align` is
    "wrap"), at `size` points; returns its text frame."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN  # noqa: PLC0415
    from pptx.util import Emu, Pt  # noqa: PLC0415

    x, y, width, height = (Emu(round(v * EMU)) for v in box)
    frame = slide.shapes.add_textbox(x, y, width, height).text_frame
    frame.word_wrap = align == "wrap"
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if middle else MSO_ANCHOR.TOP
    alignment = {"middle": PP_ALIGN.CENTER, "end": PP_ALIGN.RIGHT}.get(align, PP_ALIGN.LEFT)
    for index, runs in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = alignment
        for words, bold in runs:
            run = paragraph.add_run()
            run.text = words
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
            run.font.color.rgb = rgb(colour)
    return frame


def rectangle(slide: Slide, shape: Rect) -> None:
    """A filled rectangle, its corners rounded when it is a bar, without an outline."""
    from pptx.enum.shapes import MSO_SHAPE  # noqa: PLC0415
    from pptx.oxml.ns import qn  # noqa: PLC0415
    from pptx.util import Emu  # noqa: PLC0415

    kind = MSO_SHAPE.ROUNDED_RECTANGLE if shape.bar else MSO_SHAPE.RECTANGLE
    box = (Emu(round(v * EMU)) for v in (shape.x, shape.y, shape.width, shape.height))
    added = slide.shapes.add_shape(kind, *box)
    if shape.bar:
        added.adjustments[0] = min(0.5, 6 / max(min(shape.width, shape.height), 1))
    added.fill.solid()
    added.fill.fore_color.rgb = rgb(shape.colour)
    added.line.fill.background()
    # No theme style: Impress would paint the theme's shadow and outline under every bar.
    style = added._element.find(qn("p:style"))
    if style is not None:
        added._element.remove(style)


def text_width(text: str, size: float) -> float:
    """Roughly how wide a line of text is, in pixels of `size`: enough never to cut it."""
    return len(text) * size * 0.62 + size


def label(slide: Slide, shape: Label) -> None:
    """A label placed like the SVG's: `x` at its start, middle or end, `y` at its middle."""
    width = text_width(shape.text, shape.size)
    left = {"start": shape.x, "middle": shape.x - width / 2}.get(shape.anchor, shape.x - width)
    height = shape.size * 1.6
    if shape.halo:
        pill = len(shape.text) * shape.size * 0.56 + 20
        halo = Rect(
            shape.x - pill / 2, shape.y - shape.size * 0.7, pill, shape.size * 1.4, "#ffffff"
        )
        rectangle(slide, halo._replace(bar=True))
    box = (left, shape.y - height / 2, width, height)
    runs = [[(shape.text, shape.bold)]]
    size = shape.size * POINTS
    text_box(slide, box, runs, size, align=shape.anchor, colour=shape.colour, middle=True)


def paint(slide: Slide, chart: Drawing) -> None:
    """The chart's display list as native shapes, in painting order."""
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            rectangle(slide, shape)
        else:
            label(slide, shape)


def heading(slide: Slide, title: str) -> None:
    """A slide's title, top left."""
    text_box(slide, (60, 36, WIDTH - 120, 70), [[(title, True)]], 26, middle=True)


def notes(slide: Slide, items: list[Note], top: float) -> None:
    """Notes from `top` down, a paragraph each in its level's colour, wrapped to the slide."""
    if not items:
        return
    from pptx.util import Pt  # noqa: PLC0415

    frame = text_box(slide, (60, top, WIDTH - 120, NOTE * len(items)), [], 14, align="wrap")
    for index, note in enumerate(items):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(4)
        run = paragraph.add_run()
        run.text = note.text
        run.font.size, run.font.name = Pt(14), FONT
        run.font.color.rgb = rgb(LEVEL_COLOURS[note.level])


def title_slide(deck: Presentation, report: Report, facts: Facts | None) -> None:
    """The report's title, its summary facts and where it came from."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    text_box(slide, (80, 90, WIDTH - 160, 90), [[(report.title, True)]], 36)
    if facts is not None:
        lines = [[(f"{label}: ", True), (value, False)] for label, value in facts.items]
        text_box(slide, (80, 220, WIDTH - 160, 440), lines, 18, align="wrap")
    if report.provenance is not None:
        lines = [[(line, False)] for line in report.provenance.lines()]
        top = HEIGHT - 40 - 30 * len(lines)
        text_box(slide, (80, top, WIDTH - 160, 30 * len(lines)), lines, 12, colour="555555")


def chunks(rows: int, room: float) -> list[tuple[int, int]]:
    """Rows split evenly into slides' worths (start, stop) of at most what `room` holds."""
    fits = max(int(room // SMALLEST) - 1, 1)
    slides = -(-rows // fits) or 1
    size = -(-rows // slides)
    return [(start, min(start + size, rows)) for start in range(0, max(rows, 1), size or 1)]


def table_slides(
    deck: Presentation, table: Table, after: list[Note], lead: Facts | None = None
) -> None:
    """Native tables, numbers right-aligned, as few slides as the rows need, rows as tall as
    room allows; the notes under the last. `lead`: facts shown above the table first."""
    widths = [
        max([len(column.label), *(len(row[i].text) for row in table.rows)]) + 2
        for i, column in enumerate(table.columns)
    ]
    title = (lead.title if lead else None) or table.title or table.key.capitalize() or "Table"
    facts = [[(f"{label}: ", True), (value, False)] for label, value in lead.items] if lead else []
    top = 130 + FACT * len(facts) + (20 if facts else 0)
    room = HEIGHT - 50 - top - NOTE * len(after)
    parts = chunks(len(table.rows), room)
    for number, (start, stop) in enumerate(parts):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        heading(slide, title + (" (continued)" if number else ""))
        if number == 0 and facts:
            text_box(slide, (60, 130, WIDTH - 120, FACT * len(facts)), facts, 18, align="wrap")
        at = top if number == 0 else 130
        rows = table.rows[start:stop]
        height = max(SMALLEST, min(48, room // (len(rows) + 1)))
        grid(slide, table, rows, widths, (at, height))
        if number == len(parts) - 1:
            notes(slide, after, at + height * (len(rows) + 1) + 24)


def grid(
    slide: Slide,
    table: Table,
    rows: tuple[tuple[Cell, ...], ...],
    widths: list[int],
    place: tuple[float, float],
) -> None:
    """One native table at `top`, rows `height` pixels tall, columns as wide as their text."""
    from pptx.enum.text import PP_ALIGN  # noqa: PLC0415
    from pptx.util import Emu, Pt  # noqa: PLC0415

    top, height = place
    room = WIDTH - 120
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(table.columns),
        Emu(60 * EMU),
        Emu(round(top * EMU)),
        Emu(room * EMU),
        Emu(round(height * (len(rows) + 1) * EMU)),
    )
    cells = shape.table
    for i, width in enumerate(widths):
        cells.columns[i].width = Emu(round(room * width / sum(widths)) * EMU)
    texts = [[column.label for column in table.columns], *([c.text for c in row] for row in rows)]
    size = Pt(16 if height >= 44 else 13)
    for r, words in enumerate(texts):
        cells.rows[r].height = Emu(round(height * EMU))
        for c, word in enumerate(words):
            frame = cells.cell(r, c).text_frame
            frame.text = word
            for paragraph in frame.paragraphs:
                if table.columns[c].numeric:
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    run.font.size, run.font.name, run.font.bold = size, FONT, r == 0


def facts_slide(deck: Presentation, facts: Facts, after: list[Note]) -> None:
    """A list of facts, a line each, then the notes; none for a heading without either."""
    if not facts.items and not after:
        return
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    heading(slide, facts.title or "Facts")
    lines = [[(f"{label}: ", True), (value, False)] for label, value in facts.items]
    text_box(slide, (60, 130, WIDTH - 120, FACT * len(lines)), lines, 18, align="wrap")
    notes(slide, after, 150 + FACT * len(lines))


def groups(sections: tuple[Section, ...]) -> Iterator[tuple[Section, list[Note]]]:
    """Each section but the notes, with the notes that follow it."""
    current: Section | None = None
    after: list[Note] = []
    for section in sections:
        if isinstance(section, Note):
            after.append(section)
            continue
        if current is not None:
            yield current, after
        current, after = section, []
    if current is not None:
        yield current, after


def render(report: Report) -> bytes:
    """The deck's bytes."""
    pptx = _pptx()
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = pptx.util.Emu(WIDTH * EMU), pptx.util.Emu(HEIGHT * EMU)
    sections = list(report.sections)
    summary = sections.pop(0) if sections and isinstance(sections[0], Facts) else None
    title_slide(deck, report, summary if isinstance(summary, Facts) else None)
    lead: Facts | None = None
    for section, after in groups(tuple(sections)):
        if lead is not None and not (isinstance(section, Table) and section.title is None):
            facts_slide(deck, lead, [])
        if isinstance(section, Chart) and section.kind == "funnel":
            slide = deck.slides.add_slide(deck.slide_layouts[6])
            paint(slide, drawing(section))
            notes(slide, after, HEIGHT - NOTE * len(after))
        elif isinstance(section, Table):
            table_slides(deck, section, after, lead)
        lead = None
        if isinstance(section, Facts) and not after:
            lead = section  # shown above the table it heads, when an untitled one follows
        elif isinstance(section, Facts):
            facts_slide(deck, section, after)
    if lead is not None:
        facts_slide(deck, lead, [])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
