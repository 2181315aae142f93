"""Card transports: the only card code that does I/O.

`base.CardTransport` is the contract; `simulated.SimulatedTransport` relays to the software chip;
`pcsc` and `pn532` talk to real readers (their libraries are optional, imported when used).
Each module also parses its `[devices] card_reader` form; `registry` lists them.
"""

from devices.card.transports.base import SHORT_APDU_MAX, CardTransport, LinkCounters

__all__ = ["SHORT_APDU_MAX", "CardTransport", "LinkCounters"]
