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
  private final AtomicLong swallowed = new AtomicLong();
  private volatile boolean holding;
  private volatile boolean closed;
  private final Object registering = new Object();

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

  /** Drops, until the next {@link #cutAll}, what the server sends: requests get through, answers never come back. */
  void holdServerBytes() {
    holding = true;
  }

  /** Bytes of the server dropped while holding. */
  long swallowed() {
    return swallowed.get();
  }

  /** Resets every open connection, both the client's and the upstream one (RST, not a clean FIN); stops holding. */
  int cutAll() {
    holding = false;
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
    synchronized (registering) {
      closed = true;
    }
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
      // A connection accepted while close() ran (its upstream connect can take a while on a loaded machine) would
      // miss close()'s cut and outlive the proxy: registering and closing exclude each other, and a late one is closed.
      synchronized (registering) {
        if (closed) {
          closeQuietly(client);
          closeQuietly(upstream);
          return;
        }
        sockets.add(client);
        sockets.add(upstream);
      }
      pump(client, upstream, forwardedClientBytes, false);
      pump(upstream, client, new AtomicLong(), true);
    }
  }

  private void pump(Socket from, Socket to, AtomicLong forwarded, boolean fromServer) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (fromServer && holding) {
            swallowed.addAndGet(n);
            continue;
          }
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
