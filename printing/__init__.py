"""Receipts, slips and reports rendered to PDF, raster images and ESC/POS bytes. No Qt, no `kiosk`."""
