package sim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	meshconfig "istio.io/api/mesh/v1alpha1"
	kubelib "istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/kube/inject"
)

// podSuffix names a workload's single pod: <workload>-casebook-0.
const podSuffix = "-casebook-0"

// NodeName is the single node of our kind cluster (kind names it <cluster>-control-plane).
const NodeName = "casebook-control-plane"

// World is the cluster state the API server, its controllers and the injection webhook would
// have produced from the phase's objects: what Istio's fake discovery server cannot make itself.
type World struct {
	Kube        []runtime.Object
	IstioYAML   []string
	IstioRaw    []map[string]any
	Pods        map[string]*corev1.Pod // by "<namespace>/<workload>"
	Injected    map[string]bool
	Services    []*corev1.Service
	Namespaces  map[string]*corev1.Namespace
	Addresses   map[string]string // "<name>.<ns>.svc.cluster.local" and IP facts, for the call's DNS
	Problems    []string
	nextPod     int
	nextService int
}

func isIstioConfig(apiVersion string) bool {
	group := strings.SplitN(apiVersion, "/", 2)[0]
	return strings.HasSuffix(group, ".istio.io") || group == "gateway.networking.k8s.io" || group == "gateway.networking.x-k8s.io"
}

func decodeKube(obj map[string]any, into any) error {
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

// buildWorld turns the phase's objects into the objects a cluster would hold once they are
// applied: Deployments become (injected) Pods with IPs, Services get ClusterIPs, EndpointSlices
// connect them, and the node carries the kubelet version of the pinned kind image.
func buildWorld(in *Input, inst *Install, native bool) (*World, error) {
	w := &World{
		Pods: map[string]*corev1.Pod{}, Injected: map[string]bool{}, Namespaces: map[string]*corev1.Namespace{},
		Addresses: map[string]string{}, nextPod: 10, nextService: 10,
	}
	w.Kube = append(w.Kube, &corev1.Node{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{Name: NodeName, Labels: map[string]string{"kubernetes.io/hostname": NodeName}},
		Status:     corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{KubeletVersion: in.KubeletVersion}},
	})
	for _, ns := range []string{"istio-system", "kube-system", "default"} {
		w.addNamespace(&corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	w.addClusterBasics()

	var deployments []*appsv1.Deployment
	objects := append([]map[string]any{}, in.Objects...)
	objects = append(objects, inst.GatewayRaw...)
	for _, o := range objects {
		apiVersion, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		if isIstioConfig(apiVersion) {
			b, err := yaml.Marshal(o)
			if err != nil {
				return nil, err
			}
			w.IstioYAML = append(w.IstioYAML, string(b))
			w.IstioRaw = append(w.IstioRaw, o)
			continue
		}
		switch kind {
		case "Namespace":
			ns := &corev1.Namespace{}
			if err := decodeKube(o, ns); err != nil {
				return nil, fmt.Errorf("Namespace: %v", err)
			}
			w.addNamespace(ns)
		case "Deployment":
			d := &appsv1.Deployment{}
			if err := decodeKube(o, d); err != nil {
				return nil, fmt.Errorf("Deployment: %v", err)
			}
			deployments = append(deployments, d)
		case "Service":
			s := &corev1.Service{}
			if err := decodeKube(o, s); err != nil {
				return nil, fmt.Errorf("Service: %v", err)
			}
			w.Services = append(w.Services, s)
		case "Secret":
			s := &corev1.Secret{}
			if err := decodeKube(o, s); err != nil {
				return nil, fmt.Errorf("Secret: %v", err)
			}
			w.Kube = append(w.Kube, s)
		case "ConfigMap":
			c := &corev1.ConfigMap{}
			if err := decodeKube(o, c); err != nil {
				return nil, fmt.Errorf("ConfigMap: %v", err)
			}
			w.Kube = append(w.Kube, c)
		case "ServiceAccount":
			sa := &corev1.ServiceAccount{}
			if err := decodeKube(o, sa); err != nil {
				return nil, fmt.Errorf("ServiceAccount: %v", err)
			}
			w.Kube = append(w.Kube, sa)
		case "Ingress", "IngressClass":
			// The fake discovery server's ingress controller reads these through the kube client.
			obj, err := decodeTyped(o)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", kind, err)
			}
			w.Kube = append(w.Kube, obj)
		default:
			w.Problems = append(w.Problems, fmt.Sprintf("%s %s: not modelled at config level (left out)", kind, nameOf(o)))
		}
	}

	templates, err := inject.ParseTemplates(inst.InjectConfig.RawTemplates)
	if err != nil {
		return nil, fmt.Errorf("injection templates: %v", err)
	}
	values, err := inject.NewValuesConfig(inst.InjectValues)
	if err != nil {
		return nil, fmt.Errorf("injection values: %v", err)
	}
	for _, d := range deployments {
		if err := w.addDeployment(d, templates, values, inst.Mesh, &inst.InjectConfig); err != nil {
			return nil, err
		}
	}
	for _, s := range w.Services {
		w.allocate(s)
	}
	for _, s := range w.Services {
		w.Kube = append(w.Kube, s)
		if slice := w.endpointSlice(s); slice != nil {
			w.Kube = append(w.Kube, slice)
		}
	}
	for _, p := range w.Pods {
		w.Kube = append(w.Kube, p)
	}
	_ = native
	return w, nil
}

// addClusterBasics adds what every kind cluster has and every sidecar sees: the API server's
// Service and kube-dns (CoreDNS) with its pod, at kind's fixed addresses.
func (w *World) addClusterBasics() {
	tcp, udp := corev1.ProtocolTCP, corev1.ProtocolUDP
	w.Services = append(w.Services,
		&corev1.Service{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default", Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
			Spec:       corev1.ServiceSpec{ClusterIP: "10.96.0.1", Ports: []corev1.ServicePort{{Name: "https", Port: 443, TargetPort: intstr.FromInt32(6443), Protocol: tcp}}},
		},
		&corev1.Service{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
			ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}},
			Spec: corev1.ServiceSpec{ClusterIP: "10.96.0.10", Selector: map[string]string{"k8s-app": "kube-dns"}, Ports: []corev1.ServicePort{
				{Name: "dns", Port: 53, TargetPort: intstr.FromInt32(53), Protocol: udp},
				{Name: "dns-tcp", Port: 53, TargetPort: intstr.FromInt32(53), Protocol: tcp},
				{Name: "metrics", Port: 9153, TargetPort: intstr.FromInt32(9153), Protocol: tcp},
			}},
		})
	ip := "10.244.0.2"
	w.Pods["kube-system/coredns"] = &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "coredns" + podSuffix, Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}},
		Spec:       corev1.PodSpec{NodeName: NodeName, ServiceAccountName: "coredns", Containers: []corev1.Container{{Name: "coredns", Image: "coredns"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: ip, PodIPs: []corev1.PodIP{{IP: ip}},
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
	}
}

func decodeTyped(o map[string]any) (runtime.Object, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	obj, _, err := kubelib.IstioCodec.UniversalDeserializer().Decode(b, nil, nil)
	return obj, err
}

func nameOf(o map[string]any) string {
	md, _ := o["metadata"].(map[string]any)
	ns, _ := md["namespace"].(string)
	n, _ := md["name"].(string)
	if ns == "" {
		return n
	}
	return ns + "/" + n
}

func (w *World) addNamespace(ns *corev1.Namespace) {
	if _, ok := w.Namespaces[ns.Name]; ok {
		return
	}
	w.Namespaces[ns.Name] = ns
	w.Kube = append(w.Kube, ns)
}

// injectionWanted follows the webhook's namespace selector for the default revision:
// istio-injection=enabled on the namespace, or sidecar.istio.io/inject=true on the pod.
func (w *World) injectionWanted(namespace string, podLabels map[string]string) bool {
	if podLabels["sidecar.istio.io/inject"] == "false" {
		return false
	}
	ns := w.Namespaces[namespace]
	if ns != nil && ns.Labels["istio-injection"] == "disabled" {
		return false
	}
	if ns != nil && ns.Labels["istio-injection"] == "enabled" {
		return true
	}
	return podLabels["sidecar.istio.io/inject"] == "true"
}

func (w *World) addDeployment(d *appsv1.Deployment, templates inject.Templates, values inject.ValuesConfig,
	mc *meshconfig.MeshConfig, cfg *inject.Config,
) error {
	key := d.Namespace + "/" + d.Name
	tmpl := d.Spec.Template
	injected := false
	if d.Namespace != "istio-system" && w.injectionWanted(d.Namespace, tmpl.Labels) {
		out, err := inject.IntoObject(nil, templates, values, "", mc, d, func(string) {})
		if err != nil {
			return fmt.Errorf("inject %s: %v", key, err)
		}
		d = out.(*appsv1.Deployment)
		tmpl = d.Spec.Template
		injected = true
	}
	ip := fmt.Sprintf("10.244.0.%d", w.nextPod)
	w.nextPod++
	labels := map[string]string{}
	for k, v := range tmpl.Labels {
		labels[k] = v
	}
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: d.Name + podSuffix, Namespace: d.Namespace, Labels: labels, Annotations: tmpl.Annotations,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: d.Name + "-casebook", UID: "casebook"}},
		},
		Spec: tmpl.Spec,
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning, PodIP: ip, PodIPs: []corev1.PodIP{{IP: ip}}, HostIP: "172.18.0.2",
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
		},
	}
	pod.Spec.NodeName = NodeName
	if pod.Spec.ServiceAccountName == "" {
		pod.Spec.ServiceAccountName = "default"
	}
	w.Pods[key] = pod
	w.Injected[key] = injected
	return nil
}

