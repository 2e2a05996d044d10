// vim25 over SOAP/HTTP: the envelope, one POST per call, the session cookie, and fault parsing.
import type { AxiosInstance } from "axios";
import { XmlNode, attr, childNames, children, parseXml, text } from "../xml";
import { RetryOptions, TransportError, describeTransportError, isTransient, provesNotSent, withRetry } from "../http";
import { VimFault, faultMessage } from "./errors";
import { decodeValue } from "./property";

/** Elements that repeat in responses; forced to arrays so one occurrence parses like many. */
const REPEATED = [
  "returnval",
  "objects",
  "propSet",
  "missingSet",
  "ManagedObjectReference",
  "filterSet",
  "objectSet",
  "changeSet",
];

const SESSION_COOKIE = "vmware_soap_session";

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/**
 * Parses a response envelope: returns the `<method>Response` element, or throws the VimFault a `Fault` carries.
 * `where` labels non-SOAP answers (e.g. an HTML error page from a proxy).
 */
export function parseResponse(xml: string, method: string, where: string, status: number): XmlNode {
  let body: XmlNode | undefined;
  try {
    body = children(children(parseXml(xml, REPEATED), "Envelope")[0], "Body")[0];
  } catch {
    body = undefined;
  }
  const fault = children(body, "Fault")[0];
  if (fault) throw parseFault(fault, method);
  const response = children(body, `${method}Response`)[0];
  if (!response || status !== 200) {
    throw new TransportError(
      `${where}: ${method} answered HTTP ${status} without a SOAP response (${statusHint(status)})`,
      undefined,
      status,
    );
  }
  return response;
}

/** Why a non-SOAP answer probably came back; the body (often a proxy's HTML page) is never quoted. */
function statusHint(status: number): string {
  if (status >= 300 && status < 400) return "redirected: use the https:// URL of the /sdk endpoint";
  if (status === 401 || status === 403) return "refused by the server or a proxy in front of it";
  if (status === 502 || status === 503 || status === 504)
    return "vCenter or a proxy in front of it is unavailable or still starting; try again later";
  return "is the URL the /sdk endpoint?";
}

/**
 * A `soapenv:Fault`: named by the xsi:type of its detail element (the most specific type), else by the detail
 * element's name without its "Fault" suffix; a fault without detail is a RuntimeFault.
 */
export function parseFault(fault: XmlNode, method: string): VimFault {
  const detailNode = children(fault, "detail")[0];
  const el = detailNode ? childNames(detailNode)[0] : undefined;
  const node = el ? children(detailNode, el)[0] : undefined;
  const typed = attr(node, "xsi:type");
  const name = typed ? typed.slice(typed.indexOf(":") + 1) : el ? el.replace(/Fault$/, "") : "RuntimeFault";
  const decoded = node ? decodeValue(node, name) : {};
  const { _type, ...detail } = typeof decoded === "object" && decoded ? (decoded as Record<string, unknown>) : {};
  return new VimFault(name, faultMessage(method, name, text(fault, "faultstring"), detail), detail, method);
}

/**
 * Methods that change nothing on the server (reads, finds, the clock; a Login only opens a session that expires):
 * retried on any transient failure. Every other method is retried only when the failure proves it was not sent.
 */
export const IDEMPOTENT_METHODS = new Set([
  "RetrieveServiceContent",
  "RetrievePropertiesEx",
  "RetrieveProperties",
  "FindByInventoryPath",
  "FindChild",
  "FindByUuid",
  "FindAllByUuid",
  "FindByIp",
  "FindByDnsName",
  "CurrentTime",
  "SessionIsActive",
  "Login",
  "CreateContainerView",
  "WaitForUpdatesEx",
  // Sets a custom attribute to a given value: sent twice, the same value is set twice.
  "SetField",
]);

/**
 * One endpoint's SOAP channel: counts requests, replays the session cookie the server set, and retries transient
 * failures (idempotent methods on any, others only when nothing was sent) with jittered backoff.
 */
export class SoapTransport {
  /** SOAP requests sent so far. */
  roundTrips = 0;
  /** Sent as SOAPAction `urn:vim25/<apiVersion>`; unversioned until the service content is known. */
  apiVersion: string | undefined;
  private cookie: string | undefined;

  /** Logins answered so far (a Login that came back). */
  logins = 0;

  constructor(
    private readonly http: AxiosInstance,
    /** `vCenter https://host/sdk`, the prefix of transport error messages. */
    readonly where: string,
    readonly retry: RetryOptions = {},
  ) {}

  /** Forgets the session, so the next call (a Login) starts a new one. */
  dropSession(): void {
    this.cookie = undefined;
  }

  /**
   * POSTs one method call; `body` is the method element. Returns the `<method>Response` element. Transient failures
   * are retried per IDEMPOTENT_METHODS (or `idempotent`), within the retry deadline; `once` sends it once (a
   * best-effort call such as the Logout when a client closes, which must not wait out the deadline).
   */
  call(method: string, body: string, opts: { idempotent?: boolean; once?: boolean } = {}): Promise<XmlNode> {
    const idempotent = opts.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const retryable = (err: unknown) => !opts.once && isTransient(err) && (idempotent || provesNotSent(err));
    return withRetry(method, () => this.callOnce(method, body), retryable, this.retry);
  }

  private async callOnce(method: string, body: string): Promise<XmlNode> {
    const headers: Record<string, string> = {
      "Content-Type": "text/xml; charset=utf-8",
      SOAPAction: this.apiVersion ? `urn:vim25/${this.apiVersion}` : "urn:vim25",
    };
    if (this.cookie) headers.Cookie = this.cookie;
    this.roundTrips++;
    let res;
    try {
      res = await this.http.post<string>("", envelope(body), { headers });
    } catch (err) {
      // The axios error holds the request body (a Login holds the password): only its description escapes.
      throw describeTransportError(err, this.where);
    }
    this.rememberCookie(res.headers["set-cookie"]);
    const response = parseResponse(String(res.data ?? ""), method, this.where, res.status);
    if (method === "Login") this.logins++;
    return response;
  }

  /** Keeps `vmware_soap_session=<value>` verbatim: vCenter quotes the value and expects it back quoted. */
  private rememberCookie(setCookie: unknown): void {
    const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === "string" ? [setCookie] : [];
    for (const line of lines as string[]) {
      const pair = line.split(";")[0].trim();
      if (pair.startsWith(`${SESSION_COOKIE}=`)) this.cookie = pair;
    }
  }
}
