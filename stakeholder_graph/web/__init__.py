"""The shared workspace in the browser (``stakeholder-graph serve``).

Modules by job:

- :mod:`.app`: the application factory (:func:`create_app`) and the runner (:func:`serve`).
- :mod:`.http`: the :func:`~.http.page` decorator every route uses (sign-in, role, CSRF), templates,
  error pages, security headers, static files.
- :mod:`.auth`: passwords (argon2), sessions (signed cookies), CSRF tokens, the login throttle.
- :mod:`.state`: the workspace database (SQLite): accounts, sessions, settings, history, waves, versions.
- :mod:`.storage`: the storage interface and the dataset folder backend; :mod:`.store_neo4j` the Neo4j one.
- :mod:`.records`: changes as records, validated by the dataset folder's own validation.
- :mod:`.workspace`: applying, refusing and reverting changes; waves; the privacy setting.
- :mod:`.views`: the network as a role may see it (anonymised below the setting) and its cached analyses.
- :mod:`.pages`: one module of routes per area (start, map, stakeholders, engagements, waves, import
  and export, history, admin).

Templates and static files are package data (``templates/``, ``static/``), read with importlib.resources.
"""

from .app import create_app, serve
from .workspace import Workspace, open_workspace

__all__ = ["create_app", "serve", "Workspace", "open_workspace"]
