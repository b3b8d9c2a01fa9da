// Placeholder until the feature lands (being built now).
export async function loader() {
  return Response.json({ suggestions: [] });
}
