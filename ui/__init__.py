"""PySide6 screens. The only package that imports Qt; it talks to the rest only through the journey."""
