"""The sans-I/O shape of card protocols.

A protocol step is a generator: it yields each command APDU (bytes) and is sent back the card's
full response (data + SW1 SW2); its return value is the step's result. `drive` runs such a step over
any function that transmits; tests drive it from recorded vectors instead.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar

T = TypeVar("T")

Exchange = Generator[bytes, bytes, T]
Transmit = Callable[[bytes], bytes]


def drive(step: Exchange[T], transmit: Transmit) -> T:
    try:
        command = next(step)
        while True:
            command = step.send(transmit(command))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
