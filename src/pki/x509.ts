/** The one place @peculiar/x509 is configured: Node's WebCrypto as its crypto provider. */
import "./reflect-polyfill.ts";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 types its provider as the DOM `Crypto`; Node's webcrypto implements it.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
