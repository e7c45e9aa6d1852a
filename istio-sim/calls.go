package sim

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
)

const (
	byIstio    = "istio-simulation"
	byCasebook = "casebook-inference"
)

// runCall follows one probe's call hop by hop. The client sidecar's decision and the server
// sidecar's decision are Istio's simulation; how the call gets from one to the other (DNS, the
// cluster's endpoints and TLS, iptables capture) is our reading of the generated config, and each
// hop says which it is.
func runCall(t *testing.T, s *xds.FakeDiscoveryServer, w *World, proxies map[string]*proxyState, c CallRequest, in *Input) CallOut {
	out := CallOut{Probe: c.Probe, Call: c}
	from := proxies[c.Proxy]
	if from == nil {
		out.Hops = append(out.Hops, Hop{Proxy: c.Proxy, Error: "no such proxy in this phase", ComputedBy: byCasebook})
		return out
	}
	if from.kind == "gateway" {
		// A request from outside the cluster reaches the gateway's pod port (Service 443 -> 8443).
		port := gatewayTargetPort(w, c.Port)
		call := simulation.Call{
			Address: from.pod.Status.PodIP, Port: port, Protocol: simulation.Protocol(c.Protocol), TLS: simulation.TLSMode(c.TLS),
			HostHeader: hostHeader(c), Sni: c.Sni, Path: c.Path, CallMode: simulation.CallModeGateway,
		}
		out.Address = fmt.Sprintf("%s:%d (Service port %d)", from.pod.Status.PodIP, port, c.Port)
		out.Resolve = "ingress"
		out.Captured = true
		out.Hops = append(out.Hops, simulate(t, s, from, call, "gateway"))
		return out
	}

	addr, how := resolve(w, from, c.Host, in)
	out.Resolve = how
	if addr == "" {
		out.Hops = append(out.Hops, Hop{Proxy: from.name, Direction: "dns", Error: "name does not resolve: " + c.Host, ComputedBy: byCasebook,
			Note: "no Kubernetes Service, no ServiceEntry address the pod's DNS (or Istio's DNS proxy) would answer"})
		return out
	}
	out.Address = net.JoinHostPort(addr, strconv.Itoa(c.Port))
	if c.Bypass || !w.Injected[key(from.pod)] {
		out.Hops = append(out.Hops, Hop{Proxy: from.name, Direction: "outbound", ComputedBy: byCasebook,
			Note: "not captured: the client runs as istio-proxy's uid 1337 or has no sidecar, so iptables lets the connection out directly"})
		out.Captured = false
		ip, port := addr, c.Port
		if podIP, podPort, ok := kubeProxy(w, addr, c.Port); ok {
			// Without a sidecar on the way, kube-proxy's DNAT picks the Service's endpoint.
			out.Hops = append(out.Hops, Hop{Proxy: from.name, Direction: "outbound", ComputedBy: byCasebook,
				Note: fmt.Sprintf("kube-proxy sends ClusterIP %s:%d to endpoint %s:%d", addr, c.Port, podIP, podPort)})
			ip, port = podIP, podPort
		}
		out.Hops = append(out.Hops, inboundHop(t, s, w, proxies, ip, port, c, "none")...)
		return out
	}
	out.Captured = true
	call := simulation.Call{
		Address: addr, Port: c.Port, Protocol: simulation.Protocol(c.Protocol), TLS: simulation.TLSMode(c.TLS),
		HostHeader: hostHeader(c), Sni: c.Sni, Path: c.Path, CallMode: simulation.CallModeOutbound,
	}
	hop := simulate(t, s, from, call, "outbound")
	out.Hops = append(out.Hops, hop)
	if hop.Error != "" || hop.ClusterInfo == nil {
		return out
	}
	ci := hop.ClusterInfo
	if ci.Type == "STRICT_DNS" || ci.Type == "LOGICAL_DNS" {
		// Envoy resolves a DNS cluster's host names itself, through the cluster's DNS.
		var resolved []string
		for _, ep := range ci.Endpoints {
			h, p, _ := net.SplitHostPort(ep)
			if ip, how := resolve(w, from, h, in); ip != "" && how != "istio-dns-proxy" {
				resolved = append(resolved, net.JoinHostPort(ip, p))
			} else {
				ci.Unresolved = append(ci.Unresolved, h)
			}
		}
		if len(resolved) == 0 {
			out.Hops = append(out.Hops, Hop{Proxy: from.name, Direction: "outbound", Cluster: ci.Name, ComputedBy: byCasebook,
				Error: "no healthy upstream",
				Note:  fmt.Sprintf("DNS cluster %s: %s resolve(s) to nothing in the cluster's DNS, so Envoy has no endpoint and closes the connection", ci.Name, strings.Join(ci.Unresolved, ", "))})
			return out
		}
		ci.Endpoints = resolved
	}
	if ci.Type == "EDS" && len(ci.Endpoints) == 0 {
		// istiod pushed no endpoint for the cluster (e.g. a subset whose labels select no pod):
		// Envoy's router answers 503 "no healthy upstream" (flag UH) without connecting.
		out.Hops = append(out.Hops, Hop{Proxy: from.name, Direction: "outbound", Cluster: ci.Name, ComputedBy: byCasebook,
			Error: "no healthy upstream", Note: fmt.Sprintf("EDS cluster %s has no endpoint", ci.Name)})
		return out
	}
	// Where the cluster sends it: an endpoint that is a meshed pod gets an inbound hop.
	for _, ep := range ci.Endpoints {
		host, portStr, _ := net.SplitHostPort(ep)
		port, _ := strconv.Atoi(portStr)
		out.Hops = append(out.Hops, inboundHop(t, s, w, proxies, host, port, c, ci.TLS)...)
		return out
	}
	if ci.Type == "ORIGINAL_DST" {
		out.Hops = append(out.Hops, inboundHop(t, s, w, proxies, addr, c.Port, c, ci.TLS)...)
	}
	return out
}

