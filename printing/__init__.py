"""Receipts, slips and reports rendered to PDF, raster images and ESC/POS bytes.

No Qt, no `kiosk`: the kiosk passes plain dataclasses (`printing.model`) and gets bytes back.
"""
