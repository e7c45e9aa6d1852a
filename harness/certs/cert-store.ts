// @peculiar/x509 2.x resolves its services through tsyringe, which needs a Reflect polyfill loaded
// before it (PeculiarVentures/x509#57).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../model/errors.ts';
import { EXAMPLE_CA_SUBJECT } from './requests.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { EXAMPLE_CA_SUBJECT };

/** What a consumer needs to use a certificate: PEM text and files on disk (keys 0600). */
export type StoredCert = {
  name: string;
  kind: 'ca' | 'server' | 'client';
  /** The certificate alone (what the Istio docs put in `tls.crt`). */
  certPem: string;
  /** The certificate followed by its CA (for servers that must send the chain). */
  chainPem: string;
  certPath: string;
  keyPath: string;
  /** The issuing CA (for a CA: itself). */
  caName: string;
  caPem: string;
  caPath: string;
};

type Validity = {
  /** Default: one minute ago (tolerates small clock skew between host and cluster). */
  notBefore?: Date;
  /** Default: 365 days from now. A date in the past makes an expired certificate. */
  notAfter?: Date;
};

export type CaOptions = Validity & {
  /** RFC 4514 order, e.g. `O=example Inc.,CN=example.com`. Two CAs may share one subject (rotation). */
  subject: string;
};

export type ServerOptions = Validity & {
  ca: string;
  commonName: string;
  dnsNames: string[];
  ipAddresses?: string[];
  organization?: string;
  /**
   * Add an Authority Key Identifier. Off by default, like the Istio docs' `openssl x509 -req`
   * leaves: a verifier then picks the issuer by subject only, so a leaf from a rotated CA with the
   * same subject fails with a signature error (CERT_SIGNATURE_FAILURE) rather than an unknown issuer.
   */
  authorityKeyIdentifier?: boolean;
};

export type ClientOptions = Validity & {
  ca: string;
  commonName: string;
  organization?: string;
  authorityKeyIdentifier?: boolean;
};

export type CertStore = {
  /** Folder holding every certificate and key of this store (mode 0700). */
  readonly dir: string;
  ca(name: string, opts: CaOptions): Promise<StoredCert>;
  server(name: string, opts: ServerOptions): Promise<StoredCert>;
  client(name: string, opts: ClientOptions): Promise<StoredCert>;
  has(name: string): boolean;
  /** Throws UsageError naming the known certificates when `name` was never made. */
  get(name: string): StoredCert;
  /** The private key in PKCS#8 PEM, read from its 0600 file. Never log or report it. */
  keyPem(name: string): string;
  /** Deletes the folder with every key in it. Safe to call twice. */
  dispose(): Promise<void>;
};

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;
const DAY_MS = 86_400_000;
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

type Entry = StoredCert & { keys: CryptoKeyPair; cert: x509.X509Certificate };

