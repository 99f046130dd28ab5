/** Why an x5c chain is not trusted; the message is internal (it names the failing certificate and condition). */
export class ChainError extends Error {}
