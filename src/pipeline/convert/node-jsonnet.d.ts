// Types for the Jsonnet binding: the package ships them, but its `exports` map does not point NodeNext
// resolution at them, so we declare the part we use.
declare module '@hanazuki/node-jsonnet' {
  export class Jsonnet {
    constructor();
    setMaxStack(value: number): this;
    setMaxTrace(value: number): this;
    extString(key: string, value: string): this;
    extCode(key: string, value: string): this;
    tlaString(key: string, value: string): this;
    tlaCode(key: string, value: string): this;
    evaluateSnippet(snippet: string, filename?: string): Promise<string>;
    evaluateSnippetStream(snippet: string, filename?: string): Promise<string[]>;
  }
}
