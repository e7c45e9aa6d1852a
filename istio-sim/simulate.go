package sim

import (
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	adminv3 "github.com/envoyproxy/go-control-plane/envoy/admin/v3"
	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	corev1 "k8s.io/api/core/v1"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/spiffe"
)

type proxyState struct {
	name  string
	kind  string
	pod   *corev1.Pod
	proxy *model.Proxy
	sim   *simulation.Simulation
}

// Run computes the whole output for one input. t is the test the simulation needs.
func Run(t *testing.T, in *Input, inst *Install, native bool, out *Output) {
	start := time.Now()
	lap := func(name string) {
		out.Timings[name] = float64(time.Since(start).Microseconds()) / 1000
		start = time.Now()
	}
	w, err := buildWorld(in, inst, native)
	if err != nil {
		out.Problems = append(out.Problems, err.Error())
		return
	}
	out.Problems = append(out.Problems, w.Problems...)
	lap("world")

	out.Addresses = w.Addresses
	configs, rejected := validateIstioConfig(w)
	if rejected != nil {
		out.Rejected = rejected
	}
	lap("validation")

	out.Analysis = analyze(w, inst)
	lap("analysis")

	configs = allocateAddresses(t, configs)
	lap("address-allocation")

	s := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{
		KubernetesObjects: w.Kube,
		Configs:           configs,
		MeshConfig:        inst.Mesh,
		// The gateway's service account may read Secrets in its namespace (the chart's RBAC);
		// the fake API server has no authorizer to say so.
		DisableSecretAuthorization: true,
		KubernetesVersion:          kubeMinor(in.KubeletVersion),
	})
	lap("discovery-server")

	proxies := map[string]*proxyState{}
	for _, req := range in.Proxies {
		ps, err := setupProxy(t, s, w, req)
		if err != nil {
			out.Problems = append(out.Problems, err.Error())
			continue
		}
		proxies[req.Name] = ps
		out.Proxies[req.Name] = describeProxy(s, ps, w, native)
	}
	lap("proxies")

	for _, c := range in.Calls {
		out.Calls = append(out.Calls, runCall(t, s, w, proxies, c, in))
	}
	lap("calls")
}

func kubeMinor(v string) string {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	if len(parts) >= 2 {
		return parts[1]
	}
	return ""
}

// validateIstioConfig converts and validates each Istio object as the API server's validating
// webhook would: an object Istio refuses is reported and left out, never simulated.
func validateIstioConfig(w *World) ([]config.Config, []Rejection) {
	var configs []config.Config
	var rejected []Rejection
	for i, y := range w.IstioYAML {
		raw := w.IstioRaw[i]
		kind, _ := raw["kind"].(string)
		md, _ := raw["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		name, _ := md["name"].(string)
		parsed, _, err := crd.ParseInputs(y)
		if err != nil {
			rejected = append(rejected, Rejection{Kind: kind, Namespace: ns, Name: name, Message: err.Error()})
			continue
		}
		for _, c := range parsed {
			// istiod's CRD client stamps its domain suffix on every object it reads; without it a
			// short host ("httpbin") resolves to "httpbin.<ns>" instead of the Service's
			// "httpbin.<ns>.svc.cluster.local", and a route names a cluster that does not exist.
			c.Domain = "cluster.local"
			if c.Namespace == "" {
				if sch, ok := collections.All.FindByGroupVersionAliasesKind(c.GroupVersionKind); ok && !sch.IsClusterScoped() {
					c.Namespace = "default"
				}
			}
			configs = append(configs, c)
		}
	}
	return configs, rejected
}

func setupProxy(t *testing.T, s *xds.FakeDiscoveryServer, w *World, req ProxyRequest) (*proxyState, error) {
	var pod *corev1.Pod
	switch req.Kind {
	case "gateway":
		for _, p := range w.Pods {
			if p.Namespace == "istio-system" && p.Labels["istio"] == "ingressgateway" {
				pod = p
			}
		}
		if pod == nil {
			return nil, fmt.Errorf("proxy %s: the install has no ingress gateway", req.Name)
		}
	default:
		pod = w.Pods[req.Namespace+"/"+req.Workload]
		if pod == nil {
			return nil, fmt.Errorf("proxy %s: no Deployment %s/%s in the phase's objects", req.Name, req.Namespace, req.Workload)
		}
	}
	p := proxyFor(pod, req.Kind == "gateway")
	// istiod authenticates a proxy by its service account token; SDS answers by that identity.
	p.VerifiedIdentity = &spiffe.Identity{TrustDomain: "cluster.local", Namespace: pod.Namespace, ServiceAccount: pod.Spec.ServiceAccountName}
	p = s.SetupProxy(p)
	return &proxyState{name: req.Name, kind: req.Kind, pod: pod, proxy: p, sim: simulation.NewSimulation(t, s, p)}, nil
}

// proxyFor builds the node istiod would see when this pod's istio-proxy connects: identity,
// labels, IP, and the ISTIO_META_* metadata the agent sends from its environment.
func proxyFor(pod *corev1.Pod, gateway bool) *model.Proxy {
	meta := map[string]any{}
	for _, c := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		if c.Name != "istio-proxy" {
			continue
		}
		for _, e := range c.Env {
			if strings.HasPrefix(e.Name, "ISTIO_META_") && e.ValueFrom == nil {
				meta[strings.TrimPrefix(e.Name, "ISTIO_META_")] = e.Value
			}
		}
	}
	b, _ := json.Marshal(meta)
	md := &model.NodeMetadata{}
	_ = json.Unmarshal(b, md)
	md.Labels = pod.Labels
	md.Namespace = pod.Namespace
	md.ClusterID = "Kubernetes"
	md.ServiceAccount = fmt.Sprintf("spiffe://cluster.local/ns/%s/sa/%s", pod.Namespace, pod.Spec.ServiceAccountName)
	md.WorkloadName = workloadOf(pod)
	md.Annotations = pod.Annotations
	md.IstioVersion = istioVersion()
	p := &model.Proxy{
		ID:              pod.Name + "." + pod.Namespace,
		IPAddresses:     []string{pod.Status.PodIP},
		Labels:          pod.Labels,
		ConfigNamespace: pod.Namespace,
		Metadata:        md,
		Type:            model.SidecarProxy,
		DNSDomain:       pod.Namespace + ".svc.cluster.local",
	}
	if gateway {
		p.Type = model.Router
	}
	return p
}

