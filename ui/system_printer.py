"""The printer the operating system knows (`[devices] printer = "system[:NAME]"`), through Qt's
QPrinter: the A4 receipt on an office printer, or the slip on a thermal printer that has a driver.

Qt for Python here has no QtPdf, so the receipt's PDF pages are rasterised with PDFium
(pypdfium2) at the printer's resolution and painted page by page. A page narrower than 100 mm is
taken for a slip printer and gets the slip raster instead. QPainter on a QPrinter may run off the
GUI thread (the journey's worker calls `print_job`).

`SystemPrinter` is the opener the UI hands the printer registry (`PrinterSetup.system_opener`,
through `open_runtime(system_printer=...)`): `devices.printer.system` knows the form, this draws.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from devices.printer.base import PDF, PNG, PrintJob, PrintResult
from devices.printer.errors import PrinterError, PrinterFault, PrinterOffline

log = logging.getLogger(__name__)
SLIP_PAGE_MAX_MM = 100.0


def _pdf_pages(pdf: bytes, dpi: int) -> list[QImage]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=dpi / 72.0, grayscale=True)
            pil = bitmap.to_pil()
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, pil.width, QImage.Format.Format_Grayscale8)
            pages.append(image.copy())  # own the pixels before `data` goes away
        return pages
    finally:
        document.close()


class SystemPrinter:
    """Prints through QPrinter; `output_pdf` makes Qt write a PDF file instead (for tests)."""

    formats = frozenset({PDF, PNG})

    def __init__(self, name: str = "", dpi: int = 300, output_pdf: Path | None = None) -> None:
        self.name = name
        self.dpi = dpi
        self.output_pdf = output_pdf

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.output_pdf is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.output_pdf))
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            return printer
        if self.name:
            if self.name not in [p.printerName() for p in QPrinterInfo.availablePrinters()]:
                raise PrinterOffline(f"no system printer named {self.name!r}")
            printer.setPrinterName(self.name)
        elif QPrinterInfo.defaultPrinter().isNull():
            raise PrinterOffline("the system has no default printer")
        if not printer.isValid():
            raise PrinterOffline(f"system printer {self.name or '(default)'} is not usable")
        return printer

    def print_job(self, job: PrintJob) -> PrintResult:
        printer = self._printer()
        page_mm = printer.pageLayout().pageSize().size(QPageSize.Unit.Millimeter)
        slip_paper = page_mm.width() <= SLIP_PAGE_MAX_MM
        if job.pdf is not None and not slip_paper:
            images = _pdf_pages(job.pdf, self.dpi)
        elif job.png is not None:
            image = QImage.fromData(job.png)
            if image.isNull():
                raise PrinterError(f"job {job.name!r}: the slip image cannot be read")
            images = [image]
        else:
            raise PrinterError(f"job {job.name!r} has nothing this printer can print")
        printer.setDocName(job.name)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterOffline(
                f"system printer {printer.printerName() or '(file)'} refused the job"
            )
        try:
            for index, image in enumerate(images):
                if index and not printer.newPage():
                    raise PrinterFault("the system printer could not start a new page")
                area = painter.viewport()
                scale = min(area.width() / image.width(), area.height() / image.height())
                if slip_paper:  # a slip fills the width; the roll is as long as it needs
                    scale = area.width() / image.width()
                target = QRect(0, 0, int(image.width() * scale), int(image.height() * scale))
                painter.drawImage(target, image)
        finally:
            painter.end()
        if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            raise PrinterFault(f"system printer reports {printer.printerState().name}")
        where = str(self.output_pdf) if self.output_pdf else f"system:{printer.printerName()}"
        return PrintResult(where=where)
