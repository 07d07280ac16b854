package io.npsgrpc.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A TCP forwarder whose connections can all be cut at once, to drop a gRPC stream mid-flight. */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong forwardedClientBytes = new AtomicLong();
  private volatile boolean closed;

  TcpProxy(String upstreamAddress) throws IOException {
    int colon = upstreamAddress.lastIndexOf(':');
    upstreamHost = upstreamAddress.substring(0, colon);
    upstreamPort = Integer.parseInt(upstreamAddress.substring(colon + 1));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  int acceptedConnections() {
    return accepted.get();
  }

  /** Bytes forwarded from clients to the upstream server. */
  long forwardedClientBytes() {
    return forwardedClientBytes.get();
  }

  /** Resets every open connection, both the client's and the upstream one (RST, not a clean FIN). */
  int cutAll() {
    int cut = 0;
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // already closed
      }
      closeQuietly(socket);
      cut++;
    }
    sockets.clear();
    return cut;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    cutAll();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      Socket upstream;
      try {
        upstream = new Socket();
        upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5000);
      } catch (IOException e) {
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      pump(client, upstream, forwardedClientBytes);
      pump(upstream, client, new AtomicLong());
    }
  }

  private void pump(Socket from, Socket to, AtomicLong forwarded) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
          forwarded.addAndGet(n);
        }
      } catch (IOException ignored) {
        // cut or closed by either side
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing to do
    }
  }
}
