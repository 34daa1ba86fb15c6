// as-pect compiles the core without the WASI shim (asconfig.json keeps WASI options in its targets).
// ASP_FILES=assembly/__tests__/x.spec.ts[,..] runs only those specs.
export default {
  entries: process.env.ASP_FILES ? process.env.ASP_FILES.split(',') : ["assembly/__tests__/**/*.spec.ts"],
  include: ["assembly/__tests__/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