func describeProxy(s *xds.FakeDiscoveryServer, ps *proxyState, w *World, native bool) ProxyOut {
	po := ProxyOut{Kind: ps.kind, PodIP: ps.pod.Status.PodIP, Injected: w.Injected[key(ps.pod)]}
	b, _ := json.Marshal(ps.pod)
	_ = json.Unmarshal(b, &po.Pod)
	for _, c := range ps.pod.Spec.InitContainers {
		if c.Name == "istio-proxy" {
			po.Native = true
		}
	}
	_ = native
	po.ConfigDump, po.Secrets = configDump(ps.sim)
	po.SDS = sdsFor(s, ps.proxy, po.Secrets)
	md, _ := json.Marshal(ps.proxy.Metadata)
	_ = json.Unmarshal(md, &po.Metadata)
	if ps.kind != "gateway" && po.Injected {
		rules, err := iptablesFor(ps.pod)
		if err != nil {
			po.Iptables = []string{"# " + err.Error()}
		} else {
			po.Iptables = rules
		}
	}
	return po
}

// configDump writes the generated xDS as Envoy's admin config_dump does (proto field names), so
// the harness reads it with the same parser as a live dump.
func configDump(sim *simulation.Simulation) (json.RawMessage, []string) {
	ld := &adminv3.ListenersConfigDump{}
	for _, l := range sim.Listeners {
		a, _ := anypb.New(l)
		ld.DynamicListeners = append(ld.DynamicListeners, &adminv3.ListenersConfigDump_DynamicListener{
			Name: l.Name, ActiveState: &adminv3.ListenersConfigDump_DynamicListenerState{Listener: a},
		})
	}
	cd := &adminv3.ClustersConfigDump{}
	for _, c := range sim.Clusters {
		a, _ := anypb.New(c)
		cd.DynamicActiveClusters = append(cd.DynamicActiveClusters, &adminv3.ClustersConfigDump_DynamicCluster{Cluster: a})
	}
	rd := &adminv3.RoutesConfigDump{}
	for _, r := range sim.Routes {
		a, _ := anypb.New(r)
		rd.DynamicRouteConfigs = append(rd.DynamicRouteConfigs, &adminv3.RoutesConfigDump_DynamicRouteConfig{RouteConfig: a})
	}
	dump := &adminv3.ConfigDump{}
	for _, m := range []proto.Message{ld, cd, rd} {
		a, _ := anypb.New(m)
		dump.Configs = append(dump.Configs, a)
	}
	b, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(dump)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	var tree any
	_ = json.Unmarshal(b, &tree)
	secrets := map[string]bool{}
	collectSecretNames(tree, false, secrets)
	names := make([]string, 0, len(secrets))
	for n := range secrets {
		names = append(names, n)
	}
	sort.Strings(names)
	return b, names
}

func collectSecretNames(v any, inSds bool, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		if inSds {
			if n, ok := t["name"].(string); ok {
				out[n] = true
			}
		}
		for k, c := range t {
			collectSecretNames(c, strings.Contains(k, "sds_secret_config"), out)
		}
	case []any:
		for _, c := range t {
			collectSecretNames(c, inSds, out)
		}
	}
}

