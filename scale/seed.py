"""Build a cluster-sized data set with bulk inserts, consistent with what the services make.

Pages are inserted without ``Page.add_child``: materialised paths are computed here (children
of the existing directory index pages), the base ``wagtailcore_page`` rows are bulk-created and
the specific rows inserted beside them, then the parent's ``numchild`` is fixed. Guardian grants
follow ``partners.permissions`` and ``projects.permissions`` exactly (their group names and
permission lists), so their ``*_permissions_sync`` functions report no drift. Chat rooms get
contiguous ``seq`` numbers with ``ChatRoom.last_seq`` equal to the highest one.
"""

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from chat.models import ChatRoom, Message, ReadMarker
from partners import permissions as partner_permissions
from partners.models import (
    Membership,
    PartnerIndexPage,
    PartnerOfferTag,
    PartnerPage,
    PartnerPageGroupObjectPermission,
    PartnerSeekTag,
)
from projects import permissions as project_permissions
from projects.models import (
    Participation,
    ProjectIndexPage,
    ProjectNeedTag,
    ProjectPage,
    ProjectPageGroupObjectPermission,
    TeamMembership,
)
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from . import data

USERNAME_PREFIX = "scale-"
PASSWORD = "cluster-scale"
BENCH_PROJECT_SLUG = "scale-chat-benchmark"
BATCH = 2000


