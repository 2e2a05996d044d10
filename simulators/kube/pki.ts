// The local control plane's PKI, made with Debian's openssl (no hand-rolled crypto): one CA, a serving certificate
// for 127.0.0.1, client certificates (admin in system:masters, kube-controller-manager, the API server towards
// etcd) and the service-account signing key pair. ECDSA P-256 throughout: Kubernetes accepts it for every one of
// these roles (ES256 for service-account tokens) and it is generated in milliseconds.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  /** Serving certificate for 127.0.0.1 and localhost (API server, etcd, kube-controller-manager). */
  servingCert: string;
  servingKey: string;
  admin: { cert: string; key: string };
  controllerManager: { cert: string; key: string };
  /** The API server's client identity towards etcd. */
  etcdClient: { cert: string; key: string };
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile("openssl", args, { cwd }, (err, _out, stderr) =>
      err ? reject(new Error(`openssl ${args[0]} failed: ${String(stderr).trim() || err.message}`)) : resolve(),
    ),
  );
}

const KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
// The certificates only live as long as one test run; a day leaves room for a slow machine.
const DAYS = ["-days", "2"];

/** Creates `dir` (mode 0700) and every key and certificate in it. */
export async function createPki(dir: string): Promise<Pki> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => path.join(dir, f);
  await openssl(
    [
      "req",
      "-x509",
      ...KEY,
      ...DAYS,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-subj",
      "/CN=pulumi-vmware-kit local CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  const leaf = async (name: string, subject: string, ext: string[]) => {
    fs.writeFileSync(
      p(`${name}.ext`),
      ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", ...ext, ""].join("\n"),
    );
    await openssl(["req", "-new", ...KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject], dir);
    await openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        ...DAYS,
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.crt`,
      ],
      dir,
    );
    return { cert: p(`${name}.crt`), key: p(`${name}.key`) };
  };
  const serving = await leaf("serving", "/CN=kube-apiserver", [
    "extendedKeyUsage=serverAuth,clientAuth",
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc",
  ]);
  const client = ["extendedKeyUsage=clientAuth"];
  // Kubernetes maps a client certificate's CN to the user and each O to a group (x509 authenticator).
  const admin = await leaf("admin", "/O=system:masters/CN=pulumi-vmware-kit-admin", client);
  // The identity kubeadm gives kube-controller-manager; the bootstrap RBAC policy binds it.
  const controllerManager = await leaf("controller-manager", "/CN=system:kube-controller-manager", client);
  const etcdClient = await leaf("etcd-client", "/CN=kube-apiserver-etcd-client", client);
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sa.key"], dir);
  await openssl(["ec", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  return {
    dir,
    caCert: p("ca.crt"),
    caKey: p("ca.key"),
    servingCert: serving.cert,
    servingKey: serving.key,
    admin,
    controllerManager,
    etcdClient,
    serviceAccountKey: p("sa.key"),
    serviceAccountPub: p("sa.pub"),
  };
}
