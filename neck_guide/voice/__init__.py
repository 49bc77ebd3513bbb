"""Spoken cues: the Speaker interface, the child-process synthesiser, the phrase cache, the script.

Pure Python; playback lives in :mod:`neck_guide.voice.playback.player` (Qt).
"""
