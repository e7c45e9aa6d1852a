// Package sim computes, with Istio's own packages at one release commit, what the control plane
// decides for one casebook phase: the injected pods, istio-init's iptables rules, the xDS each
// proxy would receive, Envoy's matching of each probe's call (Istio's traffic simulation) and the
// analyzers' messages. It reads one JSON input file and writes one JSON output file; the
// TypeScript harness owns scenarios, checks and verdicts.
package sim

import (
	"encoding/json"
	"fmt"
	"os"
)

// Batch is what one run of the helper computes: phases that share one Istio install.
type Batch struct {
	// IstioOperator is the install the runtime path would hand to istioctl (JSON of the YAML).
	IstioOperator map[string]any `json:"istioOperator"`
	// KubeletVersion of the pinned kind node image, e.g. "v1.36.1" (decides native sidecars).
	KubeletVersion string  `json:"kubeletVersion"`
	Phases         []Input `json:"phases"`
}

// BatchOutput holds one Output per phase, in input order.
type BatchOutput struct {
	Istio      BuildInfo          `json:"istio"`
	Native     bool               `json:"nativeSidecars"`
	IstiodEnv  map[string]string  `json:"istiodEnv"`
	MeshConfig string             `json:"meshConfig"`
	Problems   []string           `json:"problems"`
	Timings    map[string]float64 `json:"timingsMs"`
	Phases     []*Output          `json:"phases"`
	Complete   bool               `json:"complete"`
}

// Input is one phase, rendered by the harness (`casebook plan`), handed over privately.
type Input struct {
	// ID names the phase ("<scenario>/<phase>") in the output.
	ID string `json:"id"`
	// KubeletVersion is copied from the batch.
	KubeletVersion string `json:"-"`
	// Objects: namespaces, workloads, Services, Secrets and Istio config of the phase, as applied.
	Objects []map[string]any `json:"objects"`
	// Proxies whose config the phase's probes touch.
	Proxies []ProxyRequest `json:"proxies"`
	// Calls: one per probe that has a client side, as the probe would make it.
	Calls []CallRequest `json:"calls"`
	// External addresses outside the mesh (name -> IP), for the DNS answers a pod would get.
	External map[string]string `json:"external"`
}

type ProxyRequest struct {
	// Name the harness uses for this proxy: a workload name, "<workload>@<deployment>" for one pod
	// of a workload with several Deployments, or "ingressgateway".
	Name string `json:"name"`
	// "sidecar" (the workload's pod) or "gateway" (the install's ingress gateway).
	Kind string `json:"kind"`
	// Workload: the Deployment name of a sidecar proxy.
	Workload  string `json:"workload,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

type CallRequest struct {
	Probe string `json:"probe"`
	// Proxy (by name) the call leaves from (sidecar outbound) or arrives at (gateway).
	Proxy string `json:"proxy"`
	// Host as the client names it (DNS name or IP).
	Host string `json:"host"`
	Port int    `json:"port"`
	// "tcp", "http" or "http2".
	Protocol string `json:"protocol"`
	// "plaintext", "tls" (the client speaks TLS itself) or "mtls".
	TLS  string `json:"tls"`
	Sni  string `json:"sni,omitempty"`
	Path string `json:"path,omitempty"`
	// HostHeader for HTTP (defaults to Host).
	HostHeader string `json:"hostHeader,omitempty"`
	// Bypass: the client runs as uid 1337 (istio-proxy container): iptables does not capture it.
	Bypass bool `json:"bypass,omitempty"`
}

// Output is everything the harness judges at config level.
type Output struct {
	ID        string              `json:"id"`
	Rejected  []Rejection         `json:"rejected"`
	Analysis  []AnalyzerMessage   `json:"analysis"`
	Proxies   map[string]ProxyOut `json:"proxies"`
	Calls     []CallOut           `json:"calls"`
	Addresses map[string]string   `json:"addresses"`
	Problems  []string            `json:"problems"`
	Timings   map[string]float64  `json:"timingsMs"`
}

type BuildInfo struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Go      string `json:"go"`
}

// Rejection: an object Istio's validation refuses (the API server's webhook would refuse it).
type Rejection struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Message   string `json:"message"`
}

type AnalyzerMessage struct {
	Code     string `json:"code"`
	Level    string `json:"level"`
	Message  string `json:"message"`
	Resource string `json:"resource"`
}

type ProxyOut struct {
	Kind       string          `json:"kind"`
	Pod        map[string]any  `json:"pod,omitempty"`
	PodIP      string          `json:"podIP"`
	Native     bool            `json:"nativeSidecar"`
	Injected   bool            `json:"injected"`
	Iptables   []string        `json:"iptables,omitempty"`
	ConfigDump json.RawMessage `json:"configDump,omitempty"`
	Secrets    []string        `json:"secrets"`
	// istiod's SDS answers for the secret names this proxy's listeners reference.
	SDS      []ServedSecret `json:"sds,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Hop: one proxy's decision for a call, computed by Istio's simulation.
type Hop struct {
	Proxy       string `json:"proxy"`
	Direction   string `json:"direction"`
	Listener    string `json:"listener,omitempty"`
	FilterChain string `json:"filterChain,omitempty"`
	RouteConfig string `json:"routeConfig,omitempty"`
	VirtualHost string `json:"virtualHost,omitempty"`
	Route       string `json:"route,omitempty"`
	Cluster     string `json:"cluster,omitempty"`
	Error       string `json:"error,omitempty"`
	// What the cluster does with the connection (our reading of Istio's generated cluster).
	ClusterInfo *ClusterInfo `json:"clusterInfo,omitempty"`
	// SDS secrets the matched filter chain serves (downstream TLS), e.g. kubernetes://httpbin-credential.
	ServedSecrets []string `json:"servedSecrets,omitempty"`
	// What istiod's SDS answers for those names (a credentialName Secret found or not).
	ServedCertificates []ServedSecret `json:"servedCertificates,omitempty"`
	// The matched filter chain requires a client certificate (mutual TLS at this hop).
	RequiresClientCert bool `json:"requiresClientCertificate,omitempty"`
	// Who computed this hop: "istio-simulation" or "casebook-inference".
	ComputedBy string `json:"computedBy"`
	Note       string `json:"note,omitempty"`
}

type ClusterInfo struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	TLS       string   `json:"tls"`
	Endpoints []string `json:"endpoints"`
	// For a DNS cluster: which endpoint host names the pod's DNS would answer (our inference).
	Unresolved     []string       `json:"unresolvedHosts,omitempty"`
	CircuitBreaker map[string]any `json:"circuitBreaker,omitempty"`
}

type CallOut struct {
	Probe    string      `json:"probe"`
	Call     CallRequest `json:"call"`
	Address  string      `json:"address,omitempty"`
	Resolve  string      `json:"resolve"`
	Captured bool        `json:"captured"`
	Hops     []Hop       `json:"hops"`
}

func readInput(path string) (*Batch, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read input %s: %v", path, err)
	}
	in := &Batch{}
	if err := json.Unmarshal(b, in); err != nil {
		return nil, fmt.Errorf("parse input %s: %v", path, err)
	}
	return in, nil
}

func writeOutput(path string, out *BatchOutput) error {
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// istioVersion is what the release's proxies report as ISTIO_VERSION (the harness passes it from
// istio-sim/releases.json, since a pseudo-version carries no release number).
func istioVersion() string {
	if v := os.Getenv("CASEBOOK_ISTIO_PROXY_VERSION"); v != "" {
		return v
	}
	return "1.31.0"
}
