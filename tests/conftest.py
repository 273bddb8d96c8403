import pytest
from allauth.account.models import EmailAddress
from django_scopes import scope, scopes_disabled

from partners.models import Membership, User
from tests.factories import (
    OrganizationFactory,
    VendorFactory,
    actor_of,
    distributor_of,
    make_co_sell,
    member,
)
from tests.helpers import member_fixture

Role = Membership.Role


@pytest.fixture
def vendor(db):
    return VendorFactory(name="Acme Software", slug="acme")


@pytest.fixture
def other_vendor(db):
    return VendorFactory(name="Globex Security", slug="globex")


@pytest.fixture
def reseller(vendor):
    return OrganizationFactory(vendor=vendor, name="Alpha Resellers")


@pytest.fixture
def other_reseller(vendor):
    return OrganizationFactory(vendor=vendor, name="Beta Resellers")


@pytest.fixture
def distributor(reseller):
    return distributor_of(reseller, "Dist One")


@pytest.fixture
def co_sell_vendor(vendor):
    """`vendor` with a multi-partner (co-sell) program."""
    return make_co_sell(vendor)


# The roles at `vendor`: each fixture is one user holding that role where it says.
channel_manager = member_fixture(Role.CHANNEL_MANAGER, vendor="vendor")
vendor_admin = member_fixture(Role.VENDOR_ADMIN, vendor="vendor")
partner_user = member_fixture(Role.PARTNER_USER, organization="reseller")
partner_admin = member_fixture(Role.PARTNER_ADMIN, organization="reseller")
distributor_user = member_fixture(Role.DISTRIBUTOR_USER, organization="distributor")


@pytest.fixture
def registrant(partner_user, vendor):
    """The partner user's Actor at the vendor, as a request of theirs carries it."""
    return actor_of(partner_user, vendor)


@pytest.fixture
def outsider(other_vendor):
    """Channel manager of another vendor: must see nothing of `vendor`."""
    return member(Role.CHANNEL_MANAGER, vendor=other_vendor)


def _verified(user):
    with scopes_disabled():
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


@pytest.fixture
def login(client):
    """login(user) → a client logged in as that user (with a verified email address)."""

    def _login(user):
        client.force_login(_verified(user))
        return client

    return _login


@pytest.fixture
def staff_client(client, db):
    """A client logged in as installation staff (a superuser), for the Django admin."""
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x"))
    return client


@pytest.fixture
def in_scope(vendor):
    """Run the test body inside the vendor's scope, as a request would."""
    with scope(vendor=vendor):
        yield vendor


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """notify(service, **kwargs) → runs the service and then its after-commit hooks (the notifications)."""

    def _call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return _call
