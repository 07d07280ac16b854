package nps_test

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// cutProxy forwards TCP connections to a live server and can abruptly reset all of them, to drop the
// writer's connection in the middle of a stream.
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

type cutProxy struct {
	ln       net.Listener
	upstream string

	sent int64 // bytes forwarded from clients to the server (atomic)

	mu       sync.Mutex
	conns    map[*link]struct{}
	accepted int
	wg       sync.WaitGroup
}

// Sent is how many bytes the proxy has forwarded from its clients to the server.
func (p *cutProxy) Sent() int64 { return atomic.LoadInt64(&p.sent) }

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

func startCutProxy(t *testing.T, upstream string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &cutProxy{ln: ln, upstream: upstream, conns: map[*link]struct{}{}}
	p.wg.Add(1)
	go p.acceptLoop()
	t.Cleanup(p.close)
	return p
}

func (p *cutProxy) Addr() string { return p.ln.Addr().String() }

// Accepted is how many client connections the proxy has taken.
func (p *cutProxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// CutAll resets every open connection (both the client and the server side) and says how many client
// connections it cut.
func (p *cutProxy) CutAll() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.conns)
	for l := range p.conns {
		l.reset()
		delete(p.conns, l)
	}
	return n
}

func (p *cutProxy) acceptLoop() {
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
		go p.pipe(l, client, server)
	}
}

func (p *cutProxy) pipe(l *link, dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	// One direction ended: end both, as a real broken connection does.
	p.mu.Lock()
	delete(p.conns, l)
	p.mu.Unlock()
	_ = l.client.Close()
	_ = l.server.Close()
}

func (p *cutProxy) close() {
	_ = p.ln.Close()
	p.CutAll()
	p.wg.Wait()
}
