"""The program's clocks, travelled through by passing `now` into the jobs."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from deals import jobs
from deals.jobs import cadence_for
from deals.models import Deal, DealEvent, DealState, DealUpdate, Protection
from notifications.models import DispatchedEvent, SentReminder
from partners.models import Membership, Program
from partners.permissions import Actor
from tests.concurrency import race, raised
from tests.factories import member
from tests.helpers import approved_deal, emails, notifications_of, reload

S = DealState
DAY = timedelta(days=1)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(job, now) → the job's result, with after-commit hooks (event notifications) executed."""

    def _run(job, now):
        with django_capture_on_commit_callbacks(execute=True):
            return job(now=now)

    return _run


@pytest.fixture
def deal(reseller, partner_user, channel_manager):
    return approved_deal(organization=reseller, registered_by=partner_user, at=START)


def program_of(vendor) -> Program:
    with scopes_disabled():
        return Program.objects.get(vendor=vendor)


# --- expiry: 60 days, warnings 7 and 1 days before ------------------------------------------------


def test_it_warns_seven_and_one_days_before_and_expires_at_day_sixty(run, deal, partner_user):
    for day in range(0, 62):
        for _ in range(2):  # every run twice: nothing changes, nothing is sent twice
            run(jobs.expire_registrations, START + day * DAY + timedelta(hours=10))

    warnings = emails("expiry_warning", to=partner_user.email)
    assert [w.subject.split(":")[0] for w in warnings] == [
        "[Deal registration] 7 days left",
        "[Deal registration] 1 day left",
    ]
    assert len(emails("deal_expired", to=partner_user.email)) == 1
    deal = reload(deal)
    assert deal.state == DealState.EXPIRED
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=deal, action="expire").count() == 1
        assert not Protection.objects.filter(deal=deal, ended_at__isnull=True).exists()
    assert len(notifications_of(partner_user, "expiry_warning")) == 2


def test_it_does_not_expire_a_deal_before_the_end_of_its_validity(run, deal):
    run(jobs.expire_registrations, deal.expires_at - timedelta(minutes=1))
    assert reload(deal).state == DealState.QUOTED


def test_it_sends_only_the_nearest_warning_when_earlier_runs_were_missed(run, deal, partner_user):
    run(jobs.expire_registrations, deal.expires_at - timedelta(hours=12))
    subjects = [e.subject for e in emails("expiry_warning")]
    assert len(subjects) == 1 and "1 day left" in subjects[0]


def test_the_warnings_follow_the_programs_list(run, reseller, partner_user, vendor):
    program = program_of(vendor)
    program.expiry_warning_days = "14, 3"
    program.save()
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=START)
    for day in range(40, 61):
        run(jobs.expire_registrations, START + day * DAY)
    assert ["14 days left" in e.subject or "3 days left" in e.subject for e in emails("expiry_warning")] == [
        True,
        True,
    ]
    assert reload(deal).state == DealState.EXPIRED


def test_an_extension_restarts_the_warnings_for_the_new_expiry(run, deal, partner_user, channel_manager):
    from deals.services import review

    run(jobs.expire_registrations, deal.expires_at - 6 * DAY)
    with scopes_disabled():
        membership = Membership.objects.get(user=channel_manager)
        review.deal_grant_extension(deal=reload(deal), actor=Actor(channel_manager, membership))
    extended = reload(deal)
    assert extended.state == DealState.EXTENDED
    run(jobs.expire_registrations, extended.expires_at - 6 * DAY)
    assert len(emails("expiry_warning", to=partner_user.email)) == 2


# --- staleness: warning at day 23, revoked at day 30 ----------------------------------------------------


