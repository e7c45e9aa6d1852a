package sim

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	apiv1 "istio.io/api/networking/v1"
	networkingv1 "istio.io/client-go/pkg/apis/networking/v1"
	"istio.io/istio/pilot/pkg/controllers/ipallocate"
	"istio.io/istio/pilot/pkg/features"
	autoallocate "istio.io/istio/pilot/pkg/networking/serviceentry"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/schema/gvk"
	"istio.io/istio/pkg/config/schema/gvr"
	kubelib "istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/kube/kclient/clienttest"
)

// allocateAddresses gives ServiceEntries without addresses the addresses istiod's own allocator
// (the ipallocate controller, on by default through PILOT_ENABLE_IP_AUTOALLOCATE) writes into
// their status: Istio's controller runs against a fake API server holding the entries, and the
// status it writes is attached to the configs the discovery server reads. Proxies with DNS capture
// then get a listener on that address instead of 0.0.0.0.
func allocateAddresses(t *testing.T, configs []config.Config) []config.Config {
	if !features.EnableIPAutoallocate {
		return configs
	}
	var wanted []int
	for i, c := range configs {
		if c.GroupVersionKind == gvk.ServiceEntry && autoallocate.ShouldV2AutoAllocateIPFromConfig(c) {
			wanted = append(wanted, i)
		}
	}
	if len(wanted) == 0 {
		return configs
	}
	stop := make(chan struct{})
	defer close(stop)
	client := kubelib.NewFakeClient()
	clienttest.MakeCRD(t, client, gvr.ServiceEntry)
	entries := clienttest.NewDirectClient[*networkingv1.ServiceEntry, networkingv1.ServiceEntry, *networkingv1.ServiceEntryList](t, client)
	allocator := ipallocate.NewIPAllocator(stop, client)
	go allocator.Run(stop)
	client.RunAndWait(stop)
	for _, i := range wanted {
		c := configs[i]
		se := &networkingv1.ServiceEntry{ObjectMeta: c.ToObjectMeta()}
		c.Spec.(*apiv1.ServiceEntry).DeepCopyInto(&se.Spec)
		entries.Create(se)
	}
	out := append([]config.Config{}, configs...)
	deadline := time.Now().Add(10 * time.Second)
	for _, i := range wanted {
		for {
			se := entries.Get(configs[i].Name, configs[i].Namespace)
			if se != nil && len(se.Status.Addresses) > 0 {
				out[i] = configs[i].DeepCopy()
				out[i].Status = proto.Clone(&se.Status).(*apiv1.ServiceEntryStatus)
				break
			}
			if time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return out
}
