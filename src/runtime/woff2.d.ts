// A .woff2 import is a Workers Data module (wrangler.toml [[rules]]): the file's bytes. Only the Worker imports one.
declare module '*.woff2' {
  const data: ArrayBuffer;
  export default data;
}
