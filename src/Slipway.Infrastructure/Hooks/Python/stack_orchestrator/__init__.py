"""Slipway's shim of the part of laconic-so's stack_orchestrator package that commands.py hooks import."""
