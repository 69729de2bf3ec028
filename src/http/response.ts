/** The shape of an HTTP answer as the engine and the checks see it. */

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  /** Header names lower-case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Body decoded as UTF-8 (invalid sequences replaced), cut at the size cap. */
  readonly bodyText: string;
  /** Bytes received (up to the cap). */
  readonly bodyBytes: number;
  /** True when the body was longer than the cap and was cut. */
  readonly truncated: boolean;
  readonly durationMs: number;
}