class Progress:
    """A plain-text progress bar: one line per tenth, readable in a terminal and in CI logs."""

    WIDTH = 20

    def __init__(self, out, label, total):
        self.out, self.label, self.total = out, label, max(total, 1)
        self.done = 0
        self.shown = -1
        self.started = time.monotonic()

    def advance(self, n=1):
        self.done += n
        tenth = min(10, self.done * 10 // self.total)
        if tenth != self.shown:
            self.shown = tenth
            filled = self.WIDTH * tenth // 10
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            elapsed = time.monotonic() - self.started
            self.out.write(
                f"  {self.label:<14} [{bar}] {tenth * 10:3d}%  "
                f"{self.done:,}/{self.total:,}  {elapsed:.1f}s"
            )


def batched(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model, columns, rows, progress=None, size=10_000):
    """Insert plain tuples fast: COPY on PostgreSQL, executemany elsewhere.

    Bypasses ``pre_save`` on purpose (``auto_now_add`` would overwrite seeded timestamps).
    """
    fields = [model._meta.get_field(name) for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for index, row in enumerate(rows, start=1):
                    copy.write_row(row)
                    if progress and index % size == 0:
                        progress.advance(size)
                if progress:
                    progress.advance(progress.total - progress.done)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        chunk = []
        for row in rows:
            chunk.append(
                tuple(
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, row, strict=True)
                )
            )
            if len(chunk) == size:
                cursor.executemany(sql, chunk)
                if progress:
                    progress.advance(len(chunk))
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            if progress:
                progress.advance(len(chunk))


@dataclass
class ScaleSeeder:
    organizations: int = 2000
    projects: int = 5000
    users: int = 20_000
    messages: int = 1_000_000
    big_room: int = 100_000
    search_index: bool = True
    # Phases to leave out (e.g. {"permissions"} where only the shape of the data matters).
    skip: frozenset = frozenset()
    seed: int = 1
    out: object = None
    timings: dict = field(default_factory=dict)

    def log(self, text):
        if self.out is not None:
            self.out.write(text)

    def progress(self, label, total):
        return Progress(self, label, total)

    def write(self, text):
        self.log(text)

    def phase(self, name, fn):
        if name in self.skip:
            return None
        started = time.monotonic()
        self.log(f"{name}…")
        result = fn()
        self.timings[name] = time.monotonic() - started
        self.log(f"  {name} done in {self.timings[name]:.1f}s")
        return result

    def run(self):
        self.rng = random.Random(self.seed)
        self.now = timezone.now()
        with transaction.atomic():
            self.phase("vocabularies", self.make_vocabularies)
            self.phase("users", self.make_users)
            self.phase("organizations", self.make_organizations)
            self.phase("memberships", self.make_memberships)
            self.phase("projects", self.make_projects)
            self.phase("partnerships", self.make_participations_and_teams)
            self.phase("permissions", self.make_permissions)
            self.phase("chat", self.make_chat)
        if self.search_index:
            self.phase("search index", self.make_search_index)
        return self.timings

    # --- vocabularies -----------------------------------------------------------------------
    def make_vocabularies(self):
        for model, names in ((Sector, data.SECTORS), (Region, data.REGIONS)):
            for name in names:
                model.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        self.sector_ids = list(Sector.objects.values_list("id", flat=True))
        self.region_ids = list(Region.objects.values_list("id", flat=True))
        self.sdg_ids = list(SustainableDevelopmentGoal.objects.values_list("id", flat=True))
        tags = []
        for name in data.SKILLS:
            tag = Tag.objects.filter(name__iexact=name).first()
            tags.append(tag or Tag.objects.create(name=name, slug=slugify(name)))
        self.tag_ids = [tag.pk for tag in tags]

    # --- users ------------------------------------------------------------------------------
    def make_users(self):
        from allauth.account.models import EmailAddress

        User = get_user_model()
        password = make_password(PASSWORD)
        first = ["Anna", "Jordi", "Marta", "Pau", "Laia", "Marc", "Núria", "Oriol", "Aina", "Joan"]
        last = ["Puig", "Vidal", "Serra", "Ferrer", "Soler", "Font", "Roca", "Sala", "Mas", "Pons"]
        users = [
            User(
                username=f"{USERNAME_PREFIX}{i:06d}",
                email=f"{USERNAME_PREFIX}{i:06d}@scale.cluster.test",
                first_name=self.rng.choice(first),
                last_name=self.rng.choice(last),
                password=password,
                date_joined=self.now - timedelta(days=self.rng.randint(0, 1500)),
            )
            for i in range(1, self.users + 1)
        ]
        progress = self.progress("users", len(users))
        for chunk in batched(users, 5000):
            User.objects.bulk_create(chunk)
            progress.advance(len(chunk))
        if users[0].pk is None:  # a backend that returns no ids from bulk inserts
            ids = dict(
                User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
                    "username", "id"
                )
            )
            for user in users:
                user.pk = ids[user.username]
        self.user_ids = [user.pk for user in users]
        for chunk in batched(users, 5000):
            EmailAddress.objects.bulk_create(
                EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True)
                for u in chunk
            )

    # --- pages ------------------------------------------------------------------------------
    def insert_pages(self, parent, pages, label):
        """Insert ``pages`` (unsaved specific instances) as the last children of ``parent``."""
        model = type(pages[0])
        parent = Page.objects.get(pk=parent.pk)
        last = parent.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        depth = parent.depth + 1
        taken = set(parent.get_children().values_list("slug", flat=True))
        content_type = ContentType.objects.get_for_model(model)
        locale_id = parent.locale_id or Locale.get_default().pk
        for offset, page in enumerate(pages):
            slug = base = page.slug or slugify(page.title)[:70] or "page"
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            page.slug = slug
            page.path = Page._get_path(parent.path, depth, step + offset)
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent.url_path}{slug}/"
            page.content_type_id = content_type.pk
            page.locale_id = locale_id
            page.draft_title = page.title
            page.translation_key = uuid.uuid4()
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        specific_fields = model._meta.local_concrete_fields
        progress = self.progress(label, len(pages))
        for chunk in batched(pages):
            rows = [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in chunk]
            Page.objects.bulk_create(rows)
            if rows[0].pk is None:
                ids = dict(
                    Page.objects.filter(path__in=[r.path for r in rows]).values_list("path", "id")
                )
                for row in rows:
                    row.pk = ids[row.path]
            for page, row in zip(chunk, rows, strict=True):
                page.pk = page.id = page.page_ptr_id = row.pk
            model._base_manager._insert(chunk, fields=specific_fields, raw=True)
            progress.advance(len(chunk))
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))

    def bulk_m2m(self, through, left, right, pairs):
        through.objects.bulk_create(
            [through(**{left: a, right: b}) for a, b in pairs], batch_size=5000
        )

    def published(self, live=True):
        when = self.now - timedelta(
            days=self.rng.randint(1, 1200), minutes=self.rng.randint(0, 999)
        )
        if not live:
            return {"live": False, "has_unpublished_changes": True}
        return {
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": when,
            "last_published_at": when,
            "latest_revision_created_at": when,
        }

    def paragraph(self, count):
        text = " ".join(self.rng.choice(data.SENTENCES) for _ in range(count))
        return [("paragraph", RichText(f"<p>{text}</p>"))]

    def make_organizations(self):
        rng = self.rng
        kinds = [k for k, _ in PartnerPage.Kind.choices]
        weights = [40, 15, 10, 15, 6, 8, 6]
        pages = []
        for _ in range(self.organizations):
            kind = rng.choices(kinds, weights)[0]
            title = (
                f"{rng.choice(data.ORG_PREFIXES[kind])} {rng.choice(data.ORG_WORDS)} "
                f"{rng.choice(data.CITIES)}"
            )
            live = rng.random() > 0.03
            slug = slugify(title)
            pages.append(
                PartnerPage(
                    title=title,
                    kind=kind,
                    summary=rng.choice(data.SENTENCES),
                    description=self.paragraph(4),
                    region_id=rng.choice(self.region_ids),
                    city=rng.choice(data.CITIES),
                    website=f"https://{slug}.example.org",
                    contact_email=f"hello@{slug}.example.org",
                    **self.published(live),
                )
            )
        index = PartnerIndexPage.objects.get(locale=Locale.get_default())
        self.insert_pages(index, pages, "organizations")
        self.org_pages = pages
        self.org_ids = [p.pk for p in pages]
        self.live_org_ids = [p.pk for p in pages if p.live]
        self.bulk_m2m(
            PartnerPage.sectors.through,
            "partnerpage_id",
            "sector_id",
            [(o, s) for o in self.org_ids for s in rng.sample(self.sector_ids, rng.randint(1, 3))],
        )
        self.bulk_m2m(
            PartnerPage.sdgs.through,
            "partnerpage_id",
            "sustainabledevelopmentgoal_id",
            [(o, s) for o in self.org_ids for s in rng.sample(self.sdg_ids, rng.randint(1, 4))],
        )
        for through in (PartnerOfferTag, PartnerSeekTag):
            self.bulk_m2m(
                through,
                "content_object_id",
                "tag_id",
                [
                    (o, t)
                    for o in self.org_ids
                    for t in rng.sample(self.tag_ids, rng.randint(0, 4))
                ],
            )

    def make_memberships(self):
        """Every person in one organization (some in two); the first of each is its admin."""
        rng = self.rng
        people = self.user_ids[:]
        rng.shuffle(people)
        self.admins = {org: [] for org in self.org_ids}
        self.members = {org: [] for org in self.org_ids}
        rows = []
        for index, user_id in enumerate(people):
            org = self.org_ids[index % len(self.org_ids)]
            is_admin = not self.admins[org] or (len(self.admins[org]) < 3 and rng.random() < 0.1)
            (self.admins if is_admin else self.members)[org].append(user_id)
            rows.append((user_id, org, "admin" if is_admin else "member"))
            if rng.random() < 0.1:
                other = rng.choice(self.org_ids)
                if other != org and user_id not in self.members[other]:
                    self.members[other].append(user_id)
                    rows.append((user_id, other, "member"))
        Membership.objects.bulk_create(
            [Membership(user_id=u, organization_id=o, role=r) for u, o, r in rows],
            batch_size=5000,
        )
        for page in self.org_pages:
            page.applicant_id = (self.admins[page.pk] or [None])[0]
        PartnerPage.objects.bulk_update(self.org_pages, ["applicant"], batch_size=1000)

    def make_projects(self):
        rng = self.rng
        statuses = [s for s, _ in ProjectPage.Status.choices]
        weights = [10, 20, 50, 15, 5]
        leads = [org for org in self.live_org_ids if self.admins[org]]
        # A few organizations lead many projects, most lead one or two.
        lead_weights = [1 / (1 + i) ** 0.7 for i in range(len(leads))]
        pages = []
        for i in range(self.projects):
            lead = rng.choices(leads, lead_weights)[0]
            start = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1200))
            status = rng.choices(statuses, weights)[0]
            live = rng.random() > 0.05
            title = f"{rng.choice(data.PROJECT_VERBS)} {rng.choice(data.PROJECT_TARGETS)}"
            if i == 0:
                title, status, live = "Scale chat benchmark", "active", True
            elif i == 1:
                live = False  # at least one draft, whatever the size
            pages.append(
                ProjectPage(
                    title=title,
                    status=status,
                    lead_organization_id=lead,
                    proposer_id=self.admins[lead][0],
                    summary=rng.choice(data.SENTENCES),
                    body=self.paragraph(6),
                    region_id=rng.choice(self.region_ids),
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(90, 900)),
                    **self.published(live),
                )
            )
        pages[0].slug = BENCH_PROJECT_SLUG
        self.insert_pages(
            ProjectIndexPage.objects.get(locale=Locale.get_default()), pages, "projects"
        )
        self.project_pages = pages
        ids = [p.pk for p in pages]
        self.bulk_m2m(
            ProjectPage.sdgs.through,
            "projectpage_id",
            "sustainabledevelopmentgoal_id",
            [(p, s) for p in ids for s in rng.sample(self.sdg_ids, rng.randint(1, 3))],
        )
        self.bulk_m2m(
            ProjectPage.sectors.through,
            "projectpage_id",
            "sector_id",
            [(p, s) for p in ids for s in rng.sample(self.sector_ids, rng.randint(1, 2))],
        )
        self.bulk_m2m(
            ProjectNeedTag,
            "content_object_id",
            "tag_id",
            [(p, t) for p in ids for t in rng.sample(self.tag_ids, rng.randint(0, 4))],
        )

    def make_participations_and_teams(self):
        rng = self.rng
        statuses = ["active", "invited", "requested", "declined", "left"]
        weights = [70, 10, 10, 5, 5]
        participations, team = [], []
        self.teams = {}
        for index, project in enumerate(self.project_pages):
            lead = project.lead_organization_id
            coordinator = self.admins[lead][0]
            participations.append(
                Participation(
                    project_id=project.pk,
                    organization_id=lead,
                    role="lead",
                    status="active",
                    created_by_id=coordinator,
                    decided_at=self.now,
                )
            )
            members = {coordinator: (lead, True)}
            for user_id in rng.sample(self.members[lead], min(2, len(self.members[lead]))):
                members.setdefault(user_id, (lead, False))
            partner_count = 8 if index == 0 else rng.choices(range(6), [15, 25, 25, 15, 12, 8])[0]
            others = rng.sample(self.live_org_ids, min(partner_count + 1, len(self.live_org_ids)))
            for org in [o for o in others if o != lead][:partner_count]:
                status = "active" if index == 0 else rng.choices(statuses, weights)[0]
                participations.append(
                    Participation(
                        project_id=project.pk,
                        organization_id=org,
                        role="partner",
                        status=status,
                        created_by_id=coordinator,
                        decided_at=None if status in ("invited", "requested") else self.now,
                    )
                )
                if status == "active":
                    people = self.admins[org][:1] + self.members[org]
                    for user_id in rng.sample(people, min(rng.randint(1, 3), len(people))):
                        members.setdefault(user_id, (org, False))
            self.teams[project.pk] = members
            team.extend(
                TeamMembership(
                    project_id=project.pk,
                    user_id=user_id,
                    organization_id=org,
                    is_coordinator=is_coordinator,
                    added_by_id=coordinator,
                )
                for user_id, (org, is_coordinator) in members.items()
            )
        Participation.objects.bulk_create(participations, batch_size=5000)
        TeamMembership.objects.bulk_create(team, batch_size=5000)

    # --- guardian ---------------------------------------------------------------------------
    def make_permissions(self):
        """Groups, group grants and group membership exactly as the permissions modules make."""
        partner_ct = ContentType.objects.get_for_model(PartnerPage)
        project_ct = ContentType.objects.get_for_model(ProjectPage)
        perm_ids = {
            (p.content_type_id, p.codename): p.pk
            for p in Permission.objects.filter(content_type__in=[partner_ct, project_ct])
        }
        admin, member = Membership.Role.ADMIN, Membership.Role.MEMBER
        specs = []  # (group name, "partner" or "project", object id, codenames, user ids)
        for org in self.org_ids:
            for role, perms, people in (
                (admin, partner_permissions.ADMIN_PERMS, self.admins[org]),
                (member, partner_permissions.MEMBER_PERMS, self.members[org]),
            ):
                specs.append(
                    (partner_permissions.group_name(org, role), "partner", org, perms, people)
                )
        for project_id, members in self.teams.items():
            everyone = list(members)
            coordinators = [u for u, (_, is_coordinator) in members.items() if is_coordinator]
            for role, perms, people in (
                ("team", project_permissions.TEAM_PERMS, everyone),
                ("coordinators", project_permissions.COORDINATOR_PERMS, coordinators),
            ):
                specs.append(
                    (
                        project_permissions.group_name(project_id, role),
                        "project",
                        project_id,
                        perms,
                        people,
                    )
                )
        groups = [Group(name=spec[0]) for spec in specs]
        progress = self.progress("groups", len(groups))
        for chunk in batched(groups, 5000):
            Group.objects.bulk_create(chunk)
            progress.advance(len(chunk))
        if groups and groups[0].pk is None:
            ids = dict(
                Group.objects.filter(name__in=[g.name for g in groups]).values_list("name", "id")
            )
            for group in groups:
                group.pk = ids[group.name]
        partner_grants, project_grants, user_groups = [], [], []
        UserGroup = get_user_model().groups.through
        for group, (_, kind, object_id, perms, people) in zip(groups, specs, strict=True):
            if kind == "partner":
                partner_grants.extend(
                    PartnerPageGroupObjectPermission(
                        group_id=group.pk,
                        permission_id=perm_ids[(partner_ct.pk, codename)],
                        content_object_id=object_id,
                    )
                    for codename in perms
                )
            else:
                project_grants.extend(
                    ProjectPageGroupObjectPermission(
                        group_id=group.pk,
                        permission_id=perm_ids[(project_ct.pk, codename)],
                        content_object_id=object_id,
                    )
                    for codename in perms
                )
            user_groups.extend(UserGroup(user_id=u, group_id=group.pk) for u in people)
        PartnerPageGroupObjectPermission.objects.bulk_create(partner_grants, batch_size=5000)
        ProjectPageGroupObjectPermission.objects.bulk_create(project_grants, batch_size=5000)
        progress = self.progress("group members", len(user_groups))
        for chunk in batched(user_groups, 10_000):
            UserGroup.objects.bulk_create(chunk)
            progress.advance(len(chunk))

    # --- chat -------------------------------------------------------------------------------
    def make_chat(self):
        rng = self.rng
        rooms = [
            p
            for p in self.project_pages
            if p.live and p.status in ("forming", "active", "completed")
        ]
        bench = self.project_pages[0]
        big = min(self.big_room, self.messages)
        others = [p for p in rooms if p.pk != bench.pk]
        counts = {bench.pk: big}
        rest = self.messages - big
        if others and rest > 0:
            weights = [rng.paretovariate(1.2) for _ in others]
            total = sum(weights)
            shares = [int(rest * w / total) for w in weights]
            shares[0] += rest - sum(shares)
            counts.update({p.pk: n for p, n in zip(others, shares, strict=True) if n})
        ChatRoom.objects.bulk_create(
            [ChatRoom(project_id=p.pk, last_seq=counts.get(p.pk, 0)) for p in [bench, *others]],
            batch_size=5000,
        )
        self.chat_counts = counts
        bodies = data.SENTENCES
        start = self.now - timedelta(days=365)

        def rows():
            for project_id, count in counts.items():
                authors = list(self.teams[project_id])
                step = timedelta(seconds=max(1, int(365 * 86400 / max(count, 1))))
                when = start
                for seq in range(1, count + 1):
                    when += step
                    yield (
                        project_id,
                        seq,
                        rng.choice(authors),
                        rng.choice(bodies),
                        f"seed-{seq}",
                        [],
                        when,
                    )

        progress = self.progress("messages", self.messages)
        insert_rows(
            Message,
            ["project", "seq", "author", "body", "client_id", "mentions", "created_at"],
            rows(),
            progress,
        )
        markers = []
        for project_id, count in counts.items():
            for user_id in self.teams[project_id]:
                seen = count if rng.random() < 0.6 else rng.randint(0, count)
                markers.append(ReadMarker(project_id=project_id, user_id=user_id, seq=seen))
        ReadMarker.objects.bulk_create(markers, batch_size=5000)

    # --- search -----------------------------------------------------------------------------
    def make_search_index(self):
        from wagtail.search.backends import get_search_backends

        for model, ids in (
            (PartnerPage, self.org_ids),
            (ProjectPage, [p.pk for p in self.project_pages]),
        ):
            progress = self.progress(f"index {model._meta.model_name}", len(ids))
            for chunk in batched(ids, 1000):
                objs = list(model.objects.filter(pk__in=chunk))
                for backend in get_search_backends():
                    backend.add_bulk(model, objs)
                progress.advance(len(chunk))
