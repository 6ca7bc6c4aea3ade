import { escapeText, leaf, node, type Xml } from './xml-writer';

/**
 * SOAP 1.1 faults as Workday writes them (§1.10): HTTP 500, `SOAP-ENV` prefix, unqualified
 * faultcode/faultstring/detail, `xmlns:wd` on the Fault element.
 */

/** One `wd:Validation_Error`. */
export interface ValidationIssue {
  message: string;
  detailMessage?: string;
  xpath?: string;
  /** Emitted only from v45 on, where the schema has `Code`. */
  code?: string;
}

/** A fault the simulator answers with; thrown from anywhere in request handling. */
export class WorkdayFault extends Error {
  override readonly name = 'WorkdayFault';

  constructor(
    readonly faultcode: string,
    readonly faultstring: string,
    readonly detail: (withCodes: boolean) => Xml = () => '',
  ) {
    super(faultstring);
  }

  /** The whole SOAP envelope; `withCodes` adds the v45+ `Code` elements. */
  toXml(withCodes: boolean): Xml {
    const detail = this.detail(withCodes);
    return (
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>' +
      '<SOAP-ENV:Fault xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wd="urn:com.workday/bsvc">' +
      `<faultcode>${escapeText(this.faultcode)}</faultcode><faultstring>${escapeText(this.faultstring)}</faultstring>` +
      (detail ? `<detail>${detail}</detail>` : '') +
      '</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
    );
  }
}

/** Bad, missing or unsupported credentials: no detail, exactly as observed. */
export function authenticationFault(): WorkdayFault {
  return new WorkdayFault('SOAP-ENV:Client.authenticationError', 'invalid username or password');
}

/** `Client.validationError` with one `wd:Validation_Error` per issue; the faultstring quotes the first. */
export function validationFault(issues: readonly ValidationIssue[]): WorkdayFault {
  const first = issues[0]?.message ?? 'Validation error occurred.';
  return new WorkdayFault('SOAP-ENV:Client.validationError', `Validation error occurred. ${first}`, (withCodes) =>
    node(
      'Validation_Fault',
      issues.map((issue) =>
        node('Validation_Error', [
          leaf('Message', issue.message),
          leaf('Detail_Message', issue.detailMessage ?? issue.message),
          leaf('Xpath', issue.xpath),
          withCodes ? leaf('Code', issue.code) : '',
        ]),
      ),
    ),
  );
}

/** Workday's message for a wrong service, version or operation. */
export const INVALID_SERVICE_OR_VERSION = 'The web service or version is invalid for the requested operation';

/** Wrong service, version or operation for the endpoint. */
export function serviceOrVersionFault(): WorkdayFault {
  return new WorkdayFault('SOAP-ENV:Client.validationError', INVALID_SERVICE_OR_VERSION, (withCodes) =>
    node('Validation_Fault', [
      node('Validation_Error', [
        leaf('Message', INVALID_SERVICE_OR_VERSION),
        leaf('Detail_Message', INVALID_SERVICE_OR_VERSION),
        withCodes ? leaf('Code', 'INVALID_SERVICE_OR_VERSION') : '',
      ]),
    ]),
  );
}

function processingFault(detailMessage: string, code: string): WorkdayFault {
  return new WorkdayFault(
    'SOAP-ENV:Server.processingError',
    `Processing error occurred. ${detailMessage}`,
    (withCodes) =>
      node('Processing_Fault', [leaf('Detail_Message', detailMessage), withCodes ? leaf('Code', code) : '']),
  );
}

/** The ISU's security groups lack the operation's domain. */
export function notAuthorizedFault(): WorkdayFault {
  return processingFault('The task submitted is not authorized.', 'NOT_AUTHORIZED');
}

/** Adaptive throttling: Workday answers SOAP with HTTP 500 and no Retry-After. */
export function throttledFault(): WorkdayFault {
  return processingFault('The request was throttled: too many requests. Please retry later.', 'THROTTLED');
}

/** A server-side failure with a SOAP body (the 500 of a serverError fault). */
export function internalErrorFault(): WorkdayFault {
  return processingFault('An unexpected error occurred. Please retry the request.', 'INTERNAL_ERROR');
}

/** The envelope is not SOAP 1.1. */
export function versionMismatchFault(): WorkdayFault {
  return new WorkdayFault('SOAP-ENV:VersionMismatch', 'Only SOAP 1.1 envelopes are accepted');
}