def test_it_warns_at_day_23_and_revokes_as_stale_at_day_30(run, deal, partner_user):
    for day in range(0, 31):
        for _ in range(2):
            run(jobs.check_staleness, START + day * DAY + timedelta(hours=1))
    assert len(emails("stale_warning", to=partner_user.email)) == 1
    deal = reload(deal)
    assert deal.state == DealState.REVOKED
    assert deal.revocation_reason == "stale"
    assert "30 days" in deal.decision_note
    assert len(emails("deal_revoked", to=partner_user.email)) == 1
    with scopes_disabled():
        assert not Protection.objects.filter(deal=deal, ended_at__isnull=True).exists()


def test_nothing_happens_before_the_warning_day(run, deal):
    run(jobs.check_staleness, START + 22 * DAY)
    assert emails() == []
    assert reload(deal).state == DealState.QUOTED


def test_a_progress_update_restarts_the_staleness_clock(run, deal, partner_user):
    run(jobs.check_staleness, START + 24 * DAY)
    with scopes_disabled():
        DealUpdate.objects.create(deal=deal, author=partner_user, body="Demo done, pricing next week.")
        Deal.objects.filter(pk=deal.pk).update(last_progress_at=START + 25 * DAY)
    run(jobs.check_staleness, START + 31 * DAY)
    assert reload(deal).state == DealState.QUOTED
    run(jobs.check_staleness, START + 49 * DAY)  # day 24 of the new clock: a second warning
    assert len(emails("stale_warning")) == 2
    run(jobs.check_staleness, START + 56 * DAY)
    assert reload(deal).state == DealState.REVOKED


def test_a_flagging_program_tells_the_channel_managers_once_instead_of_revoking(
    run, reseller, partner_user, channel_manager, vendor
):
    program = program_of(vendor)
    program.stale_action = Program.StaleAction.FLAG
    program.save()
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=START)
    for day in (30, 31, 45):
        run(jobs.check_staleness, START + day * DAY)
    assert reload(deal).state == DealState.QUOTED
    flagged = emails("stale_flagged")
    assert [e.to for e in flagged] == [channel_manager.email]
    assert "30 days" in flagged[0].subject


# --- update cadence (seed 001's table) ------------------------------------------------------------------

TODAY = date(2026, 2, 11)  # a Wednesday in the first calendar quarter


@pytest.mark.parametrize(
    "close, horizon, days",
    [
        (date(2026, 2, 15), None, None),  # this week (ends Sunday 15th): as often as needed
        (date(2026, 2, 9), None, None),  # already due: as often as needed
        (date(2026, 2, 16), "this month", 7),
        (date(2026, 3, 31), "next month", 7),
        (date(2026, 4, 1), "next quarter", 14),  # Q1 ends with March; April–June is next quarter
        (date(2026, 6, 30), "next quarter", 14),
        (date(2026, 7, 1), "within six months", 30),
        (date(2026, 8, 11), "within six months", 30),
        (date(2026, 8, 12), "in more than six months", 60),
        (date(2027, 1, 1), "in more than six months", 60),
    ],
)
def test_the_cadence_follows_the_expected_close_date(close, horizon, days):
    cadence = cadence_for(close, today=TODAY)
    assert (cadence and cadence.horizon, cadence and cadence.days) == (horizon, days)


def test_this_quarter_is_every_two_weeks():
    cadence = cadence_for(date(2026, 5, 20), today=date(2026, 4, 2))
    assert (cadence.horizon, cadence.every) == ("next month", "weekly")
    cadence = cadence_for(date(2026, 6, 15), today=date(2026, 4, 2))
    assert (cadence.horizon, cadence.every) == ("this quarter", "every two weeks")


def test_quarters_follow_the_programs_fiscal_year():
    # Fiscal year from February: Feb–Apr is a quarter, so on 11 Feb, 30 April is still this quarter.
    cadence = cadence_for(date(2026, 4, 30), today=TODAY, fiscal_year_start_month=2)
    assert cadence.horizon == "this quarter"
    assert cadence_for(date(2026, 4, 30), today=TODAY).horizon == "next quarter"


