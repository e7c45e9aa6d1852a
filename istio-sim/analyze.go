package sim

import (
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"

	"istio.io/istio/pkg/config/analysis/analyzers"
	"istio.io/istio/pkg/config/analysis/local"
	"istio.io/istio/pkg/config/resource"
)

// analyze runs Istio's analyzers over the phase's objects offline, as `istioctl analyze
// --use-kube=false` does with files: every namespace, the install's mesh config.
func analyze(w *World, inst *Install) []AnalyzerMessage {
	sa := local.NewSourceAnalyzer(analyzers.AllCombined(), resource.Namespace(""), resource.Namespace("istio-system"), nil)
	dir, err := os.MkdirTemp("", "casebook-analyze-")
	if err != nil {
		return []AnalyzerMessage{{Code: "casebook", Level: "Error", Message: err.Error()}}
	}
	defer os.RemoveAll(dir)
	meshFile := filepath.Join(dir, "mesh.yaml")
	if err := os.WriteFile(meshFile, []byte(inst.MeshYAML), 0o600); err == nil {
		_ = sa.AddFileKubeMeshConfig(meshFile)
	}
	var docs []string
	for _, o := range w.Kube {
		b, err := yaml.Marshal(o)
		if err == nil {
			docs = append(docs, string(b))
		}
	}
	docs = append(docs, w.IstioYAML...)
	if err := sa.AddReaderKubeSource([]local.ReaderSource{{Name: "phase", Reader: strings.NewReader(strings.Join(docs, "\n---\n"))}}); err != nil {
		return []AnalyzerMessage{{Code: "casebook", Level: "Error", Message: "analyzer input: " + err.Error()}}
	}
	cancel := make(chan struct{})
	res, err := sa.Analyze(cancel)
	if err != nil {
		return []AnalyzerMessage{{Code: "casebook", Level: "Error", Message: "analyzers: " + err.Error()}}
	}
	out := []AnalyzerMessage{}
	for _, m := range res.Messages {
		r := ""
		if m.Resource != nil {
			r = m.Resource.Metadata.FullName.String()
		}
		out = append(out, AnalyzerMessage{Code: m.Type.Code(), Level: m.Type.Level().String(), Message: m.String(), Resource: r})
	}
	return out
}
