"""Reading the Vietnamese chip ID card (ICAO 9303 eMRTD): access control (BAC, PACE), secure
messaging, LDS parsing, passive / active / chip authentication.

Protocol code here does no I/O; `devices.card.transports` holds the readers.
"""

from devices.card.kdf import compute_key_seed, derive_key
from devices.card.secure_messaging import SecureMessaging

__all__ = ["SecureMessaging", "compute_key_seed", "derive_key"]
