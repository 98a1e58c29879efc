"""storyline: turn a pile of news articles into events, storylines and cited reports."""

__version__ = "0.1.0"
