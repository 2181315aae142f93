"""Receipt rendering speed: the A4 PDF (both copies) and the thermal slip (raster + ESC/POS).

    python -m bench receipt [--reps N]

Warm medians: fonts registered and modules imported before timing. Every repetition uses a new
dossier code, so the QR matrices are computed each time as for a real citizen.
Targets: receipt PDF ≤ 50 ms, slip raster + ESC/POS ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable

from printing.escpos import encode
from printing.model import ReceiptData
from printing.receipt import receipt_pdf
from printing.report import report_pdf
from printing.samples import sample_receipt, sample_report
from printing.slip import receipt_slip

TARGETS_MS = {"receipt PDF (2 copies)": 50.0, "slip raster + ESC/POS": 100.0}


def _variant(i: int) -> ReceiptData:
    return dataclasses.replace(sample_receipt(), dossier_code=f"000.00.12.H56-250815-{i:04d}")


def _median_ms(
    work: Callable[[ReceiptData], object], reps: int, offset: int
) -> tuple[float, float]:
    """(wall, CPU) medians in ms: CPU time shows the cost when other processes share the cores."""
    wall, cpu = [], []
    for i in range(reps):
        data = _variant(offset + i)
        start, start_cpu = time.perf_counter(), time.process_time()
        work(data)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench receipt")
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args(argv)
    receipt_pdf(_variant(9999))  # warm: fonts, imports
    encode(receipt_slip(_variant(9998)).image)
    rows = {
        "receipt PDF (2 copies)": _median_ms(receipt_pdf, args.reps, 0),
        "slip raster only": _median_ms(lambda d: receipt_slip(d), args.reps, 1000),
        "slip raster + ESC/POS": _median_ms(
            lambda d: encode(receipt_slip(d).image), args.reps, 2000
        ),
        "daily report PDF": _median_ms(lambda _d: report_pdf(sample_report()), args.reps, 0),
    }
    print(f"{'what':<26}{'median ms':>11}{'cpu ms':>9}{'target ms':>11}{'ratio':>8}")
    for name, (median, cpu) in rows.items():
        target = TARGETS_MS.get(name)
        ratio = f"{median / target:.2f}" if target else "-"
        shown = f"{target:.0f}" if target else "-"
        print(f"{name:<26}{median:>11.1f}{cpu:>9.1f}{shown:>11}{ratio:>8}")
    return 0
