"""Document capture for dossier attachments: find the page, flatten it, make it legible, and take
the picture by itself once the page lies still. Pages are saved as JPEG or as one PDF.

The page is found as the largest convex four-sided outline (Canny edges, then an Otsu mask for a
light page on a darker desk as a fallback); the perspective is undone to the page's own aspect
ratio (squared up to A4 when within 12 % of it); uneven light is divided out and the contrast
stretched, leaving a grey page.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from devices.camera.errors import DocumentNotFound
from devices.camera.quality import to_gray

MIN_PAGE_AREA = 0.12  # share of the frame
STEADY_FRAMES = 8  # frames the page must lie still before auto-capture (~0.5 s at 15 fps)
STEADY_TOLERANCE = 0.012  # corner movement allowed per frame, as a share of the frame diagonal
A4_POINTS = (595.0, 842.0)
A4_RATIO = 297 / 210
A4_SNAP = 0.12  # a flattened page within 12 % of A4's proportions is made exactly A4
MAX_PAGE_AREA = 0.97  # a "page" filling the whole frame is the frame itself (blank picture)


def order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    points = points.reshape(4, 2).astype(np.float32)
    sums = points.sum(axis=1)
    diffs = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(diffs)],
            points[np.argmax(sums)],
            points[np.argmax(diffs)],
        ],
        np.float32,
    )


def _quadrilateral(mask: np.ndarray, min_area: float) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    frame_area = mask.shape[0] * mask.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        area = cv2.contourArea(contour)
        if area < min_area:
            break
        if area > MAX_PAGE_AREA * frame_area:
            continue
        hull = cv2.convexHull(contour)
        outline = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(outline) == 4 and cv2.isContourConvex(outline):
            return order_corners(outline)
    return None


def find_page(frame: np.ndarray) -> np.ndarray | None:
    """The page's four corners (frame pixels, ordered), or None."""
    gray = cv2.GaussianBlur(to_gray(frame), (5, 5), 0)
    min_area = MIN_PAGE_AREA * gray.shape[0] * gray.shape[1]
    edges = cv2.dilate(cv2.Canny(gray, 40, 120), np.ones((3, 3), np.uint8))
    corners = _quadrilateral(edges, min_area)
    if corners is None:
        _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        corners = _quadrilateral(mask, min_area)
    return corners


def flatten(frame: np.ndarray, corners: np.ndarray, long_side: int = 1600) -> np.ndarray:
    """The page seen straight on, its long side `long_side` pixels."""
    top = np.linalg.norm(corners[1] - corners[0])
    bottom = np.linalg.norm(corners[2] - corners[3])
    left = np.linalg.norm(corners[3] - corners[0])
    right = np.linalg.norm(corners[2] - corners[1])
    width, height = (top + bottom) / 2, (left + right) / 2
    ratio = height / width
    for paper in (A4_RATIO, 1 / A4_RATIO):  # most dossier papers are A4: square them up to it
        if abs(ratio / paper - 1) < A4_SNAP:
            height = width * paper
    scale = long_side / max(width, height)
    out_w, out_h = max(1, round(width * scale)), max(1, round(height * scale))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(frame, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC)


def enhance(page: np.ndarray) -> np.ndarray:
    """Grey page with the uneven light divided out and the contrast stretched."""
    gray = to_gray(page).astype(np.float32)
    kernel = max(15, (min(gray.shape) // 20) | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((kernel, kernel), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), kernel / 2)
    flat = gray / np.maximum(background, 1.0) * 255.0
    low, high = np.percentile(flat, (1, 99))
    stretched = (flat - low) * (255.0 / max(high - low, 1.0))
    return np.clip(stretched, 0, 255).astype(np.uint8)


def capture_document(frame: np.ndarray, long_side: int = 1600) -> np.ndarray:
    """Find, flatten and enhance the page in one still; raises `DocumentNotFound`."""
    corners = find_page(frame)
    if corners is None:
        raise DocumentNotFound("no page with four clear edges in the picture")
    return enhance(flatten(frame, corners, long_side))


@dataclass
class SteadyCapture:
    """Auto-capture: says `capture` once the page's corners held still for `frames` frames."""

    frames: int = STEADY_FRAMES
    tolerance: float = STEADY_TOLERANCE
    _previous: np.ndarray | None = None
    _still: int = 0

    def update(self, frame: np.ndarray) -> tuple[str, np.ndarray | None]:
        """(`no_page` | `hold_still` | `capture`, corners)."""
        corners = find_page(frame)
        if corners is None:
            self._previous, self._still = None, 0
            return "no_page", None
        diagonal = float(np.hypot(*frame.shape[:2]))
        if self._previous is not None:
            moved = float(np.abs(corners - self._previous).max()) / diagonal
            self._still = self._still + 1 if moved <= self.tolerance else 0
        self._previous = corners
        if self._still >= self.frames:
            self._still = 0
            return "capture", corners
        return "hold_still", corners


def encode_jpeg(page: np.ndarray, quality: int = 75) -> bytes:
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return data.tobytes()


def pdf_from_jpegs(pages: Sequence[bytes]) -> bytes:
    """A PDF with one JPEG per page, each scaled to fit an A4 page (the JPEG is embedded as is,
    DCTDecode, no recompression)."""
    if not pages:
        raise ValueError("no pages")
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in at the end
    tree = add(b"")
    kids = []
    for number, data in enumerate(pages):
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if image is None:
            raise ValueError(f"page {number + 1} is not a JPEG")
        height, width = image.shape[:2]
        space = b"/DeviceGray" if image.ndim == 2 else b"/DeviceRGB"
        xobject = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, space, len(data), data)
        )
        scale = min(A4_POINTS[0] / width, A4_POINTS[1] / height)
        draw_w, draw_h = width * scale, height * scale
        x, y = (A4_POINTS[0] - draw_w) / 2, (A4_POINTS[1] - draw_h) / 2
        drawing = b"q %.2f 0 0 %.2f %.2f %.2f cm /Im0 Do Q" % (draw_w, draw_h, x, y)
        packed = zlib.compress(drawing)
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
        )
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.0f %.0f] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (tree, A4_POINTS[0], A4_POINTS[1], xobject, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)