def test_a_deal_closing_next_month_is_reminded_weekly_once_per_week(run, reseller, partner_user):
    approved_deal(
        organization=reseller, registered_by=partner_user, at=START, expected_close_date=date(2026, 4, 20)
    )
    for day in range(0, 22):
        for _ in range(2):
            run(jobs.send_update_reminders, START + day * DAY + timedelta(hours=2))
    reminders = emails("update_reminder", to=partner_user.email)
    assert len(reminders) == 3  # days 7, 14 and 21 without an update
    assert "weekly" in reminders[0].text


def test_a_deal_closing_next_quarter_is_reminded_every_two_weeks(run, reseller, partner_user):
    approved_deal(
        organization=reseller, registered_by=partner_user, at=START, expected_close_date=date(2026, 6, 10)
    )
    for day in range(0, 29):
        run(jobs.send_update_reminders, START + day * DAY + timedelta(hours=2))
    assert len(emails("update_reminder")) == 2  # days 14 and 28


def test_a_deal_closing_in_five_months_is_reminded_monthly(run, reseller, partner_user, vendor):
    program = program_of(vendor)
    program.stale_action = Program.StaleAction.FLAG  # so the deal keeps protection past 30 days
    program.save()
    # From mid-January to mid-March, 10 July stays "within six months" (beyond next quarter).
    start = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    approved_deal(
        organization=reseller, registered_by=partner_user, at=start, expected_close_date=date(2026, 7, 10)
    )
    for day in range(0, 62):
        run(jobs.send_update_reminders, start + day * DAY + timedelta(hours=2))
    reminders = emails("update_reminder")
    assert len(reminders) == 2  # days 30 and 60
    assert "monthly" in reminders[0].text


def test_a_deal_closing_later_is_reminded_every_two_months(run, reseller, partner_user):
    approved_deal(
        organization=reseller, registered_by=partner_user, at=START, expected_close_date=date(2026, 12, 1)
    )
    for day in (30, 45, 59):
        run(jobs.send_update_reminders, START + day * DAY)
    assert emails("update_reminder") == []
    run(jobs.send_update_reminders, START + 60 * DAY)
    assert len(emails("update_reminder")) == 1


def test_a_deal_closing_this_week_gets_no_reminders(run, reseller, partner_user):
    approved_deal(
        organization=reseller,
        registered_by=partner_user,
        at=START - 20 * DAY,
        expected_close_date=START.date() + timedelta(days=3),
    )
    run(jobs.send_update_reminders, START)
    assert emails("update_reminder") == []


# --- only live protection runs the clocks --------------------------------------------------------------


def _reminder_kinds(deal) -> set[str]:
    with scopes_disabled():
        return set(SentReminder.objects.filter(deal=deal).values_list("kind", flat=True))


def test_an_order_in_progress_gets_no_expiry_staleness_or_cadence_clock(run, reseller, partner_user, vendor):
    program = program_of(vendor)
    program.stale_action = Program.StaleAction.FLAG  # keeps the quoted control deal alive past day 30
    program.save()
    ordered = approved_deal(organization=reseller, registered_by=partner_user, at=START, state=S.ORDERED)
    quoted = approved_deal(organization=reseller, registered_by=partner_user, at=START)
    for day in (24, 31, 54, 59.5, 61):
        for job in (jobs.expire_registrations, jobs.check_staleness, jobs.send_update_reminders):
            run(job, START + day * DAY)
    # The control deal proves the moments chosen do set off every clock.
    assert _reminder_kinds(quoted) == {"expiry_warning", "stale_warning", "stale_flag", "update_reminder"}
    assert reload(quoted).state == DealState.EXPIRED
    assert _reminder_kinds(ordered) == set()
    assert reload(ordered).state == DealState.ORDERED


