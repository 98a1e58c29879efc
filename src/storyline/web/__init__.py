"""storyline's web app: `storyline serve` (see app.create_app)."""

from storyline.web.app import create_app

__all__ = ["create_app"]
