"""The floor: the least machinery that does the chat's job, as a baseline for ``bench.chat``.

    python -m bench.floor --port 8765      # DATABASE_URL (PostgreSQL) and REDIS_URL from env

Plain asyncio websockets (the ``websockets`` library), **one PostgreSQL INSERT** per message
(autocommit, a few pooled connections) and **Redis pub/sub** (one PUBLISH per message; each
process subscribes once per room and writes the frame, encoded once, to its local sockets with
``websockets.broadcast``). It speaks just enough of the chat protocol for the load generator:
``hello`` on connect, ``message.send`` answered by ``message.new`` to the whole room (the
sender included). No authentication (the user id comes in the query string), no permissions,
no presence, no rate limit, no validation beyond JSON: whatever the portal costs above this
is the price of what it does on top.
"""

import argparse
import asyncio
import json
import os
from urllib.parse import parse_qs, urlsplit

TABLE = "bench_floor_message"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    room integer NOT NULL,
    author integer NOT NULL,
    body text NOT NULL,
    client_id varchar(64) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""
INSERT = (
    f"INSERT INTO {TABLE} (room, author, body, client_id) VALUES (%s, %s, %s, %s) RETURNING id"
)


async def serve_floor(port, database_url, redis_url, db_connections=4):
    import psycopg
    import redis.asyncio
    from websockets.asyncio.server import broadcast, serve

    pool = asyncio.Queue()
    for _ in range(db_connections):
        pool.put_nowait(await psycopg.AsyncConnection.connect(database_url, autocommit=True))
    publisher = redis.asyncio.Redis.from_url(redis_url)
    pubsub = publisher.pubsub()
    prefix = f"floor.{port}."
    await pubsub.subscribe(prefix + "ready")
    rooms = {}

    async def fan_out():
        async for item in pubsub.listen():
            if item["type"] != "message":
                continue
            room = int(item["channel"].rsplit(b".", 1)[1])
            broadcast(rooms.get(room, ()), item["data"].decode())

    async def handler(socket):
        parts = urlsplit(socket.request.path)
        room = int(parts.path.strip("/").split("/")[2])
        user = int(parse_qs(parts.query).get("user", ["0"])[0])
        if room not in rooms:
            rooms[room] = set()
            await pubsub.subscribe(f"{prefix}{room}")
        rooms[room].add(socket)
        try:
            await socket.send(
                json.dumps(
                    {
                        "type": "hello",
                        "project": {"id": room},
                        "user": {"id": user},
                        "last_seq": 0,
                        "read_seq": 0,
                        "online": [],
                        "messages": [],
                    }
                )
            )
            async for raw in socket:
                frame = json.loads(raw)
                if frame.get("type") != "message.send":
                    continue
                connection = await pool.get()
                try:
                    cursor = await connection.execute(
                        INSERT, [room, user, frame["body"], frame["client_id"]]
                    )
                    (row_id,) = await cursor.fetchone()
                finally:
                    pool.put_nowait(connection)
                message = {
                    "id": row_id,
                    "seq": row_id,
                    "author": {"id": user},
                    "body": frame["body"],
                    "client_id": frame["client_id"],
                }
                await publisher.publish(
                    f"{prefix}{room}",
                    json.dumps({"type": "message.new", "message": message}, separators=(",", ":")),
                )
        finally:
            rooms[room].discard(socket)

    listener = asyncio.ensure_future(fan_out())
    async with serve(handler, "127.0.0.1", port, ping_interval=None, max_size=16 * 1024) as server:
        print(f"floor listening on {port}", flush=True)
        await server.serve_forever()
    listener.cancel()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve_floor(args.port, os.environ["DATABASE_URL"], os.environ["REDIS_URL"]))


if __name__ == "__main__":
    main()
