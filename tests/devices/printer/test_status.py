"""DLE EOT real-time status answers (Epson ESC/POS: DLE EOT n, n = 1..4)."""

from __future__ import annotations

import pytest

from devices.printer import status


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}, status.PrinterStatus()),
        ({1: 0x1A, 2: 0x32, 4: 0x72}, status.PrinterStatus(online=False, paper_out=True)),
        ({1: 0x1A, 2: 0x16}, status.PrinterStatus(online=False, cover_open=True)),
        ({4: 0x1E}, status.PrinterStatus(paper_near_end=True)),
        ({3: 0x1A}, status.PrinterStatus(error=True)),  # n=3 bit 3: autocutter error
        ({2: 0x52}, status.PrinterStatus(error=True)),  # n=2 bit 6: error occurred
    ],
)
def test_answers_decode_to_the_printer_state(answers: dict[int, int], expected: object) -> None:
    assert status.parse(answers) == expected


@pytest.mark.parametrize("value", [0x00, 0xFF, 0x13, 0x92])
def test_a_byte_without_the_fixed_bits_is_not_a_status_answer(value: int) -> None:
    with pytest.raises(ValueError):
        status.parse({1: value})


def test_query_bytes_are_dle_eot_n() -> None:
    assert [status.query(n) for n in status.QUERIES] == [
        b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"
    ]  # fmt: skip


def test_ready_means_online_with_paper_and_cover_closed() -> None:
    assert status.PrinterStatus().ready
    assert status.PrinterStatus(paper_near_end=True).ready
    assert not status.PrinterStatus(cover_open=True).ready