// kubeProxy is what kube-proxy does to a connection no sidecar handled: a Service's ClusterIP and
// port become one of its endpoints (the first ready pod the Service selects) and its target port.
func kubeProxy(w *World, ip string, port int) (string, int, bool) {
	for _, svc := range w.Services {
		if svc.Spec.ClusterIP != ip || len(svc.Spec.Selector) == 0 {
			continue
		}
		for _, sp := range svc.Spec.Ports {
			if int(sp.Port) != port {
				continue
			}
			var pods []*corev1.Pod
			for _, p := range w.Pods {
				if p.Namespace == svc.Namespace && selects(svc.Spec.Selector, p.Labels) {
					pods = append(pods, p)
				}
			}
			if len(pods) == 0 {
				return "", 0, false
			}
			sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
			return pods[0].Status.PodIP, int(resolveTargetPort(sp, pods)), true
		}
	}
	return "", 0, false
}

// key is "<namespace>/<workload>", the World's index of pods, injection and proxies.
func key(p *corev1.Pod) string { return p.Namespace + "/" + workloadOf(p) }

// workloadOf undoes the pod name the World gives a workload's single pod (<workload>-casebook-0).
func workloadOf(p *corev1.Pod) string { return strings.TrimSuffix(p.Name, podSuffix) }

func hostHeader(c CallRequest) string {
	if c.HostHeader != "" {
		return c.HostHeader
	}
	return c.Host
}

func simulate(t *testing.T, s *xds.FakeDiscoveryServer, ps *proxyState, call simulation.Call, direction string) Hop {
	var r simulation.Result
	t.Run(fmt.Sprintf("%s-%s-%d", ps.name, direction, call.Port), func(st *testing.T) {
		sim := simulation.NewSimulation(st, s, ps.proxy)
		r = sim.Run(call)
	})
	hop := Hop{
		Proxy: ps.name, Direction: direction, Listener: r.ListenerMatched, FilterChain: r.FilterChainMatched,
		RouteConfig: r.RouteConfigMatched, VirtualHost: r.VirtualHostMatched, Route: r.RouteMatched, Cluster: r.ClusterMatched,
		ComputedBy: byIstio,
	}
	if r.Error != nil {
		hop.Error = r.Error.Error()
	}
	if hop.Cluster != "" {
		hop.ClusterInfo = clusterInfo(ps.sim, s, ps.proxy, hop.Cluster)
	}
	hop.ServedSecrets, hop.RequiresClientCert = servedTLS(ps.sim, r.ListenerMatched, r.FilterChainMatched, r.RouteConfigMatched)
	hop.ServedCertificates = sdsFor(s, ps.proxy, hop.ServedSecrets)
	return hop
}

