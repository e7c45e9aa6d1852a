package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/operator/pkg/manifest"
	"istio.io/istio/operator/pkg/render"
	"istio.io/istio/pkg/config/mesh"
	"istio.io/istio/pkg/kube/inject"
)

// Install is what `istioctl install` of our IstioOperator would put in the cluster, as far as the
// control plane's decisions go: the mesh config istiod reads, the injector's templates and
// values, istiod's environment (feature flags), and the ingress gateway's Deployment and Service.
type Install struct {
	Mesh           *meshconfig.MeshConfig
	MeshYAML       string
	InjectConfig   inject.Config
	InjectValues   string
	IstiodEnv      map[string]string
	GatewayObjects []runtime.Object
	GatewayRaw     []map[string]any
}

// renderInstall renders the release's own charts for the IstioOperator, as
// `istioctl manifest generate` does, with the charts embedded in the istio.io/istio module.
func renderInstall(iop map[string]any, dir string) (*Install, error) {
	b, err := yaml.Marshal(iop)
	if err != nil {
		return nil, err
	}
	f := filepath.Join(dir, "istio-operator.yaml")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		return nil, err
	}
	sets, _, err := render.GenerateManifest([]string{f}, nil, false, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("render the IstioOperator with the release's charts: %v", err)
	}
	in := &Install{IstiodEnv: map[string]string{}}
	var meshYAML, injConfig, injValues string
	for _, set := range sets {
		for _, m := range set.Manifests {
			switch {
			case m.GetKind() == "ConfigMap" && m.GetName() == "istio" && m.GetNamespace() == "istio-system":
				meshYAML, _, _ = unstructuredString(m, "data", "mesh")
			case m.GetKind() == "ConfigMap" && m.GetName() == "istio-sidecar-injector":
				injConfig, _, _ = unstructuredString(m, "data", "config")
				injValues, _, _ = unstructuredString(m, "data", "values")
			case m.GetKind() == "Deployment" && m.GetName() == "istiod":
				collectEnv(m, in.IstiodEnv)
			}
			if string(set.Component) == "IngressGateways" && (m.GetKind() == "Deployment" || m.GetKind() == "Service") {
				raw := m.UnstructuredContent()
				in.GatewayRaw = append(in.GatewayRaw, raw)
			}
		}
	}
	if meshYAML == "" || injConfig == "" {
		return nil, fmt.Errorf("the rendered install has no mesh ConfigMap or injector ConfigMap")
	}
	in.MeshYAML = meshYAML
	if in.Mesh, err = mesh.ApplyMeshConfigDefaults(meshYAML); err != nil {
		return nil, fmt.Errorf("mesh config of the install: %v", err)
	}
	if in.InjectConfig, err = inject.UnmarshalConfig([]byte(injConfig)); err != nil {
		return nil, fmt.Errorf("injector config of the install: %v", err)
	}
	in.InjectValues = injValues
	return in, nil
}

func unstructuredString(m manifest.Manifest, path ...string) (string, bool, error) {
	cur := any(m.UnstructuredContent())
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return "", false, nil
		}
		cur = mm[p]
	}
	s, ok := cur.(string)
	return s, ok, nil
}

// collectEnv keeps istiod's literal environment values (feature flags); values from the downward
// API (fieldRef) describe the pod, not a feature, and are left out.
func collectEnv(m manifest.Manifest, out map[string]string) {
	b, _ := json.Marshal(m.UnstructuredContent())
	var d struct {
		Spec struct {
			Template struct {
				Spec corev1.PodSpec `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name != "discovery" {
			continue
		}
		for _, e := range c.Env {
			if e.ValueFrom == nil && !strings.HasPrefix(e.Name, "KUBERNETES_") {
				out[e.Name] = e.Value
			}
		}
	}
}
