from __future__ import annotations

import base64
import hashlib

import pytest

from kiosk.local_portal.server import start_local_portal
from kiosk.portal.client import PortalClient, RetryPolicy
from kiosk.portal.connect import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET


def submission(reference: str = "KIOSK-260105-AAAAAA", data: bytes = b"page") -> dict:
    return {
        "procedure_code": "birth_registration",
        "kiosk_reference": reference,
        "unit_code": "000.00.12.H56",
        "received_at": "2026-01-05T02:00:00+00:00",
        "applicant": {"id_number": "001095012345", "full_name": "Nguyễn Văn An"},
        "values": {"child_name": "Nguyễn Văn Bình"},
        "attachments": [
            {
                "name": "Giấy chứng sinh",
                "content_type": "image/jpeg",
                "sha256": hashlib.sha256(data).hexdigest(),
                "data_base64": base64.b64encode(data).decode(),
            }
        ],
    }


@pytest.fixture
def portal(tmp_path):
    local = start_local_portal(tmp_path / "portal.db", seed=7)
    yield local
    local.stop()


def make_client(url: str, attempts: int = 6) -> PortalClient:
    return PortalClient(
        url,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        timeout_s=5,
        retry=RetryPolicy(attempts=attempts, base_s=0.01, cap_s=0.05),
    )


@pytest.fixture
def client(portal):
    c = make_client(portal.url)
    yield c
    c.close()
