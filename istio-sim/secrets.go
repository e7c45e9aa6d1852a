package sim

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"reflect"
	"strings"
	"time"

	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"

	"istio.io/istio/pilot/pkg/model"
	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/util/sets"
	xdsserver "istio.io/istio/pkg/xds"
)

// ServedSecret: what istiod's SDS generator answers a proxy for one secret name its listeners
// reference (`kubernetes://<credentialName>`): found or not, and the certificate it carries.
type ServedSecret struct {
	Name        string   `json:"name"`
	Found       bool     `json:"found"`
	Subject     string   `json:"subject,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	DNSNames    []string `json:"sans,omitempty"`
	Fingerprint string   `json:"fingerprint256,omitempty"`
	// The secret is a validation context (a CA bundle for client certificates), not a certificate.
	ValidationContext bool `json:"validationContext,omitempty"`
}

// sdsFor asks Istio's own SDS generator for the named secrets, as the proxy would over SDS. The
// agent's own names ("default", "ROOTCA") come from the agent, not istiod, and are skipped.
func sdsFor(s *xds.FakeDiscoveryServer, p *model.Proxy, names []string) []ServedSecret {
	wanted := sets.New[string]()
	for _, n := range names {
		if n != "default" && n != "ROOTCA" && !strings.HasPrefix(n, "file-") {
			wanted.Insert(n)
		}
	}
	if wanted.Len() == 0 {
		return nil
	}
	gen := s.Discovery.Generators[v3.SecretType]
	res, _, _ := gen.Generate(p, &model.WatchedResource{ResourceNames: wanted}, fullPush(s))
	got := map[string]*tlsv3.Secret{}
	for _, a := range xdsserver.ResourcesToAny(res) {
		sec := &tlsv3.Secret{}
		if err := a.UnmarshalTo(sec); err == nil {
			got[sec.Name] = sec
		}
	}
	var out []ServedSecret
	for _, n := range sets.SortedList(wanted) {
		ss := ServedSecret{Name: n}
		if sec, ok := got[n]; ok {
			ss.Found = true
			if tc := sec.GetTlsCertificate(); tc != nil {
				describeCert(tc.GetCertificateChain().GetInlineBytes(), &ss)
			} else if vc := sec.GetValidationContext(); vc != nil {
				ss.ValidationContext = true
				describeCert(vc.GetTrustedCa().GetInlineBytes(), &ss)
			}
		}
		out = append(out, ss)
	}
	return out
}

// fullPush asks for every secret, as on a proxy's first request. Releases differ in how a push
// says so: 1.30's SDS generator reads PushRequest.Full, 1.31's reads Forced; set whichever exists.
func fullPush(s *xds.FakeDiscoveryServer) *model.PushRequest {
	req := &model.PushRequest{Forced: true, Push: s.PushContext(), Start: time.Now()}
	if f := reflect.ValueOf(req).Elem().FieldByName("Full"); f.IsValid() && f.CanSet() && f.Kind() == reflect.Bool {
		f.SetBool(true)
	}
	return req
}

func describeCert(pemBytes []byte, ss *ServedSecret) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return
	}
	ss.Subject = c.Subject.String()
	ss.Issuer = c.Issuer.String()
	ss.DNSNames = c.DNSNames
	sum := sha256.Sum256(c.Raw)
	ss.Fingerprint = strings.ToUpper(hex.EncodeToString(sum[:]))
}
