"""backtp.rows.by_pk and the login backend built on it: the same rows as the ORM."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.test import Client

from backtp import rows
from backtp.accounts.models import User
from backtp.guide.models import Assessment

pytestmark = pytest.mark.django_db

PASSWORD = "plum-kettle-orbit-42"


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_user_is_read_exactly_as_the_orm_reads_it(django_assert_num_queries) -> None:
    ana = User.objects.create_user("ana", "ana@example.com", PASSWORD, first_name="Ana")
    ana.journal_changed()
    with django_assert_num_queries(1):
        read = rows.by_pk(User, str(ana.pk))  # the session keeps the key as text
    assert type(read) is User and not read._state.adding and read._state.db == "default"
    assert fields(read) == fields(User.objects.get(pk=ana.pk))
    assert read.journal_version == 1


def test_a_row_kept_as_values_comes_back_the_same(django_assert_num_queries) -> None:
    """What backtp.accounts.people keeps in Redis (pickled) rebuilds the same person."""
    import pickle

    ana = User.objects.create_user("ana", "ana@example.com", PASSWORD, first_name="Ana")
    ana.contraindications = ["pregnancy"]
    ana.save()
    read = rows.by_pk(User, ana.pk)
    kept = pickle.loads(pickle.dumps(rows.values_of(read)))
    with django_assert_num_queries(0):
        back = rows.from_values(User, kept)
    assert type(back) is User and not back._state.adding and back._state.db == "default"
    assert fields(back) == fields(read)
    assert back.contraindications == ["pregnancy"] and back.check_password(PASSWORD)


def test_an_assessment_with_a_uuid_key_and_json_answers() -> None:
    ana = User.objects.create_user("ana", "ana@example.com", PASSWORD)
    saved = Assessment.objects.create(
        user=ana, regions={"sacrum": 6, "coccyx": None}, worst="sacrum", tools=["tennis-ball"]
    )
    for key in (saved.pk, str(saved.pk)):
        read = rows.by_pk(Assessment, key)
        assert model_to_dict(read) == model_to_dict(Assessment.objects.get(pk=saved.pk))
        assert read.regions == {"sacrum": 6, "coccyx": None} and read.user_id == ana.pk


@pytest.mark.parametrize("key", [uuid.uuid4(), "not-a-uuid", "", None, ["x"]])
def test_a_missing_or_malformed_key_is_none(key) -> None:
    assert rows.by_pk(Assessment, key) is None


@pytest.mark.parametrize("key", [999_999, "abc", "1; drop table accounts_user", 2**70])
def test_a_missing_or_malformed_user_key_is_none(key) -> None:
    User.objects.create_user("ana", "ana@example.com", PASSWORD)
    assert rows.by_pk(User, key) is None


def test_a_model_whose_default_manager_filters_is_refused(monkeypatch) -> None:
    class Filtering(Group._default_manager.__class__):
        def get_queryset(self):
            return super().get_queryset().filter(name="x")

    monkeypatch.setattr(Group._meta, "default_manager", Filtering())
    with pytest.raises(TypeError, match="filters rows"):
        rows.by_pk(Group, 1)


def test_a_logged_in_person_stays_logged_in_and_a_deactivated_one_is_not(client: Client) -> None:
    ana = User.objects.create_user("ana", "ana@example.com", PASSWORD)
    assert (
        client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/journal/").status_code == 200
    User.objects.filter(pk=ana.pk).update(is_active=False)
    response = client.get("/journal/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_changed_password_logs_out_other_sessions(client: Client) -> None:
    ana = User.objects.create_user("ana", "ana@example.com", PASSWORD)
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    ana.set_password("a-brand-new-passphrase-7")
    ana.save()
    assert client.get("/journal/").status_code == 302
