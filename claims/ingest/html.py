"""HTML → plain text with one line per block; scripts, styles and the page head dropped."""

from html.parser import HTMLParser

from claims.text import word_set

_BLOCKS = word_set(
    "p div section article header footer main aside nav blockquote pre ul ol li dl dt dd table "
    "tr td th h1 h2 h3 h4 h5 h6 br hr figure figcaption address"
)
_SKIP = word_set("script style noscript template head svg iframe object")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.current, self.skipping = [], [], 0
        self.title, self.first_h1, self._in = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        if tag in _BLOCKS:
            self._flush()
        if tag in ("title", "h1"):
            self._in = tag

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag in _BLOCKS:
            self._flush()
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title.append(data)
        if self.skipping:
            return
        if self._in == "h1" and self.first_h1 is None and data.strip():
            self.first_h1 = " ".join(data.split())
        self.current.append(data)

    def _flush(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def html_to_text(markup):
    """Return (text, title): paragraphs as lines, whitespace inside a paragraph collapsed."""
    parser = _TextCollector()
    parser.feed(markup)
    parser.close()
    parser._flush()
    title = " ".join("".join(parser.title).split()) or parser.first_h1 or ""
    return "\n".join(parser.lines), title
