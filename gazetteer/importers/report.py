"""What an import did: rows read, places added or replaced, lines rejected and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gazetteer.errors import ImportFormatError

#: How many malformed lines are kept as examples (all are counted).
MAX_EXAMPLES = 10
#: With this many rows read and every one malformed, the file is not in the expected format: stop early.
EARLY_CHECK_ROWS = 1_000


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """One rejected line: the file, its 1-based line number and the reason."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    """The outcome of one import.

    Attributes
    ----------
    path : Path
        The imported file.
    format : str
        The importer used (``geonames``, ``naturalearth``, ``ourairports``, ``tsv``).
    gazetteer : Path
        The gazetteer file written.
    rows_read : int
        Data rows (or features) read from the main file, malformed ones included.
    added, replaced : int
        Places new to the gazetteer, and places whose id was already there (upserted).
    merged : int
        Rows that name a place the gazetteer already holds under another source's id (a GeoNames id,
        an admin-1 code, an ICAO code): their names were added to that place instead of a duplicate.
    names_added : int
        Extra names attached from side files (GeoNames alternate names).
    skipped : Counter
        Rows left out on purpose, by reason (a filter, a kind the default build owns...).
    malformed : int
        Rows that could not be read; ``malformed_examples`` keeps the first few with their reason.
    side_malformed : int
        Malformed lines of side files (GeoNames alternate names, admin codes); their examples name the file.
    seconds : float
        Wall time of the import.
    expected : str
        What the importer expects (named in the error when the file is not that).
    """

    path: Path
    format: str
    gazetteer: Path
    rows_read: int = 0
    added: int = 0
    replaced: int = 0
    merged: int = 0
    names_added: int = 0
    skipped: Counter = field(default_factory=Counter)
    malformed: int = 0
    malformed_examples: list[MalformedLine] = field(default_factory=list)
    side_malformed: int = 0
    seconds: float = 0.0
    expected: str = field(default="", repr=False)

    # -- recording -------------------------------------------------------------
    def note_malformed(self, line: int, reason: str) -> None:
        """Count a rejected row of the imported file and keep it as an example while there are few.

        Raises :class:`ImportFormatError` as soon as the first :data:`EARLY_CHECK_ROWS` rows are all
        malformed: a huge file of garbage is not read to its end.
        """
        self.malformed += 1
        if len(self.malformed_examples) < MAX_EXAMPLES:
            self.malformed_examples.append(MalformedLine(str(self.path), line, reason))
        self.check_format(self.expected, final=False)

    def note_side_malformed(self, path: str | Path, line: int, reason: str) -> None:
        """Count a rejected line of a side file (it does not weigh in the verdict on the main file)."""
        self.side_malformed += 1
        if len(self.malformed_examples) < MAX_EXAMPLES:
            self.malformed_examples.append(MalformedLine(str(path), line, reason))

    def skip(self, reason: str) -> None:
        """Count a row left out on purpose."""
        self.skipped[reason] += 1

    # -- verdicts --------------------------------------------------------------
    @property
    def written(self) -> int:
        """Places written (added, replaced or merged into an existing place)."""
        return self.added + self.replaced + self.merged

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def check_format(self, expected: str, *, final: bool) -> None:
        """Raise :class:`ImportFormatError` when the file is evidently not in the ``expected`` format.

        Mid-stream (``final=False``) only a run of :data:`EARLY_CHECK_ROWS` rows that are all malformed
        stops the import (a huge file of garbage is not read to the end). At the end, more than half of
        the rows malformed, or no row at all, fails the import; the caller's writer then leaves the
        previous gazetteer untouched.
        """
        if not final:
            if self.rows_read >= EARLY_CHECK_ROWS and self.malformed == self.rows_read:
                raise ImportFormatError(self._format_message(expected))
            return
        if self.rows_read == 0:
            raise ImportFormatError(f"{self.path}: no data rows found; expected {expected}")
        if self.malformed * 2 > self.rows_read:
            raise ImportFormatError(self._format_message(expected))

    def _format_message(self, expected: str) -> str:
        first = "; ".join(f"line {m.line}: {m.reason}" for m in self.malformed_examples[:3])
        return (f"{self.path}: {self.malformed} of {self.rows_read} rows are malformed, so this is not "
                f"{expected} ({first}). Check the file, or pass the right --format; the gazetteer was not changed")

    # -- output ----------------------------------------------------------------
    def summary(self) -> str:
        """A few human-readable lines for the CLI."""
        lines = [f"{self.path.name} ({self.format}) -> {self.gazetteer}",
                 f"  rows read {self.rows_read:,} in {self.seconds:.1f}s ({self.rows_per_second:,.0f} rows/s)",
                 f"  places added {self.added:,}, replaced {self.replaced:,}, merged into existing {self.merged:,}"]
        if self.names_added:
            lines.append(f"  alternate names added {self.names_added:,}")
        if self.skipped:
            lines.append("  skipped: " + ", ".join(f"{n:,} {reason}" for reason, n in self.skipped.most_common()))
        if self.malformed or self.side_malformed:
            side = f" (+{self.side_malformed:,} in side files)" if self.side_malformed else ""
            lines.append(f"  malformed lines {self.malformed:,}{side}; first ones:")
            lines.extend(f"    {m}" for m in self.malformed_examples)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        """A JSON-ready dict (paths as strings)."""
        d = asdict(self)
        d.update(path=str(self.path), gazetteer=str(self.gazetteer), skipped=dict(self.skipped),
                 malformed_examples=[asdict(m) for m in self.malformed_examples],
                 rows_per_second=round(self.rows_per_second, 1))
        return d
