"""Hardware: chip card reading, camera, printer transports, and their simulators.

No Qt and no `kiosk` imports here: the same code runs under the kiosk, the CLI and the tests.
"""
