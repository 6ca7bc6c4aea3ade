import { parseXml, XmlError } from '../../lambdas/shared/xml';
import { scanElements } from './namespaces';
import { validationFault, versionMismatchFault } from './soap-faults';
import { attr, child, childText, isNode, parseBoolean, type XmlNode } from './xml-read';
import { SOAP_ENV_NS, WD_NS } from './xml-writer';

const SOAP_12_NS = 'http://www.w3.org/2003/05/soap-envelope';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
const MAX_REQUEST_CHARS = 1024 * 1024;

/** The WS-Security UsernameToken of a request, when it has one. */
export interface UsernameToken {
  username: string;
  password: string;
  /** True for PasswordText (explicit or defaulted); false for PasswordDigest or anything else. */
  passwordIsText: boolean;
}

/** What the simulator needs from a SOAP request envelope. */
export interface SoapRequest {
  usernameToken: UsernameToken | undefined;
  includeDescriptors: boolean;
  /** Local name of the Body's request element, e.g. `Get_Suppliers_Request`. */
  element: string;
  /** The client's prefix for the request element (used in fault Xpaths). */
  prefix: string;
  /** `bsvc:version` on the request element. */
  version: string | undefined;
  body: XmlNode;
  /** An `ID` element carries an unqualified `type` attribute (a common client bug). */
  unqualifiedTypeAttribute: boolean;
}

function malformed(message: string) {
  return validationFault([{ message, code: 'INVALID_REQUEST' }]);
}

/** Parses and checks a SOAP 1.1 document/literal request; throws a WorkdayFault when it is not one. */
export function readSoapRequest(text: string): SoapRequest {
  let document: Record<string, unknown>;
  try {
    document = parseXml(text, { arrays: new Set(['ID']), maxLength: MAX_REQUEST_CHARS });
  } catch (error) {
    if (error instanceof XmlError) throw malformed(`The request is not valid XML: ${error.message}`);
    throw error;
  }
  const elements = scanElements(text);
  const root = elements[0];
  if (root?.local !== 'Envelope') throw malformed('The request is not a SOAP envelope.');
  if (root.namespace === SOAP_12_NS) throw versionMismatchFault();
  if (root.namespace !== SOAP_ENV_NS) throw malformed('The request is not a SOAP 1.1 envelope.');

  const inBody = elements.filter((e) => e.depth === 2 && e.path[1] === 'Body');
  const request = inBody[0];
  if (!request || inBody.length !== 1) {
    throw malformed('The SOAP Body must contain exactly one request element.');
  }
  if (request.namespace !== WD_NS) {
    throw malformed(`The request element ${request.local} is not in namespace ${WD_NS}.`);
  }

  const envelope = document.Envelope;
  const body = child(child(envelope, 'Body'), request.local) ?? {};
  const header = child(envelope, 'Header');
  const common = child(header, 'Workday_Common_Header');
  return {
    usernameToken: readUsernameToken(header),
    includeDescriptors: parseBoolean(childText(common, 'Include_Reference_Descriptors_In_Response')) ?? false,
    element: request.local,
    prefix: request.prefix,
    version: attr(body, 'version'),
    body,
    unqualifiedTypeAttribute: elements.some(
      (e) => e.local === 'ID' && e.depth > 2 && e.attributes.some((a) => a.local === 'type' && a.prefix === ''),
    ),
  };
}

function readUsernameToken(header: XmlNode | undefined): UsernameToken | undefined {
  const token = child(child(header, 'Security'), 'UsernameToken');
  if (!token) return undefined;
  const password = child(token, 'Password');
  const type = attr(password, 'Type');
  return {
    username: childText(token, 'Username') ?? '',
    password: isNode(password) ? (childText(token, 'Password') ?? '') : '',
    // The WSS username-token profile makes PasswordText the default type.
    passwordIsText: type === undefined || type === PASSWORD_TEXT,
  };
}