// allocate gives a Service the ClusterIP the API server would (an empty one would read as
// 0.0.0.0 in Istio and fake a wildcard listener).
func (w *World) allocate(s *corev1.Service) {
	if s.Spec.ClusterIP == "" {
		// 10.96.0.x is kind's own (API server, kube-dns); the harness allocates 10.96.1.x.
		s.Spec.ClusterIP = fmt.Sprintf("10.96.%d.%d", 2+w.nextService/250, w.nextService%250+1)
		w.nextService++
	}
	if s.Spec.ClusterIP != corev1.ClusterIPNone {
		s.Spec.ClusterIPs = []string{s.Spec.ClusterIP}
	}
	if s.Spec.Type == "" {
		s.Spec.Type = corev1.ServiceTypeClusterIP
	}
	for i := range s.Spec.Ports {
		if s.Spec.Ports[i].Protocol == "" {
			s.Spec.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	w.Addresses[s.Name+"."+s.Namespace+".svc.cluster.local"] = s.Spec.ClusterIP
}

// endpointSlice is what the EndpointSlice controller writes for a Service with a selector.
func (w *World) endpointSlice(s *corev1.Service) *discoveryv1.EndpointSlice {
	if len(s.Spec.Selector) == 0 {
		return nil
	}
	var pods []*corev1.Pod
	for _, p := range w.Pods {
		if p.Namespace == s.Namespace && selects(s.Spec.Selector, p.Labels) {
			pods = append(pods, p)
		}
	}
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	slice := &discoveryv1.EndpointSlice{
		TypeMeta: metav1.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta: metav1.ObjectMeta{
			Name: s.Name + "-casebook", Namespace: s.Namespace,
			Labels: map[string]string{discoveryv1.LabelServiceName: s.Name, discoveryv1.LabelManagedBy: "endpointslice-controller.k8s.io"},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
	}
	ready := true
	for _, p := range pods {
		slice.Endpoints = append(slice.Endpoints, discoveryv1.Endpoint{
			Addresses:  []string{p.Status.PodIP},
			Conditions: discoveryv1.EndpointConditions{Ready: &ready},
			NodeName:   &p.Spec.NodeName,
			TargetRef:  &corev1.ObjectReference{Kind: "Pod", Name: p.Name, Namespace: p.Namespace},
		})
	}
	for _, sp := range s.Spec.Ports {
		name, proto := sp.Name, sp.Protocol
		port := resolveTargetPort(sp, pods)
		slice.Ports = append(slice.Ports, discoveryv1.EndpointPort{Name: &name, Protocol: &proto, Port: &port, AppProtocol: sp.AppProtocol})
	}
	return slice
}

func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func resolveTargetPort(sp corev1.ServicePort, pods []*corev1.Pod) int32 {
	tp := sp.TargetPort
	if tp.Type == intstr.Int {
		if tp.IntVal == 0 {
			return sp.Port
		}
		return tp.IntVal
	}
	for _, p := range pods {
		for _, c := range p.Spec.Containers {
			for _, cp := range c.Ports {
				if cp.Name == tp.StrVal {
					return cp.ContainerPort
				}
			}
		}
	}
	return sp.Port
}
