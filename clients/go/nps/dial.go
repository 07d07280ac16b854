package nps

import (
	"context"
	"errors"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/resolver"
)

// APIKey is credentials.PerRPCCredentials that send an API key of the server's configuration
// (Authentication:ApiKeys) as "authorization: Bearer <key>" on every call:
//
//	grpc.Dial(addr, grpc.WithTransportCredentials(tlsCreds), grpc.WithPerRPCCredentials(nps.APIKey(key)))
//
// It requires a TLS connection: gRPC refuses to send it in plaintext.
type APIKey string

// GetRequestMetadata returns the authorization header.
func (k APIKey) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(k)}, nil
}

// RequireTransportSecurity is true: a key sent in plaintext is a key given away.
func (APIKey) RequireTransportSecurity() bool { return true }

// RoundRobin is the service config that spreads calls over every address that is up; Dial uses it for
// several addresses. Give it to grpc.WithDefaultServiceConfig for a "dns:///" target whose name has one
// record per server instance.
const RoundRobin = `{"loadBalancingConfig":[{"round_robin":{}}]}`

// Dial connects to the server at one address, or to several instances of it (host:port each). With
// several, the connection keeps a subconnection to each and balances calls round-robin over those that
// are up, so a Writer whose instance fails opens its next stream on another one. opts are those of
// grpc.Dial, which needs transport credentials (grpc.WithInsecure() for plaintext HTTP/2, or TLS), and may
// override the balancing, e.g. grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"pick_first":{}}]}`)
// to use the addresses in order.
func Dial(addresses []string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	switch len(addresses) {
	case 0:
		return nil, errors.New("nps: Dial needs at least one address")
	case 1:
		return grpc.Dial(addresses[0], opts...)
	}
	state := resolver.State{}
	for _, a := range addresses {
		host, _, err := net.SplitHostPort(a)
		if err != nil {
			return nil, err
		}
		// ServerName: each instance's TLS certificate is checked against its own host, not the target's.
		state.Addresses = append(state.Addresses, resolver.Address{Addr: a, ServerName: host})
	}
	all := append([]grpc.DialOption{grpc.WithResolvers(staticResolver{state}), grpc.WithDefaultServiceConfig(RoundRobin)}, opts...)
	return grpc.Dial(staticScheme+":///nps", all...)
}

// staticScheme is only known to connections dialed with staticResolver (grpc.WithResolvers).
const staticScheme = "nps-static"

// staticResolver resolves to a fixed list of addresses.
type staticResolver struct{ state resolver.State }

func (r staticResolver) Build(_ resolver.Target, cc resolver.ClientConn, _ resolver.BuildOptions) (resolver.Resolver, error) {
	cc.UpdateState(r.state)
	return r, nil
}

func (staticResolver) Scheme() string                        { return staticScheme }
func (staticResolver) ResolveNow(resolver.ResolveNowOptions) {}
func (staticResolver) Close()                                {}
