/** What /healthz reports about the directory's own state. */
import type { Db } from "../db/client.ts";
import { pingDatabase } from "../db/queries/meta.ts";

/** Undefined when the database answers; the error otherwise. */
export async function databaseProblem(db: Db): Promise<string | undefined> {
  try {
    await pingDatabase(db);
    return undefined;
  } catch (e) {
    return String(e);
  }
}
