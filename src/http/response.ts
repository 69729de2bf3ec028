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
  /** The size cap that applied (bytes), for messages about a cut body. */
  readonly maxBodyBytes?: number;
  /** Offset of the first byte that is not valid UTF-8 (absent when the body is valid UTF-8 or was cut). */
  readonly invalidUtf8At?: number;
  /** Connection errors of earlier attempts when the request was retried. */
  readonly retries?: readonly string[];
  readonly durationMs: number;
}
