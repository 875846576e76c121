"""Charts as Vega-Lite specifications built in Python.

The browser draws them with the locally served Vega bundle (static/results/charts.js); the PDF gets
static SVG from `to_svg` (vl-convert). Every chart works in black and white: series differ by line
style and point shape, not only by colour, every chart with more than one series has a legend,
and every chart sits next to a data table and a one-sentence summary in the templates. Labels
arrive translated; rows are labelled with names and statement texts, never with internal ids.

Sizes: each spec is drawn `WIDTH` px wide as a whole (axis labels included, `autosize` fit), which
is also its width in the PDF (≤ the A4 text width, so labels of `FONT_SIZE` px stay ≥ 8 pt there).
In the browser charts.js fits it to its container (up to `WIDTH`, larger charts to `WIDE`), and
below `NARROW_BELOW` px it draws `usermeta.narrow` instead when a chart has one (statement texts
wrapped shorter, shorter axis labels), so that labels keep their size on a phone.
"""

from mognad.results.charts.bars import bars, distribution
from mognad.results.charts.base import (
    ACCENT,
    FONT_SIZE,
    GREY,
    INK,
    NARROW,
    NARROW_BELOW,
    WIDE,
    WIDTH,
    AnswerShare,
    Bar,
    Bin,
    Point,
    Position,
    Spec,
    svg_data_uri,
    text,
    to_svg,
)
from mognad.results.charts.lines import peer_histogram, trend
from mognad.results.charts.matrix import matrix
from mognad.results.charts.spider import spider

__all__ = [
    "ACCENT",
    "FONT_SIZE",
    "GREY",
    "INK",
    "NARROW",
    "NARROW_BELOW",
    "WIDE",
    "WIDTH",
    "AnswerShare",
    "Bar",
    "Bin",
    "Point",
    "Position",
    "Spec",
    "bars",
    "distribution",
    "matrix",
    "peer_histogram",
    "spider",
    "svg_data_uri",
    "text",
    "to_svg",
    "trend",
]
