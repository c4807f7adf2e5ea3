declare module "jsonld" {
  type Loader = (url: string) => Promise<{ document: unknown; documentUrl: string; contextUrl?: string | null }>;
  const jsonld: { expand(input: unknown, options?: { documentLoader?: Loader }): Promise<Array<Record<string, unknown>>> };
  export default jsonld;
}
