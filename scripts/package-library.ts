// `npm run package`: the construct library other teams install, as a tarball in build/. The package holds
// the library compiled to CommonJS (library/index.js with every product module it uses inlined; aws-cdk-lib and
// constructs stay peer dependencies), the downstream identity helper (library/identity.js), the declarations
// its public types reach, the Lambda bundles prebuilt (dist/<name>/index.mjs) and the admin console built
// (dist/admin-console/, no source maps), so that a consumer needs neither this repository's lock file nor
// esbuild nor Vite. Prints the tarball's path.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { buildConsole } from './console-build';
import { buildLambdaBundles } from './lambda-bundles';

const ROOT = join(__dirname, '..');
const PACKAGE_OUTPUT = join(ROOT, 'build');
const STAGE = join(PACKAGE_OUTPUT, 'library');
const ENTRIES = ['library/index.ts', 'library/identity.ts'];
const PEER_DEPENDENCIES = ['aws-cdk-lib', 'constructs'];

/** The library's modules: CommonJS for the Node.js a CDK app runs on, peers left to the consumer. */
async function compileEntries(): Promise<void> {
  for (const entry of ENTRIES) {
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile: join(STAGE, entry.replace(/\.ts$/, '.js')),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: PEER_DEPENDENCIES.flatMap((name) => [name, `${name}/*`]),
      logLevel: 'warning',
    });
  }
}

/**
 * Declarations: tsc emits one per module of the program; the package keeps those the entries' declarations
 * reach, and refuses one that imports a package other than the peers (a consumer would not have it). The
 * program is type-checked by `npm run typecheck`; here tsc only emits.
 */
function emitDeclarations(): void {
  const declarations = join(PACKAGE_OUTPUT, 'declarations');
  rmSync(declarations, { recursive: true, force: true });
  const tsconfig = join(PACKAGE_OUTPUT, 'tsconfig.declarations.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: relative(PACKAGE_OUTPUT, join(ROOT, 'tsconfig.json')),
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, noCheck: true, rootDir: '..', outDir: 'declarations', types: ['node'] },
      include: [],
      files: ENTRIES.map((entry) => relative(PACKAGE_OUTPUT, join(ROOT, entry))),
    }),
  );
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });

  const pending = ENTRIES.map((entry) => join(declarations, entry.replace(/\.ts$/, '.d.ts')));
  const reached = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.')) {
        pending.push(resolve(dirname(file), `${fileName.replace(/\.js$/, '')}.d.ts`));
      } else if (!PEER_DEPENDENCIES.some((peer) => fileName === peer || fileName.startsWith(`${peer}/`)) && !fileName.startsWith('node:')) {
        throw new Error(`${relative(declarations, file)} imports ${fileName}, which a consumer of the library does not have`);
      }
    }
  }
  for (const file of reached) {
    const target = join(STAGE, relative(declarations, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}

function writeManifest(): void {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'library', 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
  copyFileSync(join(ROOT, 'library', 'README.md'), join(STAGE, 'README.md'));
}

/** Builds the package in build/library and packs it; returns the tarball's path. */
export async function packageLibrary(): Promise<string> {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  await Promise.all([buildLambdaBundles(join(STAGE, 'dist')), buildConsole(join(STAGE, 'dist', 'admin-console'))]);
  await compileEntries();
  emitDeclarations();
  writeManifest();
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', PACKAGE_OUTPUT], { cwd: STAGE, encoding: 'utf8' }).trim();
  const tarball = join(PACKAGE_OUTPUT, packed.split('\n').pop()!);
  if (!existsSync(tarball) || statSync(tarball).size === 0) throw new Error(`npm pack wrote no ${tarball}`);
  return tarball;
}

if (require.main === module) {
  packageLibrary()
    .then((tarball) => console.log(tarball))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
