"""Kept for ``demos/tour.py`` until it imports the player from its new home, :mod:`autograd.player`."""

from autograd.player import Player, player, write_player

__all__ = ["Player", "player", "write_player"]
