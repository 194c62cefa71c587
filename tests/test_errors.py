"""Styled error pages; a server error rolls the transaction back."""

import sqlalchemy as sa

from mvp import create_app
from mvp.extensions import db
from mvp.schools.models import School
from tests.factories import make_user, sign_in


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Sidan kunde inte hittas" in page
    assert 'href="/accessibility"' in page


def test_server_error_is_styled_and_nothing_is_saved(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/errors.sqlite",
        }
    )

    @app.get("/_boom")
    def boom():
        db.session.add(School(name="Halvsparad", kind="7-9"))
        db.session.flush()
        raise RuntimeError("a bug")

    with app.app_context():
        db.create_all()
        client = app.test_client()
        sign_in(client, make_user("lead"))
        response = client.get("/_boom")
        assert response.status_code == 500
        assert "Något gick fel hos oss" in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(School.id))) == 0
        db.session.remove()
        db.engine.dispose()
