// Package tcpproxy is a loopback TCP proxy for the SDK's tests: it forwards connections to a live server and
// can swallow what the server sends (acknowledgements, deliveries) and abruptly reset every connection, to drop a
// client's connection in the middle of a stream.
package tcpproxy

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// link is one forwarded connection: the client's side and the server's side.
type link struct{ client, server net.Conn }

func (l *link) reset() {
	for _, c := range []net.Conn{l.client, l.server} {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST, like a crashed peer or a broken network
		}
		_ = c.Close()
	}
}

// Proxy forwards 127.0.0.1:<port> to an upstream address.
type Proxy struct {
	ln       net.Listener
	upstream string

	sent      int64 // bytes forwarded from clients to the server (atomic)
	swallowed int64 // bytes of the server dropped while holding (atomic)
	holding   int32 // 1 while the server's bytes are dropped (atomic)

	mu       sync.Mutex
	conns    map[*link]struct{}
	accepted int
	wg       sync.WaitGroup
}

// Start listens on a free loopback port and forwards to upstream until the test ends.
func Start(t testing.TB, upstream string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{ln: ln, upstream: upstream, conns: map[*link]struct{}{}}
	p.wg.Add(1)
	go p.acceptLoop()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Sent is how many bytes the proxy has forwarded from its clients to the server.
func (p *Proxy) Sent() int64 { return atomic.LoadInt64(&p.sent) }

// Swallowed is how many bytes of the server the proxy dropped while holding.
func (p *Proxy) Swallowed() int64 { return atomic.LoadInt64(&p.swallowed) }

// Accepted is how many client connections the proxy has taken.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// HoldServerBytes drops, from now until the next CutAll, what the server sends on every connection: the
// client's requests reach the server but the answers never come back.
func (p *Proxy) HoldServerBytes() { atomic.StoreInt32(&p.holding, 1) }

// CutAll resets every open connection (both the client and the server side), stops holding, and says how many
// client connections it cut.
func (p *Proxy) CutAll() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.conns)
	for l := range p.conns {
		l.reset()
		delete(p.conns, l)
	}
	atomic.StoreInt32(&p.holding, 0)
	return n
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.upstream)
		if err != nil {
			_ = client.Close()
			continue
		}
		l := &link{client: client, server: server}
		p.mu.Lock()
		p.accepted++
		p.conns[l] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(l, countingConn{server, &p.sent}, client)
		go p.pipe(l, holdingConn{client, p}, server)
	}
}

// countingConn counts the bytes written to it into n.
type countingConn struct {
	net.Conn
	n *int64
}

func (c countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	atomic.AddInt64(c.n, int64(n))
	return n, err
}

// holdingConn drops what is written to it while its proxy holds the server's bytes.
type holdingConn struct {
	net.Conn
	p *Proxy
}

func (c holdingConn) Write(b []byte) (int, error) {
	if atomic.LoadInt32(&c.p.holding) == 1 {
		atomic.AddInt64(&c.p.swallowed, int64(len(b)))
		return len(b), nil
	}
	return c.Conn.Write(b)
}

func (p *Proxy) pipe(l *link, dst io.Writer, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	// One direction ended: end both, as a real broken connection does.
	p.mu.Lock()
	delete(p.conns, l)
	p.mu.Unlock()
	_ = l.client.Close()
	_ = l.server.Close()
}

// Close stops listening and resets every connection, as a killed instance does; the test's end calls it too.
func (p *Proxy) Close() {
	_ = p.ln.Close()
	p.CutAll()
	p.wg.Wait()
}