// inboundHop: the connection arrives at a pod. If the pod has a sidecar and iptables captures the
// port, Istio's simulation decides the inbound side; the TLS the client side offers follows from
// the client cluster's TLS (istio-mtls, or auto-mtls towards a meshed pod).
func inboundHop(t *testing.T, s *xds.FakeDiscoveryServer, w *World, proxies map[string]*proxyState, ip string, port int, c CallRequest, clientTLS string) []Hop {
	var pod *corev1.Pod
	for _, p := range w.Pods {
		if p.Status.PodIP == ip {
			pod = p
		}
	}
	if pod == nil {
		return []Hop{{Direction: "outside", ComputedBy: byCasebook, Note: fmt.Sprintf("%s:%d is not a pod of the phase: the connection leaves the mesh", ip, port)}}
	}
	name := key(pod)
	if !w.Injected[name] {
		return []Hop{{Proxy: name, Direction: "inbound", ComputedBy: byCasebook, Note: "the destination pod has no sidecar: the application receives the connection"}}
	}
	if !inboundCaptured(pod, port) {
		if clientTLS == "istio-mtls" || clientTLS == "auto-mtls" {
			// The client's sidecar still sees a meshed pod (tlsMode=istio) and starts Istio mTLS,
			// but nothing on the server side terminates it: the application gets a TLS handshake.
			return []Hop{{Proxy: name, Direction: "inbound", ComputedBy: byCasebook,
				Error: "mTLS reaches the application",
				Note:  fmt.Sprintf("port %d is not redirected to the sidecar, yet the client's cluster offers Istio mTLS (%s): the application receives a TLS handshake it cannot answer", port, clientTLS)}}
		}
		return []Hop{{Proxy: name, Direction: "inbound", ComputedBy: byCasebook,
			Note: fmt.Sprintf("port %d is not in the inbound ports istio-init redirects: the application receives the connection, the sidecar never sees it", port)}}
	}
	tls := c.TLS
	if clientTLS == "istio-mtls" || clientTLS == "auto-mtls" {
		tls = string(simulation.MTLS)
	}
	ps := proxies["inbound:"+name]
	if ps == nil {
		var err error
		parts := strings.SplitN(name, "/", 2)
		ps, err = setupProxy(t, s, w, ProxyRequest{Name: name, Kind: "sidecar", Namespace: parts[0], Workload: parts[1]})
		if err != nil {
			return []Hop{{Proxy: name, Direction: "inbound", Error: err.Error(), ComputedBy: byCasebook}}
		}
		proxies["inbound:"+name] = ps
	}
	call := simulation.Call{
		Address: ip, Port: port, Protocol: simulation.Protocol(c.Protocol), TLS: simulation.TLSMode(tls),
		HostHeader: hostHeader(c), Path: c.Path, CallMode: simulation.CallModeInbound,
	}
	hop := simulate(t, s, ps, call, "inbound")
	hop.Note = fmt.Sprintf("client side offers %s (from the client cluster's TLS: %s)", tls, clientTLS)
	return []Hop{hop}
}

// inboundCaptured reads istio-init's arguments as the injector rendered them: -b lists the
// inbound ports to redirect ("*" for all), -d the ones to leave alone.
func inboundCaptured(pod *corev1.Pod, port int) bool {
	args := initArgs(pod)
	if args == nil {
		return true
	}
	include, exclude := "*", ""
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-b", "--inbound-ports":
			include = args[i+1]
		case "-d", "--inbound-ports-exclude":
			exclude = args[i+1]
		}
	}
	p := strconv.Itoa(port)
	for _, e := range strings.Split(exclude, ",") {
		if strings.TrimSpace(e) == p {
			return false
		}
	}
	if include == "*" {
		return true
	}
	for _, e := range strings.Split(include, ",") {
		if strings.TrimSpace(e) == p {
			return true
		}
	}
	return false
}

func initArgs(pod *corev1.Pod) []string {
	for _, c := range pod.Spec.InitContainers {
		if c.Name == "istio-init" {
			return c.Args
		}
	}
	return nil
}

// resolve answers the client's DNS question as the pod would get it: Kubernetes Service names
// from cluster DNS; with Istio's DNS proxy (ISTIO_META_DNS_CAPTURE) also ServiceEntry hosts that
// have addresses; IP literals as they are.
func resolve(w *World, from *proxyState, host string, in *Input) (string, string) {
	if net.ParseIP(host) != nil {
		return host, "ip"
	}
	for _, cand := range searchNames(host, from.pod.Namespace) {
		if ip, ok := w.Addresses[cand]; ok {
			return ip, "kubernetes-dns"
		}
	}
	if from.proxy.Metadata.DNSCapture {
		for _, svc := range from.proxy.SidecarScope.Services() {
			if string(svc.Hostname) == host && len(svc.DefaultAddress) > 0 && svc.DefaultAddress != "0.0.0.0" {
				return svc.DefaultAddress, "istio-dns-proxy"
			}
			if string(svc.Hostname) == host {
				if addrs := svc.ClusterVIPs.GetAddressesFor("Kubernetes"); len(addrs) > 0 {
					return addrs[0], "istio-dns-proxy"
				}
			}
		}
	}
	if ip, ok := in.External[host]; ok {
		return ip, "external-dns"
	}
	return "", "unresolved"
}

func searchNames(host, ns string) []string {
	h := strings.TrimSuffix(host, ".")
	switch strings.Count(h, ".") {
	case 0:
		return []string{h + "." + ns + ".svc.cluster.local"}
	case 1:
		return []string{h + ".svc.cluster.local", h + "." + ns + ".svc.cluster.local"}
	default:
		return []string{h, h + ".svc.cluster.local"}
	}
}

func gatewayTargetPort(w *World, servicePort int) int {
	for _, s := range w.Services {
		if s.Namespace != "istio-system" || s.Labels["istio"] != "ingressgateway" {
			continue
		}
		for _, p := range s.Spec.Ports {
			if int(p.Port) == servicePort && p.TargetPort.IntValue() != 0 {
				return p.TargetPort.IntValue()
			}
		}
	}
	return servicePort
}