@pytest.mark.parametrize("state", [S.REVOKED, S.WON, S.LOST])
def test_a_deal_no_longer_protected_gets_no_expiry_warning_for_its_old_expiry(
    run, reseller, partner_user, state
):
    ended = approved_deal(organization=reseller, registered_by=partner_user, at=START, state=state)
    for moment in (ended.expires_at - 6 * DAY, ended.expires_at - DAY / 2, ended.expires_at + DAY):
        run(jobs.expire_registrations, moment)
    assert emails("expiry_warning") == []
    assert _reminder_kinds(ended) == set()
    assert reload(ended).state == state


# --- review SLA ---------------------------------------------------------------------------------------


def test_channel_managers_hear_before_and_after_a_review_is_due(run, reseller, partner_user, channel_manager):
    from tests.factories import DealFactory

    thursday = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    due = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 3 business days later: Tuesday (weekend skipped)
    DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.SUBMITTED,
        submitted_at=thursday,
        review_due_at=due,
    )
    for moment in (thursday, due - 3 * DAY, due - 2 * DAY):  # Saturday and Sunday are not "a day before"
        run(jobs.review_sla_alerts, moment)
    assert emails() == []
    for _ in range(2):
        run(jobs.review_sla_alerts, due - DAY)  # Monday 15:00
    assert [e.to for e in emails("review_due_soon")] == [channel_manager.email]
    for moment in (due, due + DAY, due + 2 * DAY):
        run(jobs.review_sla_alerts, moment)
    assert [e.to for e in emails("review_overdue")] == [channel_manager.email]
    assert len(notifications_of(channel_manager)) == 2


def test_a_monday_deadline_is_flagged_due_soon_on_the_friday_before(
    run, reseller, partner_user, channel_manager
):
    from tests.factories import DealFactory

    due = datetime(2026, 3, 16, 15, 0, tzinfo=UTC)  # a Monday
    DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.SUBMITTED,
        submitted_at=due - 7 * DAY,
        review_due_at=due,
    )
    run(jobs.review_sla_alerts, due - 3 * DAY - timedelta(minutes=1))  # Friday 14:59
    assert emails() == []
    run(jobs.review_sla_alerts, due - 3 * DAY)  # Friday 15:00: one business day before
    assert [e.to for e in emails("review_due_soon")] == [channel_manager.email]


def test_the_due_soon_alert_comes_a_business_day_before_across_holidays_and_closure_days(
    run, reseller, partner_user, channel_manager, vendor
):
    program = program_of(vendor)
    program.holiday_country = "US"  # 1 January is a public holiday
    program.closure_days = ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"]
    program.save()
    from tests.factories import DealFactory

    due = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # a Monday after the closure between the years
    DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.SUBMITTED,
        submitted_at=due - 14 * DAY,
        review_due_at=due,
    )
    run(jobs.review_sla_alerts, due - 11 * DAY - timedelta(minutes=1))  # Thursday 24 Dec, 14:59
    assert emails() == []
    run(jobs.review_sla_alerts, due - 11 * DAY)  # Thursday 24 Dec 15:00: the last business day before
    assert [e.to for e in emails("review_due_soon")] == [channel_manager.email]


def test_a_review_returned_for_information_is_not_alerted(run, reseller, partner_user):
    from tests.factories import DealFactory

    DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.INFO_REQUESTED,
        submitted_at=START,
        review_due_at=START + 3 * DAY,
    )
    run(jobs.review_sla_alerts, START + 10 * DAY)
    assert emails() == []


# --- batched: the work does not grow query by query with the number of deals ------------------------


def _queries_for_warnings(count, *, reseller, partner_user):
    at = START - timedelta(days=55)
    for _ in range(count):
        approved_deal(organization=reseller, registered_by=partner_user, at=at)
    with CaptureQueriesContext(connection) as ctx:
        jobs.expire_registrations(now=START)
    return len(ctx.captured_queries)


def test_the_warning_job_uses_the_same_queries_for_3_or_30_deals(reseller, other_reseller, channel_manager):
    from partners.models import Membership as M

    few = _queries_for_warnings(
        3, reseller=reseller, partner_user=member(M.Role.PARTNER_USER, organization=reseller)
    )
    many = _queries_for_warnings(
        30, reseller=other_reseller, partner_user=member(M.Role.PARTNER_USER, organization=other_reseller)
    )
    assert len(emails("expiry_warning")) == 33
    assert many == few


