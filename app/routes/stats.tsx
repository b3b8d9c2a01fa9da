// Placeholder until the feature lands (being built now).
export async function loader() {
  throw new Response("Not Found", { status: 404 });
}
