"""The voice's Qt side: playing rendered phrases on time (QtMultimedia), and its wiring.

The only part of :mod:`neck_guide.voice` that imports Qt; the rest (what to say, rendering,
the phrase cache) is plain Python.
"""
