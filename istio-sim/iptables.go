package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"istio.io/istio/pkg/log"
	"istio.io/istio/tools/istio-iptables/pkg/cmd"
)

// iptablesFor runs Istio's own istio-iptables command in dry-run mode with the arguments the
// injector gave the pod's istio-init container: the rules it would install, without applying any.
func iptablesFor(pod *corev1.Pod) ([]string, error) {
	args := initArgs(pod)
	if args == nil {
		return nil, fmt.Errorf("no istio-init container (CNI or no sidecar): no iptables rules from the pod")
	}
	if len(args) > 0 && args[0] == "istio-iptables" {
		args = args[1:]
	}
	dir, err := os.MkdirTemp("", "casebook-iptables-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "rules")
	old, had := os.LookupEnv("DRY_RUN_FILE_PATH")
	os.Setenv("DRY_RUN_FILE_PATH", file)
	defer func() {
		if had {
			os.Setenv("DRY_RUN_FILE_PATH", old)
		} else {
			os.Unsetenv("DRY_RUN_FILE_PATH")
		}
	}()
	// pilot-agent attaches the logging flags (--log_output_level) to its istio-iptables command.
	opts := log.DefaultOptions()
	c := cmd.GetCommand(opts)
	opts.AttachCobraFlags(c)
	c.SetArgs(append(args, "--dry-run"))
	c.SilenceUsage = true
	if err := c.Execute(); err != nil {
		return nil, fmt.Errorf("istio-iptables %s: %v", strings.Join(args, " "), err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("istio-iptables wrote no rules: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}
