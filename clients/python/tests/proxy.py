"""A small TCP proxy for the dropped-connection test: forwards 127.0.0.1:<port> to an upstream address and
can hold the server's bytes (so acknowledgements are lost) and abruptly reset every open connection."""

from __future__ import annotations

import socket
import struct
import threading
from typing import List, Tuple


class _Connection:
    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.held = False
        self.reset = False


class TcpProxy:
    def __init__(self, upstream: str) -> None:
        host, port = upstream.rsplit(":", 1)
        self._upstream: Tuple[str, int] = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._connections: List[_Connection] = []
        self.accepted = 0
        self.resets = 0
        self.forwarded = 0
        """Bytes forwarded from clients to the server."""
        self.swallowed = 0
        """Bytes of the server dropped while held (see hold_server_bytes)."""
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def hold_server_bytes(self) -> None:
        """From now on, bytes the server sends on the open connections are read and dropped, not forwarded:
        the client's batches reach the server but their acknowledgements never come back."""
        with self._lock:
            for connection in self._connections:
                connection.held = True

    def reset_all(self) -> int:
        """Abruptly closes (TCP RST) every open connection, both sides. Returns how many were open."""
        with self._lock:
            connections, self._connections = self._connections, []
            self.resets += len(connections)
        for connection in connections:
            connection.reset = True
            for sock in (connection.client, connection.upstream):
                _reset(sock)
        return len(connections)

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # close() alone does not wake a blocked accept()
        except OSError:
            pass
        self._listener.close()
        self.reset_all()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._upstream)
            except OSError:
                _reset(client)
                continue
            connection = _Connection(client, upstream)
            with self._lock:
                self.accepted += 1
                self._connections.append(connection)
            threading.Thread(target=self._pump, args=(connection, client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(connection, upstream, client, True), daemon=True).start()

    def _pump(self, connection: _Connection, source: socket.socket, target: socket.socket, from_server: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_server and connection.held:
                    with self._lock:
                        self.swallowed += len(data)
                    continue
                target.sendall(data)
                if not from_server:
                    with self._lock:
                        self.forwarded += len(data)
        except OSError:
            pass
        finally:
            if connection.reset:
                return  # reset_all owns these sockets: a shutdown here would send FIN before the RST
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _reset(sock: socket.socket) -> None:
    # SO_LINGER with a zero timeout makes the last close send RST: the peer sees "connection reset", not a FIN.
    # close() alone neither wakes a pump thread blocked in recv() on this socket nor releases the socket while
    # that recv() holds it, so no RST would go out; SHUT_RD wakes the recv() without sending anything.
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
