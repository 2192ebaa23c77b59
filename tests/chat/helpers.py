"""Talking to the chat consumer through the real ASGI application, as a browser would."""

import uuid

from channels.testing import WebsocketCommunicator

from cluster.asgi import application

ORIGIN = b"http://testserver"
HOST = b"testserver"


def ws_path(project_id):
    return f"/ws/projects/{project_id}/chat/"


async def open_socket(project_id, cookie=None, origin=ORIGIN, host=HOST, extra_headers=()):
    """A socket opened as a browser on http://testserver would (Host and Origin headers)."""
    headers = [(b"host", host)] if host else []
    if origin:
        headers.append((b"origin", origin))
    headers.extend(extra_headers)
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, ws_path(project_id), headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    return communicator, connected


async def join(project_id, cookie):
    """Connect and return (communicator, hello frame)."""
    communicator, connected = await open_socket(project_id, cookie)
    assert connected
    hello = await communicator.receive_json_from(timeout=10)
    assert hello["type"] == "hello", hello
    return communicator, hello


async def close_code(communicator, timeout=10):
    """Skip frames until the server closes; return its close code."""
    while True:
        output = await communicator.receive_output(timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


async def next_of(communicator, type_, timeout=10):
    """The next frame of ``type_``, skipping others (presence, typing)."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == type_:
            return frame


async def send(communicator, body, client_id=None):
    client_id = client_id or uuid.uuid4().hex
    await communicator.send_json_to({"type": "message.send", "body": body, "client_id": client_id})
    return client_id