def test_running_every_job_prints_what_it_did(deal, capsys):
    from django.core.management import call_command

    call_command("run_periodic_jobs")
    out = capsys.readouterr().out
    for name in ("expiry", "staleness", "update reminders", "review SLA", "missed events", "email:"):
        assert name in out


@pytest.mark.django_db(transaction=True)
def test_the_command_reports_the_emails_it_delivered_in_eager_mode(reseller, partner_user, capsys):
    # Real commits: each job's after-commit hook delivers the outbox eagerly, before the command's
    # own delivery step, which then finds nothing left; the report must still count those emails.
    from django.core import mail
    from django.core.management import call_command

    for days_ago in (55, 56, 57):  # three deals inside their 7-day expiry warning
        approved_deal(organization=reseller, registered_by=partner_user, at=timezone.now() - days_ago * DAY)
    mail.outbox.clear()
    call_command("run_periodic_jobs")
    out = capsys.readouterr().out
    assert len(mail.outbox) >= 3
    assert f"email: {len(mail.outbox)} sent" in out


# --- the sweep: an event whose after-commit hook never ran is still notified -------------------------------


def test_a_lost_dispatch_is_recovered_by_the_sweep_once(deal, partner_user):
    with scopes_disabled():
        event = DealEvent.objects.create(deal=deal, action="expire", from_state="quoted", to_state="expired")
        event.created_at = START
        event.save()
    # The process "crashed" after the commit: no hook ran, nothing was dispatched.
    assert not DispatchedEvent.objects.filter(event_id=event.pk).exists()
    for _ in range(2):
        jobs.dispatch_missed_events(now=START + timedelta(minutes=5))
    assert len(emails("deal_expired", to=partner_user.email)) == 1
    assert DispatchedEvent.objects.filter(event_id=event.pk).exists()


def test_the_event_counter_is_complete(run, deal):
    run(jobs.expire_registrations, deal.expires_at)
    with scopes_disabled():
        actions = Counter(DealEvent.objects.filter(deal=deal).values_list("action", flat=True))
    assert actions == {"expire": 1}


# --- two workers at once ---------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_every_job_at_once_do_each_item_once(reseller, partner_user, channel_manager):
    from tests.factories import DealFactory

    now = START + 100 * DAY
    to_expire = [
        approved_deal(organization=reseller, registered_by=partner_user, at=now - 61 * DAY) for _ in range(8)
    ]
    to_warn = [
        approved_deal(organization=reseller, registered_by=partner_user, at=now - 54 * DAY) for _ in range(8)
    ]
    with scopes_disabled():  # keep them clear of the staleness clock
        Deal.objects.filter(pk__in=[d.pk for d in to_warn]).update(last_progress_at=now - DAY)
    stale = [
        approved_deal(organization=reseller, registered_by=partner_user, at=now - 31 * DAY) for _ in range(8)
    ]
    for _ in range(8):
        DealFactory(
            organization=reseller,
            registered_by=partner_user,
            state=DealState.SUBMITTED,
            submitted_at=now - 10 * DAY,
            review_due_at=now - 5 * DAY,
        )

    def worker():
        jobs.run_all(now=now)

    assert raised(race([worker, worker])) == []
    with scopes_disabled():
        events = Counter(DealEvent.objects.values_list("deal_id", "action"))
    assert all(events[(d.pk, "expire")] == 1 for d in to_expire)
    assert all(events[(d.pk, "revoke")] == 1 for d in stale)
    assert all(reload(d).state == DealState.QUOTED for d in to_warn)
    assert len(emails("expiry_warning")) == 8
    assert len(emails("deal_expired")) == 8
    assert len(emails("deal_revoked")) == 8
    assert len(emails("review_overdue")) == 8