/** Creates an empty store in a fresh temp folder under `parentDir` (default: the OS temp dir). */
export async function createCertStore(parentDir?: string): Promise<CertStore> {
  const dir = await mkdtemp(join(parentDir ?? tmpdir(), 'casebook-certs-'));
  await chmod(dir, 0o700);
  const entries = new Map<string, Entry>();
  let disposed = false;

  const caEntry = (name: string): Entry => {
    const e = entries.get(name);
    if (e?.kind !== 'ca') {
      throw new UsageError(
        `certificate authority "${name}" does not exist in this run's certificate store`,
        `declare it first: { name: '${name}', kind: 'ca', subject: '${EXAMPLE_CA_SUBJECT}' }`,
      );
    }
    return e;
  };

  const save = async (
    name: string,
    kind: Entry['kind'],
    cert: x509.X509Certificate,
    keys: CryptoKeyPair,
    issuer: Entry | undefined,
  ): Promise<StoredCert> => {
    if (disposed) throw new UsageError('the certificate store was already disposed', 'create a new store for a new run');
    if (!NAME.test(name)) {
      throw new UsageError(
        `certificate name "${name}" is not usable as a file name`,
        'use letters, digits, dots, dashes and underscores (e.g. httpbin-example-com)',
      );
    }
    if (entries.has(name)) throw new UsageError(`certificate "${name}" was already made in this run`, 'pick a unique name');
    const certPem = pem(cert.toString('pem'));
    const certPath = join(dir, `${name}.crt`);
    const keyPath = join(dir, `${name}.key`);
    await writeFile(certPath, certPem, { mode: 0o644 });
    await writeFile(keyPath, await keyToPem(keys.privateKey), { mode: 0o600, flag: 'wx' });
    const ca = issuer ?? { name, certPem, certPath };
    const entry: Entry = {
      name,
      kind,
      certPem,
      chainPem: issuer ? certPem + ca.certPem : certPem,
      certPath,
      keyPath,
      caName: ca.name,
      caPem: ca.certPem,
      caPath: ca.certPath,
      keys,
      cert,
    };
    entries.set(name, entry);
    return publicView(entry);
  };

  const get = (name: string): StoredCert => {
    const e = entries.get(name);
    if (!e) {
      throw new UsageError(
        `certificate "${name}" does not exist in this run's certificate store`,
        `known: ${[...entries.keys()].join(', ') || '(none)'}; declare it in the scenario's certificates`,
      );
    }
    return publicView(e);
  };

  return {
    dir,
    async ca(name, opts) {
      const keys = await generateKeys();
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serial(),
        name: opts.subject,
        ...validity(opts),
        signingAlgorithm: RSA,
        keys,
        extensions: [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      return save(name, 'ca', cert, keys, undefined);
    },
    async server(name, opts) {
      const issuer = caEntry(opts.ca);
      const names = [
        ...opts.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
      ];
      const cert = await leaf(issuer, opts, x509.ExtendedKeyUsage.serverAuth, names);
      return save(name, 'server', cert.cert, cert.keys, issuer);
    },
    async client(name, opts) {
      const issuer = caEntry(opts.ca);
      const cert = await leaf(issuer, opts, x509.ExtendedKeyUsage.clientAuth, []);
      return save(name, 'client', cert.cert, cert.keys, issuer);
    },
    has: (name) => entries.has(name),
    get,
    keyPem: (name) => readFileSync(get(name).keyPath, 'utf8'),
    async dispose() {
      disposed = true;
      entries.clear();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function leaf(
  issuer: Entry,
  opts: Validity & { commonName: string; organization?: string; authorityKeyIdentifier?: boolean },
  usage: string,
  names: x509.JsonGeneralName[],
): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  if (opts.authorityKeyIdentifier) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subjectOf(opts.commonName, opts.organization),
    issuer: issuer.cert.subject,
    ...validity(opts),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions,
  });
  return { cert, keys };
}

/** Builds a DN from parts; a value with `,` `+` `=` or quotes is escaped per RFC 4514. */
function subjectOf(commonName: string, organization?: string): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return organization ? `CN=${esc(commonName)},O=${esc(organization)}` : `CN=${esc(commonName)}`;
}

function validity(v: Validity): { notBefore: Date; notAfter: Date } {
  const notBefore = v.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = v.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  if (notAfter <= notBefore) {
    throw new UsageError(
      `certificate validity ends (${notAfter.toISOString()}) before it starts (${notBefore.toISOString()})`,
      'for an expired certificate set notBefore before notAfter, both in the past',
    );
  }
  return { notBefore, notAfter };
}

/** Random positive 16-byte serial (RFC 5280 §4.1.2.2); the top bit is cleared so it stays positive. */
function serial(): string {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x10;
  return b.toString('hex');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  return pem(x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY'));
}

/** @peculiar/x509 PEM has no final newline; concatenated chains then fail to parse (ERR_OSSL_PEM_BAD_END_LINE). */
function pem(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function publicView(e: Entry): StoredCert {
  const { keys: _keys, cert: _cert, ...view } = e;
  return view;
}
