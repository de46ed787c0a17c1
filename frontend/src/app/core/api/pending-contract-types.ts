// Bodies of endpoints being built in parallel on the backend (issue 16: lab
// reset and sessions), written from the agreed contract. (Issue 14's sign-in
// types now come from the generated schema, see api-types.ts.)
// Once the backend's OpenAPI spec lists them, replace each with an alias of the
// generated schema in api-types.ts and delete this file.

/** 200 from POST /api/lab/reset (operator): a new session of the experiment starts; the old one stays in the log. */
export interface LabResetResponse {
  session_id: string;
  previous_session_id: string;
  started_at: string;
}

/** One session of the experiment; its data is read with the usual endpoints and run_id=<session_id>. */
export interface LabSession {
  session_id: string;
  started_at: string;
  /** null for the current session. */
  ended_at: string | null;
  attempts: number;
  seats_taken: number;
}

/** GET /api/lab/sessions */
export interface LabSessionList {
  items: LabSession[];
}
