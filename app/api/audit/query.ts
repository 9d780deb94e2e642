/** The audit filters from a query string, as the verbs take them (they validate). */
export function auditQuery(params: URLSearchParams) {
  const get = (name: string) => params.get(name) ?? undefined;
  return { actor: get("actor"), action: get("action"), from: get("from"), to: get("to"), cutoverId: get("cutoverId"), entityId: get("entityId") };
}
