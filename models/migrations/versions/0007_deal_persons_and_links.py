"""Contact persons of a deal, and labelled links kept apart from the client's website.

- ``deal_persons``: the people on the client's side (name, position); their e-mails and
  phones are contacts with ``contacts.person_id``.
- ``contacts.label``: the label of a ``link`` contact ("Источник", "Задача": the handbook's URL
  field). A ``url`` contact stays the client's website.

Existing data: every row is kept. ``contacts.person_name`` was never written by the bot; any
value found is copied into a person of that deal (one per deal and name) and the contact is
attached to it, and that name is added to the deal's search text. Existing ``url`` contacts
stay websites, except links into a task tracker (Jira, YouTrack, Trello, Asana, ...), which
can only be a task link: they become ``link`` contacts labelled "Задача". Nothing else can be
told apart from a website reliably, and the manager relabels in one step (remove, add).

Revision ID: 0007
Revises: 0011
Create Date: 2026-12-02 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0011"
branch_labels = None
depends_on = None

# Hosts (or their suffixes) of task trackers: a URL there is a task, not a client's website.
TRACKER_HOSTS = (
    "atlassian.net", "jira.", "youtrack.", "myjetbrains.com", "trello.com", "asana.com",
    "tracker.yandex.ru", "bitrix24.", "redmine.", "gitlab.", "github.com", "clickup.com",
    "notion.so", "planfix.ru", "kaiten.ru", "yougile.com", "monday.com", "linear.app",
)  # fmt: skip
TASK_LABEL = "Задача"


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].lower()


def is_tracker(url: str) -> bool:
    host = _host(url)
    for tracker in TRACKER_HOSTS:
        if tracker.endswith("."):  # a self-hosted one: "jira.firm.ru", "tasks.jira.firm.ru"
            if host.startswith(tracker) or f".{tracker}" in host:
                return True
        elif host == tracker or host.endswith(f".{tracker}"):
            return True
    return False


def _fold(text: str) -> str:
    # models/search_text.py's fold, frozen here (a migration must not change with the code).
    return " ".join(text.casefold().replace("ё", "е").split())


def upgrade() -> None:
    op.create_table(
        "deal_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_deal_persons_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_persons")),
    )
    with op.batch_alter_table("deal_persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_persons_deal_id"), ["deal_id"], unique=False)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("label", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_contacts_person_id_deal_persons"),
            "deal_persons",
            ["person_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_contacts_person_id"), ["person_id"], unique=False)
    _move_data()


def _move_data() -> None:
    bind = op.get_bind()
    contacts = sa.table(
        "contacts",
        sa.column("id", sa.Integer),
        sa.column("deal_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("normalized", sa.String),
        sa.column("person_name", sa.String),
        sa.column("person_id", sa.Integer),
        sa.column("label", sa.String),
    )
    persons = sa.table(
        "deal_persons",
        sa.column("id", sa.Integer),
        sa.column("deal_id", sa.Integer),
        sa.column("name", sa.String),
    )
    deals = sa.table("deals", sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    named = bind.execute(
        sa.select(contacts.c.id, contacts.c.deal_id, contacts.c.person_name)
        .where(contacts.c.person_name.is_not(None), contacts.c.person_name != "")
        .order_by(contacts.c.id)
    ).all()
    made: dict[tuple[int, str], int] = {}
    for contact_id, deal_id, raw_name in named:
        name = raw_name.strip()[:255]
        if not name:
            continue
        key = (deal_id, name)
        if key not in made:
            made[key] = bind.execute(
                sa.insert(persons).values(deal_id=deal_id, name=name).returning(persons.c.id)
            ).scalar_one()
            text = bind.execute(
                sa.select(deals.c.search_text).where(deals.c.id == deal_id)
            ).scalar_one()
            bind.execute(
                sa.update(deals)
                .where(deals.c.id == deal_id)
                .values(search_text=f"{text} | {_fold(name)}"[:2000] if text else _fold(name))
            )
        bind.execute(
            sa.update(contacts).where(contacts.c.id == contact_id).values(person_id=made[key])
        )
    urls = bind.execute(
        sa.select(contacts.c.id, contacts.c.normalized).where(contacts.c.kind == "url")
    ).all()
    tasks = [contact_id for contact_id, url in urls if is_tracker(url)]
    for start in range(0, len(tasks), 500):
        bind.execute(
            sa.update(contacts)
            .where(contacts.c.id.in_(tasks[start : start + 500]))
            .values(kind="link", label=TASK_LABEL)
        )


def downgrade() -> None:
    bind = op.get_bind()
    contacts = sa.table(
        "contacts",
        sa.column("kind", sa.String),
        sa.column("label", sa.String),
        sa.column("person_id", sa.Integer),
        sa.column("person_name", sa.String),
    )
    persons = sa.table("deal_persons", sa.column("id", sa.Integer), sa.column("name", sa.String))
    # Back to what 0004 knew: links are websites again, a person's name goes back on each
    # of their contacts (a person without contacts has nowhere to go and is dropped).
    bind.execute(sa.update(contacts).where(contacts.c.kind == "link").values(kind="url"))
    bind.execute(
        sa.update(contacts)
        .where(contacts.c.person_id.is_not(None))
        .values(
            person_name=sa.select(persons.c.name)
            .where(persons.c.id == contacts.c.person_id)
            .scalar_subquery()
        )
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_person_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_contacts_person_id_deal_persons"), type_="foreignkey"
        )
        batch_op.drop_column("label")
        batch_op.drop_column("person_id")
    with op.batch_alter_table("deal_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_persons_deal_id"))
    op.drop_table("deal_persons")
