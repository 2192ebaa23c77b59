"""Who of a project's team has the chat open, across every server process.

Each open socket is an entry ``<user id>|<connection id>`` with an expiry time. Each server
process refreshes the entries of all its sockets in a project with one call every
``CHAT_PRESENCE_HEARTBEAT_SECONDS``; an entry not refreshed within
``CHAT_PRESENCE_TTL_SECONDS`` is dropped, so a person whose last socket died with a killed
process stops being "online" without anyone saying goodbye for them.

Every call prunes, applies its change and compares the set of online user ids with the set
last announced (kept beside the entries). Exactly one caller sees ``changed=True`` for each
change and broadcasts the new presence, so a change is announced once, not by every socket.

With ``REDIS_URL`` this runs as one Lua script per call (atomic across processes); without it,
in this process's memory (one process serves every socket then).
"""

import json
import time
import weakref

from django.conf import settings

from . import redis_clients

# KEYS: entries (zset), users (hash), last announced (string)
# ARGV: now, op, expires, key ttl, then (member, user id, user json) for each socket
_SCRIPT = """
local now = tonumber(ARGV[1])
local op = ARGV[2]
local expires = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 5, #ARGV, 3 do
  if op == 'join' or op == 'beat' then
    redis.call('ZADD', KEYS[1], expires, ARGV[i])
    redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
  elseif op == 'leave' then
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
local seen = {}
local ids = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local uid = string.match(member, '^(%d+)|')
  if uid and not seen[uid] then
    seen[uid] = true
    table.insert(ids, tonumber(uid))
  end
end
table.sort(ids)
local signature = table.concat(ids, ',')
local changed = 0
if redis.call('GET', KEYS[3]) ~= signature then
  changed = 1
end
local ttl = tonumber(ARGV[4])
redis.call('SET', KEYS[3], signature, 'EX', ttl)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
if op == 'leave' or op == 'beat' then
  return {changed, ''}
end
local users = {}
for _, uid in ipairs(ids) do
  local user = redis.call('HGET', KEYS[2], tostring(uid))
  if user then
    table.insert(users, user)
  end
end
return {changed, '[' .. table.concat(users, ',') .. ']'}
"""

_KEY_TTL = 24 * 3600

# In-memory backend: project id -> {member: (expires, user id)}, users, last signature.
_entries = {}
_users = {}
_last = {}
_scripts = weakref.WeakKeyDictionary()


def heartbeat_seconds():
    return float(settings.CHAT_PRESENCE_HEARTBEAT_SECONDS)


def ttl_seconds():
    return float(settings.CHAT_PRESENCE_TTL_SECONDS)


def _keys(project_id):
    base = f"chat:presence:{int(project_id)}"
    return [base, f"{base}:users", f"{base}:last"]


def _member(user_id, connection_id):
    return f"{int(user_id)}|{connection_id}"


def _memory_apply(project_id, op, sockets, expires):
    now = time.time()
    entries = _entries.setdefault(project_id, {})
    users = _users.setdefault(project_id, {})
    for key, (until, _uid) in list(entries.items()):
        if until <= now:
            del entries[key]
    for user, connection_id in sockets:
        member = _member(user["id"], connection_id)
        if op in ("join", "beat"):
            entries[member] = (expires, user["id"])
            users[user["id"]] = user
        elif op == "leave":
            entries.pop(member, None)
    ids = sorted({uid for _until, uid in entries.values()})
    changed = _last.get(project_id) != ids
    _last[project_id] = ids
    if op in ("leave", "beat"):
        return changed, []
    return changed, [users[uid] for uid in ids if uid in users]


async def _apply(project_id, op, sockets, as_text=False):
    """Apply ``op`` to ``sockets`` ((user dict, connection id) pairs) in one call; the online
    list comes back as a list, or with ``as_text`` as the JSON array text it is kept as (to go
    into a frame as it is, without decoding and encoding each person)."""
    expires = time.time() + ttl_seconds()
    if not redis_clients.enabled():
        changed, online = _memory_apply(project_id, op, sockets, expires)
        return changed, (json.dumps(online) if as_text else online)
    client = redis_clients.async_client()
    script = _scripts.get(client)
    if script is None:
        script = _scripts[client] = client.register_script(_SCRIPT)
    args = [time.time(), op, expires, _KEY_TTL]
    for user, connection_id in sockets:
        args += [_member(user["id"], connection_id), user["id"], json.dumps(user)]
    # The online list comes back as one JSON array (read in C), not one reply per person;
    # a leave or a heartbeat needs only whether the set changed.
    changed, raw_users = await script(keys=_keys(project_id), args=args)
    raw_users = raw_users.decode() if isinstance(raw_users, bytes) else raw_users
    if as_text:
        return bool(changed), raw_users or "[]"
    return bool(changed), json.loads(raw_users) if raw_users else []


async def join(project_id, user, connection_id, as_text=False):
    """Mark one socket of ``user`` (a user dict) online; returns (changed, online users)."""
    return await _apply(project_id, "join", [(user, connection_id)], as_text)


async def beat(project_id, user, connection_id):
    """Refresh a socket's entry and drop expired ones; returns (changed, [])."""
    return await _apply(project_id, "beat", [(user, connection_id)])


async def beat_many(project_id, sockets):
    """Refresh the entries of all of this process's ``sockets`` in a project at once;
    returns (changed, [])."""
    return await _apply(project_id, "beat", sockets)


async def leave(project_id, user, connection_id, as_text=False):
    """Remove a socket's entry; returns (changed, [])."""
    return await _apply(project_id, "leave", [(user, connection_id)], as_text)


async def current(project_id, as_text=False):
    """Drop expired entries; returns (changed, online users) without changing any entry."""
    return await _apply(project_id, "read", [], as_text)


def online_user_ids_sync(project_id):
    """Ids of the people online in a project's chat, from synchronous code (e-mail or not)."""
    now = time.time()
    if not redis_clients.enabled():
        return {uid for until, uid in _entries.get(project_id, {}).values() if until > now}
    members = redis_clients.sync_client().zrangebyscore(_keys(project_id)[0], now, "+inf")
    return {int(member.split(b"|", 1)[0]) for member in members}
