package sim

import (
	"os"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	kubelib "istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/kube/inject"
	"istio.io/istio/pkg/kube/kclient"
)

// The helper is a Go test binary because Istio's simulation and fake discovery server need a
// *testing.T. The harness runs it as:
//
//	CASEBOOK_SIM_INPUT=in.json CASEBOOK_SIM_OUTPUT=out.json ./istio-sim.test -test.run '^TestPhases$'
//
// Istio reads its feature flags from the environment when its packages initialise, so the first
// stage renders the install, learns istiod's environment from the release's own chart, and
// re-executes itself with that environment for the second stage, which does the work.
func TestPhases(t *testing.T) {
	inPath, outPath := os.Getenv("CASEBOOK_SIM_INPUT"), os.Getenv("CASEBOOK_SIM_OUTPUT")
	if inPath == "" || outPath == "" {
		t.Skip("CASEBOOK_SIM_INPUT and CASEBOOK_SIM_OUTPUT are not set: this binary is run by the casebook harness")
	}
	batch, err := readInput(inPath)
	if err != nil {
		t.Fatal(err)
	}
	out := &BatchOutput{Istio: buildInfo(), Problems: []string{}, Timings: map[string]float64{}, Phases: []*Output{}}
	start := time.Now()
	inst, err := renderInstall(batch.IstioOperator, t.TempDir())
	if err != nil {
		out.Problems = append(out.Problems, err.Error())
		if werr := writeOutput(outPath, out); werr != nil {
			t.Fatal(werr)
		}
		t.Fatal(err)
	}
	out.Timings["render-install"] = float64(time.Since(start).Microseconds()) / 1000
	native := detectNative(batch.KubeletVersion)
	out.Native = native

	if os.Getenv("CASEBOOK_SIM_STAGE") != "simulate" {
		env := os.Environ()
		for k, v := range inst.IstiodEnv {
			env = append(env, k+"="+v)
		}
		if _, set := inst.IstiodEnv["ENABLE_NATIVE_SIDECARS"]; !set && native {
			// istiod decides per node (kubelet >= 1.33 and the flag unset); every pod here runs on
			// the one kind node, so the per-node answer is the process-wide one.
			env = append(env, "ENABLE_NATIVE_SIDECARS=true")
		}
		env = append(env, "CASEBOOK_SIM_STAGE=simulate")
		// /proc/self/exe is this very binary even if its file was replaced or removed meanwhile
		// (another checkout on the machine rebuilding the cached helper).
		exe := "/proc/self/exe"
		if _, err := os.Stat(exe); err != nil {
			if exe, err = os.Executable(); err != nil {
				t.Fatal(err)
			}
		}
		t.Fatal(syscall.Exec(exe, os.Args, env))
	}
	out.IstiodEnv = inst.IstiodEnv
	out.MeshConfig = inst.MeshYAML
	for i := range batch.Phases {
		in := &batch.Phases[i]
		in.KubeletVersion = batch.KubeletVersion
		po := &Output{ID: in.ID, Proxies: map[string]ProxyOut{}, Timings: map[string]float64{}, Rejected: []Rejection{}, Analysis: []AnalyzerMessage{}, Calls: []CallOut{}, Problems: []string{}}
		// Each phase in its own subtest: the fake discovery server of one phase is shut down
		// before the next starts, and a failure inside Istio's code stays in its phase.
		t.Run(in.ID, func(t *testing.T) { Run(t, in, inst, native, po) })
		out.Phases = append(out.Phases, po)
	}
	out.Complete = true
	if err := writeOutput(outPath, out); err != nil {
		t.Fatal(err)
	}
}

func detectNative(kubelet string) bool {
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: NodeName},
		Status:     corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{KubeletVersion: kubelet}},
	}
	client := kubelib.NewFakeClient(node)
	nodes := kclient.New[*corev1.Node](client)
	stop := make(chan struct{})
	defer close(stop)
	client.RunAndWait(stop)
	return inject.DetectNativeSidecar(nodes, NodeName)
}

// istioModuleVersion is set at build time (-ldflags -X) to the istio.io/istio version built
// against: a test binary's build information does not list its dependencies.
var istioModuleVersion = ""

func buildInfo() BuildInfo {
	bi := BuildInfo{Module: "istio.io/istio", Version: istioModuleVersion}
	if info, ok := debug.ReadBuildInfo(); ok {
		bi.Go = info.GoVersion
		for _, d := range info.Deps {
			if d.Path == "istio.io/istio" && bi.Version == "" {
				bi.Version = d.Version
				if d.Replace != nil {
					bi.Version = d.Replace.Version
				}
			}
		}
	}
	return bi
}
