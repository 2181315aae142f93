"""Printers: ESC/POS thermal printers on a serial port, and a folder of files for demo mode.

`printing` renders; a printer here only carries bytes and reports typed errors
(`PaperOut`, `CoverOpen`, `PrinterOffline`, `PrinterFault`). No Qt, no `kiosk`.

Each kind parses its own `[devices] printer` form (`folder`, `escpos_serial`, `system`: the OS
printer, whose Qt opener the UI supplies); `registry` lists them.
"""
