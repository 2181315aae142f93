"""PySide6 screens: the only package importing Qt; it reaches the rest only via the journey."""
