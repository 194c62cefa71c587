"""MVP – Mentorer i våldsprevention: the programme manager of a Swedish municipality.

create_app() reads as the table of contents of the application: each register_* step
is small and lives in mvp.setup.
"""

import os

from flask import Flask

from mvp import setup


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands, pages and headers.

    The instance folder is ./instance unless MVP_INSTANCE_PATH (or the tests' INSTANCE_PATH)
    names another absolute path, such as /var/lib/mvp.
    """
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("MVP_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=instance_path or None,
        instance_relative_config=True,
        template_folder="../templates",
    )
    setup.load_config(app, test_config)
    setup.register_extensions(app)
    setup.register_blueprints(app)
    setup.register_cli(app)
    setup.register_template_helpers(app)
    setup.register_request_hooks(app)
    setup.register_error_handlers(app)
    setup.register_middleware(app)
    return app
