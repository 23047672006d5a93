"""The expiry sweep of unverified contact-form submissions (kefu/jobs)."""

from kefu.jobs.sweepers import Sweeper
from kefu.visitors.contact import expire_due, next_due

SWEEPER = Sweeper(name="visitors.contact_expiry", run=expire_due, next_due=next_due, max_sleep=60)
