"""Shared devices: staff turn it on for a wave on its page; pupils then answer one after the
other in the same browser (tests/surveys/test_online.py follows the pupils)."""

import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.extensions import db
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import make_wave


def test_a_coordinator_turns_shared_devices_on_and_off_for_a_wave(client):
    school = make_school()
    wave = make_wave(make_group(school))
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get(f"/surveys/waves/{wave.id}").get_data(as_text=True)
    assert "Delad enhet: av" in page and "Slå på delad enhet" in page
    response = client.post(f"/surveys/waves/{wave.id}/shared-device", data={"shared": "1"})
    assert response.headers["Location"] == f"/surveys/waves/{wave.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Delad enhet är på: efter ”Tack” börjar nästa elev från början." in page
    assert "Delad enhet: på" in page and "Stäng av delad enhet" in page
    db.session.refresh(wave)
    assert wave.shared_device
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "wave")
    )
    client.post(f"/surveys/waves/{wave.id}/shared-device", data={"shared": "0"})
    db.session.refresh(wave)
    assert not wave.shared_device


def test_a_viewer_sees_the_setting_but_cannot_change_it(client):
    wave = make_wave(make_group(make_school()))
    sign_in(client, make_user("viewer"))
    assert (
        client.post(f"/surveys/waves/{wave.id}/shared-device", data={"shared": "1"}).status_code
        == 403
    )
    db.session.refresh(wave)
    assert not wave.shared_device
