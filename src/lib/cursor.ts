/** Opaque pagination cursors: base64url of UTF-8 JSON, decoded and checked against a valibot schema. */
import * as v from "valibot";
import { base64url, fromBase64 } from "./crypto.ts";

export type CursorCodec<In, Out = In> = {
  /** Encodes the schema's input shape. */
  encode(value: In): string;
  /** The schema's output, or undefined for text that is not a cursor of this shape (never throws). */
  decode(text: string): Out | undefined;
};

export function cursorCodec<S extends v.GenericSchema>(schema: S): CursorCodec<v.InferInput<S>, v.InferOutput<S>> {
  return {
    encode: (value) => base64url(new TextEncoder().encode(JSON.stringify(value))),
    decode: (text) => {
      let data: unknown;
      try {
        data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(text)));
      } catch {
        return undefined;
      }
      const r = v.safeParse(schema, data);
      return r.success ? r.output : undefined;
    },
  };
}
