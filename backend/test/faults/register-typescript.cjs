// Lets a child `node` process run the backend's TypeScript sources directly, the way
// ts-jest does (transpile only, decorator metadata kept; the type check is `make typecheck`'s job).
// Not tsx: esbuild cannot emit decorator metadata, which Nest's constructor injection needs.
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
