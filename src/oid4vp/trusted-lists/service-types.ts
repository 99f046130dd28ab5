/**
 * The service types an operator may subscribe to, by the short names the EU reference verifier
 * uses (eudi-srv-verifier-endpoint `ServiceType`), each with the ServiceTypeIdentifier URIs that
 * stand for it in a TS 119 612 trusted list and in a TS 119 602 LoTE; and the service statuses
 * under which a listed service is trusted. A name maps to its own URIs only: a PID provider's
 * listing never makes it trusted as a wallet provider or a QEAA provider.
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119612/02.03.01_60/ts_119612v020301p.pdf (5.5.1, 5.5.4)
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119602/01.01.01_60/ts_119602v010101p.pdf (annexes D–H)
 */
export const SERVICE_TYPES = {
  PIDProvider: ["http://uri.etsi.org/Svc/Svctype/Provider/PID", "http://uri.etsi.org/19602/SvcType/PID/Issuance"],
  QEAAProvider: ["http://uri.etsi.org/TrstSvc/Svctype/EAA/Q"],
  PubEAAProvider: ["http://uri.etsi.org/TrstSvc/Svctype/EAA/Pub-EAA", "http://uri.etsi.org/19602/SvcType/PubEAA/Issuance"],
  WalletProvider: ["http://uri.etsi.org/TrstSvc/Svctype/Provider/Wallet", "http://uri.etsi.org/19602/SvcType/WalletSolution/Issuance"],
  WRPACProvider: ["http://uri.etsi.org/19602/SvcType/WRPAC/Issuance"],
  QCertESig: ["http://uri.etsi.org/TrstSvc/Svctype/CA/QC"],
} as const satisfies Record<string, readonly string[]>;

export type ServiceTypeName = keyof typeof SERVICE_TYPES;

export function isServiceTypeName(name: string): name is ServiceTypeName {
  return Object.hasOwn(SERVICE_TYPES, name);
}

/** TS 119 612 §5.5.4: "granted" (EU qualified) and "recognisedatnationallevel" are the statuses of a service in force. */
const TRUSTED_STATUSES = new Set([
  "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
  "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel",
]);

/**
 * Whether a listed service's status puts it in force. A LoTE may leave the status out where its
 * scheme says that being listed is the status (TS 119 602 status determination approach): an
 * absent status counts only there (`absentMeansListed`), never in a TS 119 612 list.
 */
export function isTrustedStatus(status: string | undefined, absentMeansListed: boolean): boolean {
  if (status === undefined || status === "") return absentMeansListed;
  // A LoTE profile may name its own "granted" or "notified" URI; anything else (withdrawn, suspended, ...) is not in force.
  return TRUSTED_STATUSES.has(status) || (absentMeansListed && /\/(granted|notified)$/.test(status));
}

/** The statuses whose services become anchors, by name, for the operator's documentation and errors. */
export const TRUSTED_STATUS_NAMES = ["granted", "recognisedatnationallevel"] as const;