func clusterInfo(sim *simulation.Simulation, s *xds.FakeDiscoveryServer, p *model.Proxy, name string) *ClusterInfo {
	for _, c := range sim.Clusters {
		if c.Name != name {
			continue
		}
		ci := &ClusterInfo{Name: name, Type: clusterType(c), TLS: clusterTLS(c)}
		for _, la := range s.Endpoints(p) {
			if la.ClusterName != name {
				continue
			}
			ci.Endpoints = appendEndpoints(ci.Endpoints, la)
		}
		ci.Endpoints = appendEndpoints(ci.Endpoints, c.GetLoadAssignment())
		if th := c.GetCircuitBreakers().GetThresholds(); len(th) > 0 {
			b, _ := protojson.MarshalOptions{UseProtoNames: true}.Marshal(th[0])
			_ = json.Unmarshal(b, &ci.CircuitBreaker)
		}
		return ci
	}
	return nil
}

// appendEndpoints adds a load assignment's socket addresses as host:port (EDS from istiod, or a
// DNS or static cluster's inline assignment).
func appendEndpoints(to []string, la *endpoint.ClusterLoadAssignment) []string {
	for _, le := range la.GetEndpoints() {
		for _, e := range le.LbEndpoints {
			if sa := e.GetEndpoint().GetAddress().GetSocketAddress(); sa != nil {
				to = append(to, net.JoinHostPort(sa.Address, fmt.Sprint(sa.GetPortValue())))
			}
		}
	}
	return to
}

func clusterType(c *cluster.Cluster) string {
	if c.GetEdsClusterConfig() != nil {
		return "EDS"
	}
	if ct := c.GetClusterType(); ct != nil {
		return ct.Name
	}
	return c.GetType().String()
}

// clusterTLS says how the cluster talks to its endpoints: "istio-mtls" (Istio's certificate,
// always), "auto-mtls" (Istio's certificate only to endpoints labelled tlsMode=istio),
// "tls" (a DestinationRule's own TLS), or "none".
func clusterTLS(c *cluster.Cluster) string {
	if ts := c.GetTransportSocket(); ts != nil {
		if isIstioMtls(ts.GetTypedConfig().GetValue()) {
			return "istio-mtls"
		}
		return "tls"
	}
	for _, m := range c.GetTransportSocketMatches() {
		if m.GetTransportSocket() != nil && isIstioMtls(m.GetTransportSocket().GetTypedConfig().GetValue()) {
			return "auto-mtls"
		}
	}
	return "none"
}

func isIstioMtls(raw []byte) bool {
	// The upstream context of Istio mTLS names the workload certificate "default" and the root
	// "ROOTCA" over SDS; a DestinationRule's own TLS does not.
	return strings.Contains(string(raw), "ROOTCA") || strings.Contains(string(raw), "istio-peer-exchange")
}

// servedTLS reads the downstream TLS context of the matched filter chain: which SDS secrets it
// serves (certificates, then the validation context a MUTUAL server checks client certificates
// against, e.g. "kubernetes://<credentialName>-cacert") and whether it asks for a client certificate.
// A gateway's chains carry no names, so the simulation's chain name alone would pick the first TLS
// chain of the listener; among same-named chains the one whose HTTP connection manager asks for
// the matched route config is the one the call took (each gateway server has its own RDS name).
func servedTLS(sim *simulation.Simulation, listenerName, chainName, routeConfig string) ([]string, bool) {
	for _, l := range sim.Listeners {
		if l.Name != listenerName {
			continue
		}
		chains := append([]*listener.FilterChain{}, l.FilterChains...)
		if l.DefaultFilterChain != nil {
			chains = append(chains, l.DefaultFilterChain)
		}
		var picked *listener.FilterChain
		for _, fc := range chains {
			if fc.Name != chainName || fc.GetTransportSocket() == nil {
				continue
			}
			if picked == nil || (routeConfig != "" && rdsName(fc) == routeConfig) {
				picked = fc
			}
		}
		if picked == nil {
			continue
		}
		ctx := &tlsv3.DownstreamTlsContext{}
		if err := picked.GetTransportSocket().GetTypedConfig().UnmarshalTo(ctx); err != nil {
			return nil, false
		}
		var names []string
		common := ctx.GetCommonTlsContext()
		for _, sc := range common.GetTlsCertificateSdsSecretConfigs() {
			names = append(names, sc.GetName())
		}
		if vc := common.GetCombinedValidationContext().GetValidationContextSdsSecretConfig(); vc != nil {
			names = append(names, vc.GetName())
		}
		return names, ctx.GetRequireClientCertificate().GetValue()
	}
	return nil, false
}

// rdsName is the route config an HTTP filter chain asks RDS for ("" for a TCP chain).
func rdsName(fc *listener.FilterChain) string {
	for _, f := range fc.GetFilters() {
		m := &hcm.HttpConnectionManager{}
		if f.GetTypedConfig() != nil && f.GetTypedConfig().UnmarshalTo(m) == nil {
			return m.GetRds().GetRouteConfigName()
		}
	}
	return ""
}
