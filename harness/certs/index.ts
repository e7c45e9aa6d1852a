export { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore, type StoredCert, type CaOptions, type ServerOptions, type ClientOptions } from './cert-store.ts';
export { createCertificates } from './create-certificates.ts';
export { secretFor, MANAGED_BY_LABEL, type KubeSecret } from './secrets.ts';
